from enum import StrEnum


class OutcomeError(StrEnum):
    NOT_FOUND = "outcome_not_found"
    READ_ONLY = "outcome_read_only"
    INVALID = "outcome_invalid"
    ACTIVITY_REFUSED = "outcome_activity_refused"
    AUTHOR_REFUSED = "outcome_author_refused"
    ATTACHMENT_NOT_FOUND = "outcome_attachment_not_found"
    NOT_AN_EXPERIENCE = "outcome_not_an_experience"
    EXPERIENCE_STATE = "outcome_experience_state"
    REVIEW_FORBIDDEN = "outcome_review_forbidden"
    REASON_REQUIRED = "outcome_reason_required"
    WITHDRAWN = "outcome_withdrawn"
    LOCKED = "outcome_locked"
