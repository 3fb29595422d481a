"""网络学习计时: reading and viewing on the platform credited as 网络学习 in the hours ledger, checked on the server.

An item's page beats (a heartbeat) every `beat_seconds` while it is visible and its reader active. The server
credits a beat with the time since the reader's previous live beat of that item, at most one interval and its
grace, and only when the gap is within it: the first beat of a run, a beat after a hidden or idle spell, and
a gap longer than the interval and grace earn nothing (no back-filling an idle page); a beat earlier than the
interval less the grace is ignored (a rate limit); a clock gone back earns nothing. No span is credited twice
across items (two open tabs earn wall-clock time once), and the item's and the day's caps clip what is left.
The day is Asia/Shanghai's. A day's seconds become one PlatformCredit of 0.1 h per full 6 minutes, written
(and the ledger refreshed) only when that figure changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, Forbidden
from xuexi.learning import services as learning_services
from xuexi.learning.models import PlatformSource
from xuexi.library.access import access_item
from xuexi.library.errors import LibraryError
from xuexi.library.models import OnlineCreditRule, ReadingTime
from xuexi.orgs.models import Organization
from xuexi.people.models import Person

STEP_SECONDS = 360  # 0.1 学时 per full 6 minutes
DAY_TITLE = "学习资料库在线学习"
RULE_FIELDS = ("enabled", "beat_seconds", "grace_seconds", "item_cap_minutes", "day_cap_minutes")
LABELS = {"enabled": "计入网络学习学时", "beat_seconds": "计时间隔（秒）", "grace_seconds": "允许误差（秒）",
          "item_cap_minutes": "每条资料每天至多计（分钟）", "day_cap_minutes": "每人每天至多计（分钟）"}
BEAT_RANGE = (2, 600)
CAP_RANGE = (1, 1440)


def current_rule() -> OnlineCreditRule:
    """The province's rule, or the defaults while it has set none."""
    return OnlineCreditRule.objects.filter(pk=1).first() or OnlineCreditRule(pk=1)


def credited_hours(seconds: int) -> Decimal:
    """The day's 网络学习 hours: 0.1 for every full 6 minutes."""
    return Decimal(seconds // STEP_SECONDS) / 10


@dataclass(frozen=True)
class Beat:
    credited: int  # seconds this beat added
    today_seconds: int  # the reader's credited seconds today, every item
    today_hours: Decimal  # what the ledger holds for today

    @property
    def today_minutes(self) -> int:
        return self.today_seconds // 60


def _reader(scope: Scope) -> int:
    if scope.person_id is None:
        raise Forbidden(LibraryError.NOT_A_READER, "只有关联了人员的党员、干部计入网络学习学时")
    return scope.person_id


def _seconds(span: dt.timedelta) -> int:
    return max(int(span.total_seconds()), 0)


@transaction.atomic
def heartbeat(*, scope: Scope, item_id: int, visible: bool, active: bool, now: dt.datetime | None = None) -> Beat:
    """Count one heartbeat of an item's page for its reader (see the module for the rules); return today's time.

    Not audited beat by beat: a province's readers beat thousands of times a minute. The day's credit is a
    PlatformCredit row whose updated_at tells when it last changed, and these rows say how it was earned.
    """
    now = now or timezone.now()
    item = access_item(scope=scope, item_id=item_id)
    person_id = _reader(scope)
    # One beat at a time per reader: two tabs beating together must not both take the same span.
    Person.objects.select_for_update().filter(pk=person_id).values_list("pk", flat=True).first()
    rule = current_rule()
    day = timezone.localdate(now)
    rows = list(ReadingTime.objects.filter(person_id=person_id, day=day))
    before = sum(r.seconds for r in rows)
    row = next((r for r in rows if r.item_id == item.pk), None)
    if row is None:
        row = ReadingTime(person_id=person_id, item=item, day=day)
    live = visible and active and rule.enabled and item.removed_at is None
    credit = 0
    last = row.last_beat_at
    gap = now - last if last is not None else None
    earliest = dt.timedelta(seconds=rule.beat_seconds - rule.grace_seconds)
    latest_gap = dt.timedelta(seconds=rule.beat_seconds + rule.grace_seconds)
    if live and gap is not None and dt.timedelta(0) <= gap < earliest:
        row.beats += 1  # too early: counted as a beat, changes nothing else
    elif live and gap is not None and gap < dt.timedelta(0):
        row.beats += 1  # the clock went back: nothing until it passes the last live beat again
    else:
        if live and row.running and gap is not None and gap <= latest_gap:
            # Never a span another item of the reader's already took.
            latest = max(r.last_beat_at for r in [*rows, row] if r.last_beat_at is not None)
            credit = min(_seconds(gap), _seconds(now - latest))
            credit = max(0, min(credit, rule.item_cap_minutes * 60 - row.seconds, rule.day_cap_minutes * 60 - before))
        row.seconds += credit
        row.beats += 1
        if live:
            row.last_beat_at = now
        row.running = live
    if row.pk is None:
        row.save(force_insert=True)
    else:
        row.save(update_fields=["seconds", "beats", "last_beat_at", "running"])
    after = before + credit
    hours = credited_hours(after)
    if hours != credited_hours(before):
        learning_services.platform_credit_record(person_id=person_id, source=PlatformSource.ONLINE,
                                                 reference=day.isoformat(), day=day, hours=hours, title=DAY_TITLE)
    return Beat(credited=credit, today_seconds=after, today_hours=hours)


def today_seconds(*, scope: Scope, now: dt.datetime | None = None) -> int:
    """The viewer's credited online-learning seconds today (0 for a viewer who is not a person)."""
    if scope.person_id is None:
        return 0
    day = timezone.localdate(now or timezone.now())
    total = ReadingTime.objects.filter(person_id=scope.person_id, day=day).aggregate(s=Sum("seconds"))["s"]
    return int(total or 0)


# -- the province's rule ----------------------------------------------------------------------------------
def _invalid(field: str, value: object, expected: str) -> DomainError:
    return DomainError(LibraryError.RULE_INVALID, f"{LABELS[field]}“{value}”无效，应为{expected}", field=field)


def can_set_rule(scope: Scope) -> bool:
    root = Organization.objects.filter(depth=1).order_by("path").first()
    return root is not None and scope.covers_path(root.path, write=True)


@transaction.atomic
def online_rule_set(*, actor: User | None, scope: Scope, enabled: bool, beat_seconds: int, grace_seconds: int,
                    item_cap_minutes: int, day_cap_minutes: int) -> OnlineCreditRule:
    """网络学习计时规则: the province (an administrator of the root) sets the interval, the grace and the caps."""
    if not can_set_rule(scope):
        raise Forbidden(LibraryError.RULE_FORBIDDEN, "网络学习计时规则由省级组织管理员设置")
    if not BEAT_RANGE[0] <= beat_seconds <= BEAT_RANGE[1]:
        raise _invalid("beat_seconds", beat_seconds, f" {BEAT_RANGE[0]} 至 {BEAT_RANGE[1]} 的整数")
    if not 0 <= grace_seconds < beat_seconds:
        raise _invalid("grace_seconds", grace_seconds, f" 0 至 {beat_seconds - 1} 的整数（小于计时间隔）")
    for name, value in (("item_cap_minutes", item_cap_minutes), ("day_cap_minutes", day_cap_minutes)):
        if not CAP_RANGE[0] <= value <= CAP_RANGE[1]:
            raise _invalid(name, value, f" {CAP_RANGE[0]} 至 {CAP_RANGE[1]} 的整数")
    rule = OnlineCreditRule.objects.select_for_update().filter(pk=1).first() or OnlineCreditRule(pk=1)
    before: dict[str, Any] = {name: getattr(rule, name) for name in RULE_FIELDS}
    rule.enabled, rule.beat_seconds, rule.grace_seconds = enabled, beat_seconds, grace_seconds
    rule.item_cap_minutes, rule.day_cap_minutes = item_cap_minutes, day_cap_minutes
    rule.updated_at = timezone.now()
    rule.updated_by = actor.username if actor is not None else "系统"
    rule.save()
    after = {name: getattr(rule, name) for name in RULE_FIELDS}
    audit_record(action="online_rule_set", actor=actor, object_type="online_credit_rule", object_id="1",
                 object_repr="网络学习计时规则", detail={"before": before, "after": after})
    return rule
