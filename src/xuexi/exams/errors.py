from enum import StrEnum


class ExamsError(StrEnum):
    QUESTION_NOT_FOUND = "question_not_found"
    QUESTION_INVALID = "question_invalid"
    QUESTION_CODE_TAKEN = "question_code_taken"
    QUESTION_FORBIDDEN = "question_forbidden"
    QUESTION_FIELDS = "question_fields_not_allowed"
    IMPORT_INVALID = "question_import_invalid"
    PAPER_NOT_FOUND = "paper_not_found"
    PAPER_INVALID = "paper_invalid"
    PAPER_CODE_TAKEN = "paper_code_taken"
    EXAM_NOT_FOUND = "exam_not_found"
    EXAM_INVALID = "exam_invalid"
    EXAM_CODE_TAKEN = "exam_code_taken"
    EXAM_NOT_OPEN = "exam_not_open"
    ATTEMPTS_USED = "exam_attempts_used"
    ATTEMPT_NOT_FOUND = "attempt_not_found"
    ATTEMPT_CLOSED = "attempt_closed"
    NOT_A_MEMBER = "exam_not_a_member"
    EXAM_FORBIDDEN = "exam_forbidden"
