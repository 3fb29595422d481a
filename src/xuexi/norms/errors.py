from enum import StrEnum


class NormsError(StrEnum):
    RULE_NOT_FOUND = "rule_not_found"
    RULE_INVALID = "rule_invalid"
    RULE_FORBIDDEN = "rule_forbidden"
    RULE_CODE_TAKEN = "rule_code_taken"
    RULE_LOOSER = "rule_looser_than_higher"
    EXEMPTION_NOT_FOUND = "exemption_not_found"
    EXEMPTION_FORBIDDEN = "exemption_forbidden"
    STATUS_INVALID = "compliance_status_invalid"
    YEAR_INVALID = "compliance_year_invalid"
