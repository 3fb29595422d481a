from enum import StrEnum


class LearningError(StrEnum):
    ACTIVITY_NOT_FOUND = "activity_not_found"
    INVALID = "activity_invalid"
    NUMBER_TAKEN = "activity_number_taken"
    CLAIM_NOT_FOUND = "claim_not_found"
    CLAIM_DECIDED = "claim_already_decided"
    RULE_FORBIDDEN = "credit_rule_forbidden"
