"""年度学习总结和计划: each organization's annual report to the level above, drafted from the record, versioned."""
