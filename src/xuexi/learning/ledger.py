"""学时认定: where every credited hour comes from, and how much a record is worth."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from xuexi.learning.models import CreditRule


def default_rules() -> dict[str, CreditRule]:
    return {rule.kind: rule for rule in CreditRule.objects.all()}


def default_hours(kind: str, length_days: int, rules: Mapping[str, CreditRule]) -> Decimal:
    """The credit a kind earns when a record gives no hours: per day for multi-day kinds, else per session."""
    rule = rules.get(kind)
    if rule is None:
        return Decimal(0)
    if rule.hours_per_day is not None:
        return rule.hours_per_day * length_days
    return rule.hours_per_session


def credited_hours(
    *, attendance_hours: Decimal | None, activity_hours: Decimal | None, kind: str, length_days: int,
    rules: Mapping[str, CreditRule],
) -> tuple[Decimal, str]:
    """Hours credited to one present person, and the reason: the row's, the activity's, or the default."""
    if attendance_hours is not None:
        return attendance_hours, "参加记录登记的学时"
    if activity_hours is not None:
        return activity_hours, "活动登记的学时"
    return default_hours(kind, length_days, rules), "学时认定规则的默认学时"
