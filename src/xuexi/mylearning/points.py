"""学习积分, derived: a person's points of a day are Σ over the rules in force of min(cap, units × points).

Nothing is stored: each action's units per person and day are counted from the learning records in
SQL (one grouped statement per action, all in one UNION ALL), the cap applied in the same statement,
so a rule changed today re-reads the whole history the same way. The units:
- 阅读资料: library items a person opened, each item once on the day it was first opened, and once on
  each day the platform credited reading time for it (library.ReadingTime);
- 在线学习时长: whole blocks of `unit_minutes` of the day's credited reading time (ReadingTime);
- 每日一练: the day's practice handed in (PracticeDay);
- 考试合格: exams passed, on the day of the first passing attempt's hand-in;
- 参加学习活动: 出席 rows, on the activity's start date;
- 学时认定: certified claims, on the claim's start date.
"""

# ruff: noqa: S608 -- the statements are put together from the ORM's own SQL and integers of the rules;
# every value from outside (ids, dates, paths) is passed as a parameter.
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from xuexi.exams.models import Attempt
from xuexi.learning.models import Attendance, AttendanceStatus, ClaimStatus, LearningClaim
from xuexi.library.models import ItemView, ReadingTime
from xuexi.mylearning.models import PointAction, PointRule, PracticeDay


@dataclass(frozen=True)
class RuleTerms:
    action: str
    points: int
    daily_cap: int
    unit_minutes: int
    enabled: bool


def rules_in_force() -> list[RuleTerms]:
    """Every action with its terms: the stored rule, or off with the defaults."""
    stored = {r.action: r for r in PointRule.objects.all()}
    terms = []
    for action in PointAction.values:
        rule = stored.get(action)
        terms.append(RuleTerms(action, rule.points, rule.daily_cap, rule.unit_minutes, rule.enabled) if rule
                     else RuleTerms(action, 1, 1, 10, False))
    return terms


@dataclass(frozen=True)
class Who:
    """Whose points: one person, or the active people of an organization's subtree."""

    person_id: int | None = None
    org_path: str | None = None

    def q(self) -> Q:
        """The condition on a record's `person`."""
        if self.person_id is not None:
            return Q(person_id=self.person_id)
        return Q(person__org__path__startswith=self.org_path, person__is_active=True)


def _sql(qs: QuerySet[Any]) -> tuple[str, list[Any]]:
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def _units(action: str, who: Who, since: date, until: date, unit_seconds: int) -> tuple[str, list[Any]]:
    """SELECT person_id, day, units for one action."""
    if action == PointAction.READ:
        first_opens = (ItemView.objects.filter(who.q()).annotate(day=TruncDate("first_opened_at"))
                       .filter(day__gte=since, day__lte=until).values("person_id", "item_id", "day").order_by())
        sql, params = _sql(first_opens)
        read_days = (ReadingTime.objects.filter(who.q(), day__gte=since, day__lte=until, seconds__gt=0)
                     .values("person_id", "item_id", "day").order_by())
        more, more_params = _sql(read_days)
        sql, params = f"{sql} UNION {more}", params + more_params  # UNION: an item once a day
        return f"SELECT o.person_id, o.day, COUNT(*) AS units FROM ({sql}) o GROUP BY o.person_id, o.day", params
    if action == PointAction.ONLINE_TIME:
        seconds = (ReadingTime.objects.filter(who.q(), day__gte=since, day__lte=until)
                   .values("person_id", "day").annotate(total=Sum("seconds")).order_by())
        sql, params = _sql(seconds)
        return f"SELECT s.person_id, s.day, s.total / {int(unit_seconds)} AS units FROM ({sql}) s", params
    if action == PointAction.PRACTICE:
        qs: QuerySet[Any] = (PracticeDay.objects.filter(who.q(), day__gte=since, day__lte=until)
                             .values("person_id", "day").annotate(units=Count("id")).order_by())
    elif action == PointAction.EXAM_PASSED:
        earlier = Attempt.objects.filter(exam=OuterRef("exam"), person=OuterRef("person"), passed=True,
                                         seq__lt=OuterRef("seq"))
        qs = (Attempt.objects.filter(who.q(), passed=True, submitted_at__isnull=False)
              .filter(~Exists(earlier)).annotate(day=TruncDate("submitted_at"))
              .filter(day__gte=since, day__lte=until).values("person_id", "day").annotate(units=Count("id"))
              .order_by())
    elif action == PointAction.ACTIVITY:
        qs = (Attendance.objects.filter(who.q(), status=AttendanceStatus.PRESENT,
                                        activity__start_date__gte=since, activity__start_date__lte=until)
              .annotate(day=F("activity__start_date")).values("person_id", "day").annotate(units=Count("id"))
              .order_by())
    else:
        qs = (LearningClaim.objects.filter(who.q(), status=ClaimStatus.CERTIFIED, start_date__gte=since,
                                           start_date__lte=until)
              .annotate(day=F("start_date")).values("person_id", "day").annotate(units=Count("id")).order_by())
    return _sql(qs)


def _capped(rules: Sequence[RuleTerms], who: Who, since: date, until: date) -> tuple[str, list[Any]] | None:
    """SELECT person_id, day, action, points: one row per person, day and action, capped."""
    parts: list[str] = []
    params: list[Any] = []
    for rule in rules:
        if not rule.enabled:
            continue
        sql, unit_params = _units(rule.action, who, since, until, rule.unit_minutes * 60)
        earned = f"(u.units * {int(rule.points)})"
        parts.append(f"SELECT u.person_id AS person_id, u.day AS day, %s AS action, "
                     f"CASE WHEN {earned} > {int(rule.daily_cap)} THEN {int(rule.daily_cap)} ELSE {earned} END "
                     f"AS points FROM ({sql}) u")
        params += [rule.action, *unit_params]
    if not parts:
        return None
    return " UNION ALL ".join(parts), params


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class DayPoints:
    day: date
    action: str
    points: int


def points_by_day(*, person_id: int, since: date, until: date,
                  rules: Sequence[RuleTerms] | None = None) -> list[DayPoints]:
    """A person's points per day and action between two days, by the rules in force (or those given)."""
    capped = _capped(rules if rules is not None else rules_in_force(), Who(person_id=person_id), since, until)
    if capped is None:
        return []
    sql, params = capped
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT c.day, c.action, c.points FROM ({sql}) c WHERE c.points > 0 "
                       f"ORDER BY c.day, c.action", params)
        return [DayPoints(_day(day), action, int(points)) for day, action, points in cursor.fetchall()]


def points_by_person(*, org_path: str, since: date, until: date, rules: Sequence[RuleTerms] | None = None,
                     limit: int | None = None) -> list[tuple[int, int]]:
    """(person id, points) of the active people of a subtree who earned any, most first."""
    capped = _capped(rules if rules is not None else rules_in_force(), Who(org_path=org_path), since, until)
    if capped is None:
        return []
    sql, params = capped
    statement = (f"SELECT c.person_id, SUM(c.points) AS total FROM ({sql}) c GROUP BY c.person_id "
                 f"HAVING SUM(c.points) > 0 ORDER BY total DESC, c.person_id")
    if limit is not None:
        statement += " LIMIT %s"
        params = [*params, limit]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [(int(person_id), int(total)) for person_id, total in cursor.fetchall()]
