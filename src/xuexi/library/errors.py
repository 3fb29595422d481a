from enum import StrEnum


class LibraryError(StrEnum):
    NOT_FOUND = "library_item_not_found"
    READ_ONLY = "library_item_read_only"
    INVALID = "library_item_invalid"
    FILE_NOT_FOUND = "library_file_not_found"
    FILE_REFUSED = "library_file_refused"
    PUSH_INVALID = "library_push_invalid"
    REMOVED = "library_item_removed"
    REMOVAL_INVALID = "library_item_removal_invalid"
    NOT_A_READER = "library_not_a_reader"
    RULE_INVALID = "online_rule_invalid"
    RULE_FORBIDDEN = "online_rule_forbidden"
