"""The chokepoints for inspections and their rectification items, on someone's behalf.

Who sees an inspection: those who see the inspecting organization (the inspecting side, and the
reviewers above), those who see one of the inspected organizations, and those who see an
organization that owes one of its items. Only the inspecting side changes it; an item is answered
by the administrators of the organization that owes it, who are not the inspecting side.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden, NotFound
from xuexi.supervision.errors import SupervisionError
from xuexi.supervision.models import InspectedOrganization, Inspection, RectificationItem


def inspection_q(scope: Scope) -> Q:
    """Q for the inspections the scope sees: run by, of, or owed by an organization inside it."""
    targets = InspectedOrganization.objects.filter(scope.org_q("org__"), inspection=OuterRef("pk"))
    owed = RectificationItem.objects.filter(scope.org_q("responsible_org__"), inspection=OuterRef("pk"))
    return scope.org_q("inspector_org__") | Q(Exists(targets)) | Q(Exists(owed))


def inspects(scope: Scope, inspection: Inspection) -> bool:
    """The inspecting side: write scope over the organization that runs the inspection."""
    return scope.covers_path(inspection.inspector_org.path, write=True)


def sees_all_of(scope: Scope, inspection: Inspection) -> bool:
    """The inspecting side and those above it see every inspected organization and item."""
    return scope.covers_path(inspection.inspector_org.path)


def item_q(scope: Scope, inspection: Inspection) -> Q:
    """Q for the items of an inspection the scope sees: all of them, or those of its organizations."""
    if sees_all_of(scope, inspection):
        return Q()
    return scope.org_q("responsible_org__") | scope.org_q("finding__item__target__org__")


def may_answer(scope: Scope, item: RectificationItem) -> bool:
    """The owing organization's administrators answer; the inspecting side may not answer its own requirement."""
    return (scope.covers_path(item.responsible_org.path, write=True)
            and not scope.covers_path(item.inspection.inspector_org.path, write=True))


def access_inspection(*, scope: Scope, number: str, write: bool = False) -> Inspection:
    """An inspection the scope sees; outside it answers exactly as a missing number. Changing it is the inspectors'."""
    scope.require_business_data()
    inspection = (Inspection.objects.select_related("inspector_org")
                  .filter(inspection_q(scope), number=number).first())
    if inspection is None:
        raise NotFound(SupervisionError.NOT_FOUND, f"督学检查编号 {number} 不存在")
    if write and not inspects(scope, inspection):
        raise Forbidden(SupervisionError.READ_ONLY,
                        f"督学检查 {number} 由{inspection.inspector_org.name}组织，您只能查看")
    return inspection


def access_rectification(*, scope: Scope, number: str, seq: int) -> RectificationItem:
    """An item of an inspection the scope sees, when the scope sees the item; else as a missing one."""
    inspection = access_inspection(scope=scope, number=number)
    item = (RectificationItem.objects
            .select_related("responsible_org", "finding__item__target__org", "finding__rule", "finding__activity")
            .filter(item_q(scope, inspection), inspection=inspection, seq=seq).first())
    if item is None:
        raise NotFound(SupervisionError.RECTIFICATION_NOT_FOUND, f"督学检查 {number} 没有第 {seq} 项整改事项")
    item.inspection = inspection
    return item
