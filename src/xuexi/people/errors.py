from enum import StrEnum


class PersonError(StrEnum):
    NOT_FOUND = "person_not_found"
    READ_ONLY = "person_read_only"
    NUMBER_TAKEN = "person_number_taken"
    ID_CARD_TAKEN = "person_id_card_taken"
    INVALID = "person_invalid"
    SAME_ORG = "person_transfer_same_org"
    INACTIVE_ORG = "person_org_inactive"
    REVEAL_FORBIDDEN = "person_reveal_forbidden"
