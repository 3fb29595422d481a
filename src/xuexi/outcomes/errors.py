from enum import StrEnum


class OutcomeError(StrEnum):
    NOT_FOUND = "outcome_not_found"
    READ_ONLY = "outcome_read_only"
    INVALID = "outcome_invalid"
    ACTIVITY_REFUSED = "outcome_activity_refused"
    AUTHOR_REFUSED = "outcome_author_refused"
    ATTACHMENT_NOT_FOUND = "outcome_attachment_not_found"
