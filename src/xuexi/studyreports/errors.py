from enum import StrEnum


class StudyReportError(StrEnum):
    NOT_FOUND = "study_report_not_found"
    CALL_NOT_FOUND = "study_report_call_not_found"
    INVALID = "study_report_invalid"
    CALL_TAKEN = "study_report_call_taken"
    NO_PERSON = "study_report_no_person"
    NOT_YOURS = "study_report_not_yours"
    LOCKED = "study_report_locked"
    INCOMPLETE = "study_report_incomplete"
    FORBIDDEN = "study_report_forbidden"
    NOTHING_TO_REVIEW = "study_report_nothing_to_review"
    READ_ONLY = "study_report_call_read_only"
