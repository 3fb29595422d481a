from enum import StrEnum


class ReportError(StrEnum):
    NOT_FOUND = "report_not_found"
    INVALID = "report_invalid"
    YEAR_INVALID = "report_year_invalid"
    NO_PARENT = "report_no_parent"
    LOCKED = "report_locked"
    INCOMPLETE = "report_incomplete"
    FORBIDDEN = "report_forbidden"
    NOTHING_TO_REVIEW = "report_nothing_to_review"
