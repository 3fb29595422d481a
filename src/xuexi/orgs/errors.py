from enum import StrEnum


class OrgError(StrEnum):
    NOT_FOUND = "org_not_found"
    READ_ONLY = "org_read_only"
    CODE_TAKEN = "org_code_taken"
    PARENT_REQUIRED = "org_parent_required"
    ROOT_EXISTS = "org_root_exists"
    CYCLE = "org_move_cycle"
    INACTIVE = "org_inactive"
    HAS_ACTIVE_CHILDREN = "org_has_active_children"
    HAS_ACTIVE_MEMBERS = "org_has_active_members"
    INVALID = "org_invalid"
