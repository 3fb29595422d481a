"""Writes of 学习积分 and 每日一练 records: each one transaction, checked against the scope, audited."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, Forbidden
from xuexi.learning.services import switch_set
from xuexi.mylearning.errors import MyLearningError
from xuexi.mylearning.models import PointAction, PointRule, PointsSwitch, PracticeDay
from xuexi.orgs.models import Organization
from xuexi.people.models import Person

POINTS_LIMIT = 100
CAP_LIMIT = 1000
UNIT_MINUTES_LIMIT = 600


def sets_point_rules(scope: Scope) -> bool:
    """积分规则 are the province's: an administrator whose write scope holds the root of the tree."""
    root = Organization.objects.filter(depth=1).order_by("path").first()
    return root is not None and scope.covers_path(root.path, write=True)


def _number(value: int, *, field: str, label: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainError(MyLearningError.RULE_INVALID, f"{label}“{value}”无效：应为 {low} 到 {high} 之间的整数",
                          field=field)
    return value


@transaction.atomic
def point_rule_set(*, actor: User | None, scope: Scope, action: str, points: int, daily_cap: int,
                   unit_minutes: int = 10, enabled: bool) -> PointRule:
    """Set one action's points, daily cap and whether it counts; the province alone, audited."""
    scope.require_business_data()
    if not sets_point_rules(scope):
        raise Forbidden(MyLearningError.RULE_FORBIDDEN, "积分规则由省级组织管理员设置")
    if action not in PointAction.values:
        raise DomainError(MyLearningError.RULE_INVALID,
                          f"积分项目“{action}”无效：应为 {'、'.join(PointAction.values)} 之一", field="action")
    _number(points, field="points", label="每次积分", low=1, high=POINTS_LIMIT)
    _number(daily_cap, field="daily_cap", label="每日上限", low=1, high=CAP_LIMIT)
    _number(unit_minutes, field="unit_minutes", label="每单位分钟数", low=1, high=UNIT_MINUTES_LIMIT)
    before = PointRule.objects.filter(action=action).values("points", "daily_cap", "unit_minutes", "enabled").first()
    rule, _ = PointRule.objects.update_or_create(action=action, defaults={
        "points": points, "daily_cap": daily_cap, "unit_minutes": unit_minutes, "enabled": enabled,
        "updated_at": timezone.now(), "updated_by": (actor.display_name or actor.username) if actor else "xuexi",
    })
    audit_record(action="point_rule_set", actor=actor, object_type="point_rule", object_id=action,
                 detail={"before": before, "points": points, "daily_cap": daily_cap, "unit_minutes": unit_minutes,
                         "enabled": enabled})
    return rule


def points_switch(*, actor: User | None, scope: Scope, org_code: str, enabled: bool | None) -> None:
    """学习积分 shown to an organization's subtree or not."""
    switch_set(PointsSwitch, action="points_switch", actor=actor, scope=scope, org_code=org_code, enabled=enabled)


def practice_record(*, person: Person, day: date, questions: int, right: int) -> None:
    """每日一练 handed in: the day is kept (its first hand-in audited), later hand-ins keep the last score."""
    if questions <= 0:
        return  # no question reached the person: nothing was practised
    with transaction.atomic():
        updated = PracticeDay.objects.filter(person=person, day=day).update(
            questions=questions, right=right, handed_in=F("handed_in") + 1)
        if updated:
            return
        try:
            with transaction.atomic():
                PracticeDay.objects.create(person=person, day=day, questions=questions, right=right)
        except IntegrityError:
            # A second hand-in of the same day, at the same moment: it only updates the score.
            PracticeDay.objects.filter(person=person, day=day).update(
                questions=questions, right=right, handed_in=F("handed_in") + 1)
            return
        audit_record(action="practice_done", actor=User.objects.filter(person=person).first(),
                     object_type="person", object_id=person.number, object_repr=person.name,
                     detail={"day": day.isoformat(), "questions": questions, "right": right})
