"""Reads of 学习积分: whether points show, a person's points, an organization's summary and ranking."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden, NotFound
from xuexi.learning.selectors import own_switch, rankings_open, switch_open
from xuexi.mylearning import points
from xuexi.mylearning.errors import MyLearningError
from xuexi.mylearning.models import PointAction, PointsSwitch
from xuexi.orgs.errors import OrgError
from xuexi.orgs.models import Organization
from xuexi.people.models import Person

RECENT_DAYS = 30


def points_open(org: Organization) -> bool:
    return switch_open(PointsSwitch, org)


def point_rule_terms() -> list[points.RuleTerms]:
    """Every action's terms in force (a rule never set is off), for the rules page."""
    return points.rules_in_force()


def own_points_switch(org: Organization) -> bool | None:
    return own_switch(PointsSwitch, org)


@dataclass(frozen=True)
class RuleTotal:
    action: str
    points_each: int
    daily_cap: int
    unit_minutes: int
    earned: int


@dataclass
class PersonPoints:
    """学习积分 of a person for a year: nothing computed while their organization does not show points."""

    year: int
    shown: bool
    total: int = 0
    today: int = 0
    by_rule: list[RuleTotal] = field(default_factory=list)
    recent: list[tuple[date, int]] = field(default_factory=list)  # the last 30 days, oldest first
    rules_enabled: int = 0


def person_points(*, person: Person, year: int, today: date, whole_tree: bool = False) -> PersonPoints:
    """A person's points this year by rule and by day (the last 30 days), when their organization shows points.

    The caller has fetched the person through my_person or access_person; the command line (whole_tree)
    reads them whether shown or not.
    """
    shown = points_open(person.org)
    if not shown and not whole_tree:
        return PersonPoints(year=year, shown=False)
    rules = points.rules_in_force()
    enabled = [r for r in rules if r.enabled]
    first = min(date(year, 1, 1), today - timedelta(days=RECENT_DAYS - 1))
    last = max(date(year, 12, 31), today)
    rows = points.points_by_day(person_id=person.pk, since=first, until=last, rules=enabled)
    by_action: dict[str, int] = defaultdict(int)
    by_day: dict[date, int] = defaultdict(int)
    for row in rows:
        if row.day.year == year:
            by_action[row.action] += row.points
        by_day[row.day] += row.points
    recent_days = [today - timedelta(days=n) for n in range(RECENT_DAYS - 1, -1, -1)]
    return PersonPoints(
        year=year, shown=shown, total=sum(by_action.values()), today=by_day.get(today, 0),
        by_rule=[RuleTotal(r.action, r.points, r.daily_cap, r.unit_minutes, by_action.get(r.action, 0))
                 for r in enabled],
        recent=[(day, by_day.get(day, 0)) for day in recent_days], rules_enabled=len(enabled),
    )


@dataclass(frozen=True)
class OrgPoints:
    """An organization's subtree in a year: who earned points and the average, never a ranking."""

    org: Organization
    year: int
    shown: bool  # its members see points
    own_switch: bool | None
    ranking_open: bool  # 学习排名 is on too: the points ranking shows
    rules_enabled: int
    people: int
    earners: int
    total: int

    @property
    def average(self) -> float | None:
        """Points per person of the roster."""
        return round(self.total / self.people, 1) if self.people else None

    @property
    def average_of_earners(self) -> float | None:
        return round(self.total / self.earners, 1) if self.earners else None


def org_points_summary(*, scope: Scope, org: Organization, year: int) -> OrgPoints:
    """The points summary of an organization fetched through access_org.

    Counted only while its members see points and some rule counts: off (the default), nothing is read.
    """
    scope.require_business_data()
    shown = points_open(org)
    enabled = [r for r in points.rules_in_force() if r.enabled]
    people = Person.objects.filter(org__path__startswith=org.path, is_active=True).count()
    earned: list[tuple[int, int]] = []
    if shown and enabled:
        earned = points.points_by_person(org_path=org.path, since=date(year, 1, 1), until=date(year, 12, 31),
                                         rules=enabled)
    return OrgPoints(org=org, year=year, shown=shown, own_switch=own_points_switch(org),
                     ranking_open=shown and rankings_open(org), rules_enabled=len(enabled),
                     people=people, earners=len(earned), total=sum(total for _, total in earned))


@dataclass(frozen=True)
class PointsRankingRow:
    rank: int
    number: str
    name: str
    org_name: str
    points: int


@dataclass(frozen=True)
class PointsRanking:
    org: Organization
    year: int
    rows: list[PointsRankingRow]
    own: PointsRankingRow | None


def points_ranking(*, scope: Scope, code: str, year: int, limit: int = 50) -> PointsRanking:
    """积分排名: only while both 学习排名 and 学习积分 are on for the organization, with 学习排名's access:
    those who administer or review it, and its own members."""
    scope.require_business_data()
    org = Organization.objects.filter(code=code).first()
    if org is None:
        raise NotFound(OrgError.NOT_FOUND, f"组织编码 {code} 不存在")
    own_org = (Person.objects.filter(pk=scope.person_id).values_list("org_id", flat=True).first()
               if scope.person_id is not None else None)
    reads = scope.covers_path(org.path)
    if not reads and own_org != org.pk:
        raise NotFound(OrgError.NOT_FOUND, f"组织编码 {org.code} 不存在")
    if not (rankings_open(org) and points_open(org)):
        if not reads:
            raise NotFound(OrgError.NOT_FOUND, f"组织编码 {org.code} 不存在")
        raise Forbidden(MyLearningError.RANKING_CLOSED,
                        f"{org.name}未同时开启学习排名和学习积分，不显示积分排名")
    enabled = [r for r in points.rules_in_force() if r.enabled]
    earned = points.points_by_person(org_path=org.path, since=date(year, 1, 1), until=date(year, 12, 31),
                                     rules=enabled) if enabled else []
    named = {p.pk: p for p in Person.objects.filter(pk__in=[pid for pid, _ in earned[:limit]]).select_related("org")}
    rows = [PointsRankingRow(place, named[pid].number, named[pid].name, named[pid].org.name, total)
            for place, (pid, total) in enumerate(earned[:limit], start=1)]
    own = None
    if scope.person_id is not None:
        mine = next(((place, total) for place, (pid, total) in enumerate(earned, start=1) if pid == scope.person_id),
                    None)
        person = named.get(scope.person_id) or Person.objects.filter(
            pk=scope.person_id, org__path__startswith=org.path).select_related("org").first()
        if person is not None:
            own = PointsRankingRow(mine[0] if mine else len(earned) + 1, person.number, person.name, person.org.name,
                                   mine[1] if mine else 0)
    return PointsRanking(org=org, year=year, rows=rows, own=own)


ACTION_NOTES = {
    PointAction.READ: "打开一条学习资料（每条资料每天计一次）",
    PointAction.ONLINE_TIME: "平台计时的在线学习每满 N 分钟",
    PointAction.PRACTICE: "完成当天的每日一练",
    PointAction.EXAM_PASSED: "考试合格（每场考试只计首次合格）",
    PointAction.ACTIVITY: "出席学习活动（按活动开始日期）",
    PointAction.CLAIM: "学时申报经认定（按学习开始日期）",
}
