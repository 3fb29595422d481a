"""督学检查: inspections of lower organizations, their findings and the rectification that follows."""
