"""成果转化: what an organization's learning produced (research reports, adopted proposals, 内参, media reports)."""
