from enum import StrEnum


class NormsError(StrEnum):
    RULE_NOT_FOUND = "rule_not_found"
    RULE_INVALID = "rule_invalid"
    YEAR_INVALID = "compliance_year_invalid"
