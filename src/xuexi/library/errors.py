from enum import StrEnum


class LibraryError(StrEnum):
    NOT_FOUND = "library_item_not_found"
    READ_ONLY = "library_item_read_only"
    INVALID = "library_item_invalid"
    FILE_NOT_FOUND = "library_file_not_found"
    FILE_REFUSED = "library_file_refused"
    PUSH_INVALID = "library_push_invalid"
