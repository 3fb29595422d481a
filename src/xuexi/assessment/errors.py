from enum import StrEnum


class AssessmentError(StrEnum):
    EVALUATION_NOT_FOUND = "evaluation_not_found"
    EVALUATION_READ_ONLY = "evaluation_read_only"
    EVALUATION_CLOSED = "evaluation_closed"
    EVALUATION_INVALID = "evaluation_invalid"
    REVIEW_INVALID = "review_invalid"
    WEIGHTS_FORBIDDEN = "weights_forbidden"
    WEIGHTS_INVALID = "weights_invalid"
    SANCTION_NOT_FOUND = "sanction_not_found"
    SANCTION_INVALID = "sanction_invalid"
    SANCTION_READ_ONLY = "sanction_read_only"
    EVIDENCE_NOT_FOUND = "assessment_evidence_not_found"
