"""Reads of the organization tree, always within the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from xuexi.accounts.scope import Scope
from xuexi.orgs.models import Organization, OrganizationChange


@dataclass(frozen=True)
class OrgFilters:
    search: str = ""  # name or code, partial
    level: str = ""
    kind: str = ""
    sector: str = ""
    under: str = ""  # only the subtree of this path
    include_inactive: bool = False


def org_list(*, scope: Scope, filters: OrgFilters | None = None) -> QuerySet[Organization]:
    """List the organizations in scope, filtered, in tree order."""
    scope.require_business_data()
    filters = filters or OrgFilters()
    qs = Organization.objects.filter(scope.org_q())
    if not filters.include_inactive:
        qs = qs.filter(is_active=True)
    if filters.search:
        qs = qs.filter(Q(name__contains=filters.search) | Q(code__startswith=filters.search))
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.under:
        qs = qs.filter(path__startswith=filters.under)
    return qs.order_by("path")


def org_roots(*, scope: Scope) -> QuerySet[Organization]:
    """The top organizations of the caller's scope: where their tree starts."""
    scope.require_business_data()
    return Organization.objects.filter(path__in=scope.read_paths).order_by("path")


def org_children(*, scope: Scope, org: Organization, include_inactive: bool = False) -> QuerySet[Organization]:
    """The direct children of an organization that the caller may see."""
    qs = Organization.objects.filter(scope.org_q()).filter(
        path__startswith=org.path, depth=org.depth + 1
    )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("path")


def org_breadcrumbs(*, scope: Scope, org: Organization) -> list[Organization]:
    """The ancestors of an organization that the caller may see, root first, then itself."""
    steplen = Organization.steplen
    paths = [org.path[: steplen * depth] for depth in range(1, org.depth + 1)]
    return list(Organization.objects.filter(scope.org_q(), path__in=paths).order_by("depth"))


def org_history(*, scope: Scope, org: Organization) -> QuerySet[OrganizationChange]:
    """The recorded changes of an organization in scope."""
    return OrganizationChange.objects.filter(org__in=Organization.objects.filter(scope.org_q()), org=org)


def org_subtree_count(*, scope: Scope, org: Organization) -> int:
    """How many active organizations the subtree holds, the organization included."""
    return Organization.objects.filter(scope.org_q(), path__startswith=org.path, is_active=True).count()


def org_parent_codes(*, scope: Scope, orgs: list[Organization]) -> dict[str, str]:
    """Map each organization's path to its parent's code, where the parent is in scope."""
    steplen = Organization.steplen
    parent_paths = {o.path[:-steplen] for o in orgs if o.depth > 1}
    rows = Organization.objects.filter(scope.org_q(), path__in=parent_paths).values_list("path", "code")
    by_path = dict(rows)
    return {o.path: by_path[o.path[:-steplen]] for o in orgs if o.path[:-steplen] in by_path}


def org_for_grant(*, scope: Scope, code: str) -> Organization:
    """An organization named in a grant: the security administrator grants over the whole tree."""
    from xuexi.errors import NotFound
    from xuexi.orgs.errors import OrgError

    org = Organization.objects.filter(code=code).first() if scope.is_security_admin else None
    if org is None:
        raise NotFound(OrgError.NOT_FOUND, f"组织编码 {code} 不存在")
    return org
