from enum import StrEnum


class SupervisionError(StrEnum):
    NOT_FOUND = "inspection_not_found"
    READ_ONLY = "inspection_read_only"
    INVALID = "inspection_invalid"
    NUMBER_TAKEN = "inspection_number_taken"
    ENDED = "inspection_ended"
    CHECKLIST_ITEM_NOT_FOUND = "checklist_item_not_found"
    FINDING_NOT_FOUND = "finding_not_found"
    RECTIFICATION_NOT_FOUND = "rectification_not_found"
    RECTIFICATION_INVALID = "rectification_invalid"
    RECTIFICATION_STATE = "rectification_state"
    ANSWER_FORBIDDEN = "rectification_answer_forbidden"
    EVIDENCE_NOT_FOUND = "evidence_not_found"
