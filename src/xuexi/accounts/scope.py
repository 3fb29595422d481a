"""A user's scope: the subtrees they administer or review, and themselves.

Every read and write that a person can reach takes a Scope; the filters below are the only
way selectors narrow a query to it, so a forgotten filter is a missing argument, not a leak.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from xuexi.accounts.models import AdminRole, GrantRole, User


def _outermost(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop every path that lies inside another: the union of subtrees, without overlap."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return tuple(kept)


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    admin_paths: tuple[str, ...] = ()
    review_paths: tuple[str, ...] = ()
    person_id: int | None = None
    admin_role: str = ""
    read_paths: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "admin_paths", _outermost(self.admin_paths))
        object.__setattr__(self, "review_paths", _outermost(self.review_paths))
        object.__setattr__(self, "read_paths", _outermost(self.admin_paths + self.review_paths))

    @classmethod
    def for_user(cls, user: User | AnonymousUser) -> Scope:
        if not user.is_authenticated or not user.is_active:
            return cls()
        if user.admin_role:
            # 三员 accounts see no business data at all.
            return cls(user_id=user.pk, admin_role=user.admin_role)
        admin: list[str] = []
        review: list[str] = []
        for role, path, active in user.grants.values_list("role", "org__path", "org__is_active"):
            if not active:
                continue
            (admin if role == GrantRole.ORG_ADMIN else review).append(path)
        return cls(
            user_id=user.pk, admin_paths=tuple(admin), review_paths=tuple(review),
            person_id=user.person_id,
        )

    # -- organizations -------------------------------------------------------------------
    def org_q(self, prefix: str = "", *, write: bool = False) -> Q:
        """Q for the organizations (through `prefix`, e.g. "org__") inside this scope."""
        paths = self.admin_paths if write else self.read_paths
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(**{f"{prefix}path__startswith": path})
        return condition

    def covers_path(self, path: str, *, write: bool = False) -> bool:
        paths = self.admin_paths if write else self.read_paths
        return any(path.startswith(outer) for outer in paths)

    # -- people ----------------------------------------------------------------------------
    def person_q(self, prefix: str = "", *, write: bool = False) -> Q:
        """Q for the people inside this scope: those of its organizations, and oneself (read)."""
        condition = self.org_q(f"{prefix}org__", write=write)
        if not write and self.person_id is not None:
            condition |= Q(**{f"{prefix}pk": self.person_id})
        return condition

    def require_business_data(self) -> None:
        """三员 accounts see no business data: every organization or person list is missing to them."""
        if self.admin_role:
            from xuexi.errors import NotFound

            raise NotFound("page_not_found", "页面不存在")

    # -- roles -----------------------------------------------------------------------------
    @property
    def is_org_admin(self) -> bool:
        return bool(self.admin_paths)

    @property
    def is_reviewer(self) -> bool:
        return bool(self.review_paths)

    @property
    def sees_organizations(self) -> bool:
        return bool(self.read_paths)

    @property
    def is_system_admin(self) -> bool:
        return self.admin_role == AdminRole.SYSTEM

    @property
    def is_security_admin(self) -> bool:
        return self.admin_role == AdminRole.SECURITY

    @property
    def is_audit_admin(self) -> bool:
        return self.admin_role == AdminRole.AUDIT


def whole_tree_scope() -> Scope:
    """The scope of the command line and the demo: the whole tree, read and write."""
    return Scope(admin_paths=("",))
