from enum import StrEnum


class LearningError(StrEnum):
    ACTIVITY_NOT_FOUND = "activity_not_found"
    INVALID = "activity_invalid"
    NUMBER_TAKEN = "activity_number_taken"
    CLAIM_NOT_FOUND = "claim_not_found"
    CLAIM_DECIDED = "claim_already_decided"
    CAMPAIGN_NOT_FOUND = "campaign_not_found"
    CAMPAIGN_INVALID = "campaign_invalid"
    CAMPAIGN_READ_ONLY = "campaign_read_only"
    CAMPAIGN_CODE_TAKEN = "campaign_code_taken"
    PLAN_NOT_FOUND = "plan_not_found"
    PLAN_INVALID = "plan_invalid"
    PLAN_READ_ONLY = "plan_read_only"
    RULE_FORBIDDEN = "credit_rule_forbidden"
    ATTACHMENT_NOT_FOUND = "attachment_not_found"
