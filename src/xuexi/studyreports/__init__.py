"""述学: study reports that members and leading cadres write for a period, reviewed by their organization."""
