"""The daily reminders of rectification items, for `xuexi remind`: to the owing organization's administrators
in the week before the due date, on the day, and once a week while the item is overdue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from datetime import date, timedelta

from django.urls import reverse

from xuexi.accounts.models import GrantRole, ScopeGrant
from xuexi.notices.models import NotificationKind
from xuexi.notices.services import Draft, nearest_admins
from xuexi.supervision.models import RectificationItem
from xuexi.supervision.selectors import OWED_STATES

WARNING_DAYS = 7


def owing_admins(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], set[int]]:
    """For (owing organization, inspecting organization) pairs: the owing organization's nearest administrators,
    less the inspecting organization's own. An organization without administrators of its own falls to its
    parent's, and the parent may be the inspecting organization: the inspectors are not told to answer themselves.
    """
    wanted: Collection[tuple[int, int]] = set(pairs)
    nearest = nearest_admins(owing for owing, _ in wanted)
    inspecting: dict[int, set[int]] = defaultdict(set)
    grants = ScopeGrant.objects.filter(org_id__in={inspector for _, inspector in wanted}, role=GrantRole.ORG_ADMIN)
    for org_id, user_id in grants.values_list("org_id", "user_id"):
        inspecting[org_id].add(user_id)
    return {(owing, inspector): nearest.get(owing, set()) - inspecting[inspector] for owing, inspector in wanted}


def _when(item: RectificationItem, as_of: date) -> tuple[str, str]:
    """The reminder's key part and its wording: before, on, or after the due date.

    Keyed by the due date and, once overdue, by the week since it: a rerun the same day (or a
    day the cron missed) gives no second notice, and a new due date starts over.
    """
    due = item.due_date.isoformat()
    days = (item.due_date - as_of).days
    if days > 0:
        return f"before:{due}", f"将于 {due} 到期（还有 {days} 天）"
    if days == 0:
        return f"due:{due}", f"今天（{due}）到期"
    week = (-days - 1) // WARNING_DAYS
    return f"overdue:{due}:{week}", f"已逾期 {-days} 天（整改期限 {due}）"


def rectification_reminders(as_of: date) -> Iterator[tuple[int, Draft]]:
    """Items waiting on their organization (to be answered, or sent back) due within a week or overdue."""
    items = list(RectificationItem.objects.filter(
        status__in=OWED_STATES, due_date__lte=as_of + timedelta(days=WARNING_DAYS), responsible_org__is_active=True,
    ).select_related("inspection__inspector_org", "responsible_org").order_by("due_date", "id"))
    admins = owing_admins((item.responsible_org_id, item.inspection.inspector_org_id) for item in items)
    for item in items:
        key, when = _when(item, as_of)
        inspection = item.inspection
        draft = Draft(
            kind=NotificationKind.RECTIFICATION, key=f"rectification:{item.pk}:{key}",
            title=f"{item.responsible_org.name}：整改事项{when}",
            body=(f"{inspection.inspector_org.name}“{inspection.title}”第 {item.seq} 项整改要求：{item.requirement}\n"
                  f"状态：{item.get_status_display()}。请在平台上报送整改措施和佐证材料。"),
            link=reverse("web:rectification_detail", args=[inspection.number, item.seq]))
        for user_id in sorted(admins[(item.responsible_org_id, inspection.inspector_org_id)]):
            yield user_id, draft
