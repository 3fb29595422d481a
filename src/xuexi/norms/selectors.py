"""Reads of compliance, always within the viewer's scope: a subject's rows with why, and a subtree's roll-up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from xuexi.accounts.scope import Scope
from xuexi.learning import selectors as learning_selectors
from xuexi.learning.models import Activity, AttendanceStatus
from xuexi.norms import reporting, standings
from xuexi.norms.access import access_rule
from xuexi.norms.engine import Period, Row, Skipped, Status, periods_of, skipped_rules, version_in_force
from xuexi.norms.models import (
    Exemption,
    GroupCoverageRollup,
    Metric,
    Rule,
    RuleVersion,
    Standing,
    StandingRollup,
    SubjectType,
)
from xuexi.orgs.models import Level, Organization, Sector
from xuexi.people.models import FocusGroup, Person


@dataclass(frozen=True)
class Evidence:
    """One record looked at for a row: what it is, how much it gave, and if not, why not."""

    source: str
    reference: str
    title: str
    day: date
    amount: Decimal
    counted: bool
    reason: str


@dataclass
class ExplainedRow:
    row: Row
    rule_name: str
    source: str  # the norm's sentence
    version_from: date
    period: Period
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def deadline_note(self) -> str:
        span = f"周期 {self.period.start:%Y-%m-%d} 至 {self.period.end:%Y-%m-%d}"
        if self.row.deadline != self.period.end:
            return f"{span}，截止于次年 1 月 31 日 24 时（北京时间）"
        return f"{span}，周期结束即截止"


def _period(version: RuleVersion, label: str, year: int) -> Period:
    return next(p for p in periods_of(version.period, year, version.window_years) if p.label == label)


def _in_period(day: date, period: Period) -> bool:
    return period.start <= day <= period.end


def _person_evidence(scope: Scope, person: Person, version: RuleVersion, period: Period) -> list[Evidence]:
    evidence = []
    for year in period.years:
        for entry in learning_selectors.person_archive(scope=scope, person=person, year=year).entries:
            if version.kinds and entry.kind not in version.kinds:
                continue
            amount = entry.hours if version.metric == Metric.HOURS else entry.days
            if not _in_period(entry.start_date, period):
                reason, counted = f"开始于 {entry.start_date:%Y-%m-%d}，不在本周期", False
            elif not entry.counted:
                reason, counted = entry.reason, False
            elif version.off_job_only and not entry.off_job:
                reason, counted = "不是脱产培训", False
            else:
                reason, counted = entry.reason, True
            evidence.append(Evidence(entry.source, entry.reference, entry.title, entry.start_date,
                                     amount if counted else Decimal(0), counted, reason))
    return evidence


def _activity_evidence(activities: list[Activity], period: Period, what: str) -> list[Evidence]:
    return [
        Evidence(what, a.number, f"{a.kind}：{a.topic}", a.start_date, Decimal(1 if _in_period(a.start_date, period)
                                                                             else 0),
                 _in_period(a.start_date, period),
                 "计入" if _in_period(a.start_date, period) else f"开始于 {a.start_date:%Y-%m-%d}，不在本周期")
        for a in activities
    ]


def _presence_evidence(org: Organization, version: RuleVersion, period: Period) -> list[Evidence]:
    """Each session the organization hosted in the period, with how many of its central group were present."""
    members = Person.objects.filter(org=org, is_active=True, central_group_member=True).count()
    sessions = Activity.objects.filter(host=org, start_date__range=(period.start, period.end))
    if version.kinds:
        sessions = sessions.filter(kind__in=version.kinds)
    sessions = sessions.annotate(present=Count("attendance", filter=Q(
        attendance__status=AttendanceStatus.PRESENT, attendance__person__central_group_member=True,
        attendance__person__is_active=True, attendance__person__org=org))).order_by("start_date")
    return [Evidence("主办活动", a.number, f"{a.kind}：{a.topic}", a.start_date, Decimal(a.present), bool(members),
                     f"中心组成员 {members} 人，出席 {a.present} 人" if members else "本组织未登记中心组成员")
            for a in sessions]


def _report_evidence(org: Organization, year: int) -> list[Evidence]:
    """When the report on the year first reached the level above, against the deadline."""
    moment = reporting.first_submissions(year, [org.pk]).get(org.pk)
    if moment is None:
        return []
    local = moment.astimezone(reporting.SHANGHAI)
    counted = reporting.on_time(moment, year)
    reason = f"于 {local:%Y-%m-%d %H:%M:%S} 首次报送" + ("" if counted else "，晚于截止时间")
    return [Evidence("年度学习总结和计划", str(year), f"{year} 年度学习总结和 {year + 1} 年度学习计划", local.date(),
                     Decimal(1 if counted else 0), counted, reason)]


def _explain(scope: Scope, row: Row, version: RuleVersion, year: int, subject: Organization | Person) -> ExplainedRow:
    period = _period(version, row.period, year)
    explained = ExplainedRow(row=row, rule_name=version.name, source=version.source,
                             version_from=version.effective_from, period=period)
    kinds = version.kinds or None
    if version.metric in (Metric.HOURS, Metric.DAYS) and isinstance(subject, Person):
        explained.evidence = _person_evidence(scope, subject, version, period)
    elif version.metric == Metric.HOSTED and isinstance(subject, Organization):
        hosted = Activity.objects.filter(host=subject, start_date__year__in=period.years).order_by("start_date")
        explained.evidence = _activity_evidence(list(hosted.filter(kind__in=kinds) if kinds else hosted), period,
                                                "主办活动")
    elif version.metric == Metric.PRESENCE and isinstance(subject, Organization):
        explained.evidence = _presence_evidence(subject, version, period)
    elif version.metric == Metric.REPORT_ON_TIME and isinstance(subject, Organization):
        explained.evidence = _report_evidence(subject, year)
    elif version.metric == Metric.SPOKE and isinstance(subject, Person):
        given = Activity.objects.filter(speaker_person=subject, start_date__year__in=period.years)
        explained.evidence = _activity_evidence(
            list((given.filter(kind__in=kinds) if kinds else given).order_by("start_date")), period, "主讲活动")
    return explained


def subject_compliance(*, scope: Scope, subject: Organization | Person, year: int,
                       as_of: date) -> list[ExplainedRow]:
    """A person's or an organization's own rows for a year, each with the records behind it.

    The caller has fetched the subject through access_person or access_org.
    """
    scope.require_business_data()
    standings.ensure_year(year)
    held = Standing.objects.filter(year=year)
    held = held.filter(person=subject) if isinstance(subject, Person) else held.filter(
        subject_type=SubjectType.ORG, org=subject)
    rows = list(standings.rows_of(held.order_by("rule__code", "start_day"), as_of))
    versions = RuleVersion.objects.in_bulk({row.version_id for row in rows})
    return [_explain(scope, row, versions[row.version_id], year, subject) for row in rows]


@dataclass(slots=True)
class Tally:
    met: int = 0
    missed: int = 0
    in_progress: int = 0
    exempt: int = 0
    at_risk: int = 0

    def add(self, status: str, at_risk: bool, count: int = 1) -> None:
        setattr(self, status, getattr(self, status) + count)
        if at_risk:
            self.at_risk += count

    def merge(self, other: Tally) -> None:
        # Spelled out: a dashboard at the root merges a few thousand of these per view.
        self.met += other.met
        self.missed += other.missed
        self.in_progress += other.in_progress
        self.exempt += other.exempt
        self.at_risk += other.at_risk

    @property
    def counted(self) -> int:
        return self.met + self.missed + self.in_progress

    @property
    def rate(self) -> float | None:
        """met / (met + missed + in_progress), as spec/norms.md defines the compliance rate."""
        return self.met / self.counted if self.counted else None

    @property
    def percent(self) -> float | None:
        rate = self.rate
        return None if rate is None else round(100 * rate, 1)


@dataclass
class RuleRollup:
    rule: str
    name: str
    subject_type: str
    period_kind: str
    total: Tally = field(default_factory=Tally)
    by_period: dict[str, Tally] = field(default_factory=dict)
    by_child: dict[str, Tally] = field(default_factory=dict)  # 组织编码 (the organization itself: its own code)
    by_level: dict[str, Tally] = field(default_factory=dict)  # 组织层级
    by_sector: dict[str, Tally] = field(default_factory=dict)  # 单位类别
    behind: list[Row] = field(default_factory=list)  # missed, and in progress behind pace

    def children_ranked(self) -> list[tuple[str, Tally]]:
        """The direct children, lowest compliance rate first (those with nothing counted last)."""
        return sorted(self.by_child.items(), key=lambda item: (item[1].rate is None, item[1].rate or 0, item[0]))


@dataclass
class Rollup:
    org: Organization
    year: int
    as_of: date
    rules: list[RuleRollup]
    children: list[Organization]
    skipped: list[str]

    @property
    def child_names(self) -> dict[str, str]:
        return {self.org.code: f"{self.org.name}（本级）", **{c.code: c.name for c in self.children}}


def _tally(*, met: int, exempt: int, short: int, deadline_day: int, behind_from_day: int, today: int) -> Tally:
    """A count of the roll-up judged on a day, as standings.with_status judges each standing."""
    tally = Tally(met=met, exempt=exempt)
    if today > deadline_day:
        tally.add(Status.MISSED, False, short)
    else:
        tally.add(Status.IN_PROGRESS, behind_from_day <= today, short)
    return tally


ROLLUP_FIELDS = ("rule_id", "period", "quarter", "child_path", "org_level", "org_sector", "deadline_day",
                 "behind_from_day", "met", "exempt", "short")


def _counted(org: Organization, year: int, as_of: date, **filters: Any) -> Iterator[tuple[Any, ...]]:
    """The roll-up rows counted for an organization, each with its tally on the day."""
    today = as_of.toordinal()
    for (rule_id, period, quarter, child, level, sector, deadline, behind_from, met, exempt, short) in (
            StandingRollup.objects.filter(year=year, org_path=org.path, **filters).values_list(*ROLLUP_FIELDS)):
        yield rule_id, period, quarter, child, level, sector, _tally(
            met=met, exempt=exempt, short=short, deadline_day=deadline, behind_from_day=behind_from, today=today)


def _versions_shown(rule_ids: Collection[int], year: int) -> dict[int, RuleVersion]:
    """Each rule's version to name it by in a year: the one in force at its end, else its first."""
    versions: dict[int, list[RuleVersion]] = defaultdict(list)
    for version in RuleVersion.objects.filter(rule_id__in=rule_ids).select_related("rule"):
        versions[version.rule_id].append(version)
    return {rule_id: version_in_force(vs, date(year, 12, 31)) or min(vs, key=lambda v: v.effective_from)
            for rule_id, vs in versions.items()}


def _rule_names(rule_ids: Collection[int], year: int) -> dict[int, tuple[str, str]]:
    return {rule_id: (v.rule.code, v.name) for rule_id, v in _versions_shown(rule_ids, year).items()}


def _add(tallies: dict[str, Tally], key: str, tally: Tally) -> None:
    held = tallies.get(key)
    if held is None:
        tallies[key] = Tally(tally.met, tally.missed, tally.in_progress, tally.exempt, tally.at_risk)
    else:
        held.merge(tally)


def subtree_rollup(*, scope: Scope, org: Organization, year: int, as_of: date, behind_limit: int = 200) -> Rollup:
    """一级抓一级: every rule's rows for the subtree of an organization, by period, by direct child, by 组织层级
    and 单位类别, from the counts kept for the organization; then, rule by rule, the first subjects behind."""
    scope.require_business_data()
    standings.ensure_year(year)
    children = list(Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True)
                    .order_by("path"))
    code_of = {c.path: c.code for c in children}
    counted = list(_counted(org, year, as_of))
    shown = _versions_shown({row[0] for row in counted}, year)
    rollups = {rule_id: RuleRollup(rule=v.rule.code, name=v.name, subject_type=v.subject_type, period_kind=v.period)
               for rule_id, v in sorted(shown.items(), key=lambda item: item[1].rule.code)}
    for rule_id, period, _, child, level, sector, tally in counted:
        rollup = rollups[rule_id]
        _add(rollup.by_period, period, tally)
        _add(rollup.by_child, code_of.get(child, org.code), tally)
        _add(rollup.by_level, level, tally)
        _add(rollup.by_sector, sector, tally)
    for rollup in rollups.values():
        for tally in rollup.by_period.values():
            rollup.total.merge(tally)
        rollup.by_period = dict(sorted(rollup.by_period.items()))
        rollup.by_child = dict(sorted(rollup.by_child.items(), key=lambda item: (item[0] != org.code, item[0])))
        rollup.by_level = {level: rollup.by_level[level] for level in Level.values if level in rollup.by_level}
        rollup.by_sector = {s: rollup.by_sector[s] for s in Sector.values if s in rollup.by_sector}
    behind = standings.behind_by_rule(
        year=year, org_path=org.path, as_of=as_of, limit=behind_limit,
        rule_ids=[rule_id for rule_id, r in rollups.items() if r.total.missed or r.total.at_risk])
    for rule_id, rows in behind.items():
        rollups[rule_id].behind = rows
    return Rollup(org=org, year=year, as_of=as_of, rules=list(rollups.values()), children=children,
                  skipped=[f"{s.rule}：{s.reason}" for s in skipped_rules(year=year)])


@dataclass(frozen=True)
class QuarterPoint:
    quarter: int
    this_year: float | None  # compliance rate of the quarterly rules, percent
    last_year: float | None


def quarter_trend(*, scope: Scope, org: Organization, year: int, as_of: date) -> list[QuarterPoint]:
    """Quarter by quarter, the compliance rate of the quarterly rules in the subtree, against the year before."""
    scope.require_business_data()
    rates: dict[tuple[int, int], float | None] = {}
    for y in (year - 1, year):
        standings.ensure_year(y)
        merged: dict[int, Tally] = {}
        for _, _, quarter, _, _, _, tally in _counted(org, y, as_of, quarter__gt=0):
            merged.setdefault(quarter, Tally()).merge(tally)
        rates.update({(y, q): tally.percent for q, tally in merged.items()})
    return [QuarterPoint(q, rates.get((year, q)), rates.get((year - 1, q))) for q in (1, 2, 3, 4)]


@dataclass(frozen=True)
class GroupCoverage:
    """关注群体 of the seed document's 五(二): how many of a group learned at all in the year."""

    group: str
    people: int
    learners: int  # with at least one credited record in the year

    @property
    def percent(self) -> float | None:
        return round(100 * self.learners / self.people, 1) if self.people else None


def focus_group_coverage(*, scope: Scope, org: Organization, year: int) -> list[GroupCoverage]:
    """Learning coverage of each 关注群体 (retired, remote rural, non-public and new social organizations,
    laid off, mobile members) among the people on the roster of the subtree, from the maintained counts."""
    scope.require_business_data()
    standings.ensure_year(year)
    counts = {group: (people, learners) for group, people, learners in (
        GroupCoverageRollup.objects.filter(year=year, org_path=org.path).values_list("group")
        .annotate(people=Sum("people"), learners=Sum("learners")).order_by())}
    return [GroupCoverage(group, *counts.get(group, (0, 0))) for group in FocusGroup.values]


def learning_reach(*, scope: Scope, org: Organization, year: int) -> GroupCoverage:
    """The whole roster of the subtree, and how many on it learned at all in the year (kept, not counted)."""
    scope.require_business_data()
    standings.ensure_year(year)
    people, learners = (GroupCoverageRollup.objects.filter(year=year, org_path=org.path, group=standings.EVERYONE)
                        .aggregate(people=Sum("people"), learners=Sum("learners")).values())
    return GroupCoverage("全体人员", people or 0, learners or 0)


@dataclass(frozen=True)
class RuleRate:
    rule: str
    name: str
    tally: Tally


def rule_rates(*, scope: Scope, org: Organization, year: int, as_of: date) -> list[RuleRate]:
    """Each rule's tally over the subtree, from the counts kept for the organization: for 工作台 at a glance."""
    scope.require_business_data()
    standings.ensure_year(year)
    tallies: dict[int, Tally] = {}
    for rule_id, _, _, _, _, _, tally in _counted(org, year, as_of):
        tallies.setdefault(rule_id, Tally()).merge(tally)
    names = _rule_names(tallies, year)
    return sorted((RuleRate(code, name, tallies[rule_id]) for rule_id, (code, name) in names.items()),
                  key=lambda rate: rate.rule)


# -- the rules themselves ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RuleView:
    """A rule as a viewer sees it: its versions, the one in force, and whether the viewer may change it."""

    rule: Rule
    versions: list[RuleVersion]  # newest first
    current: RuleVersion | None  # in force on the day asked about; None when every version starts later
    may_edit: bool

    @property
    def shown(self) -> RuleVersion:
        """The terms to show: those in force, or else the first that will be."""
        return self.current or self.versions[-1]


def rule_list(*, scope: Scope) -> QuerySet[Rule]:
    """The province's rules, then the lower levels' rules that bind somewhere the viewer can see (as access_rule)."""
    scope.require_business_data()
    step = Organization.steplen
    # A lower level's rule binds its owner's subtree: it meets the scope when the owner lies inside it,
    # or above one of its organizations (the owner's path is then a prefix of a path of the scope).
    above = {path[:end] for path in scope.read_paths for end in range(step, len(path) + 1, step)}
    visible = Q(owner__isnull=True) | scope.org_q("owner__") | Q(owner__path__in=above)
    return (Rule.objects.filter(visible).select_related("owner").prefetch_related("versions")
            .order_by(F("owner__path").asc(nulls_first=True), "code"))


def rule_views(*, scope: Scope, rules: Iterable[Rule], on: date) -> list[RuleView]:
    """Each rule with its history, its version in force on `on`, and whether the viewer may add a version.

    Who may edit is services._may_edit's test, with the root looked up once for the whole list.
    """
    root_path = Organization.objects.filter(depth=1).values_list("path", flat=True).first()
    province_editable = root_path is not None and scope.covers_path(root_path, write=True)
    views = []
    for rule in rules:
        versions = sorted(rule.versions.all(), key=lambda v: v.effective_from, reverse=True)
        may_edit = province_editable if rule.owner is None else scope.covers_path(rule.owner.path, write=True)
        views.append(RuleView(rule=rule, versions=versions, current=version_in_force(versions, on),
                              may_edit=may_edit))
    return views


def rule_detail(*, scope: Scope, code: str, on: date) -> RuleView:
    """One rule the viewer can see, with its history; 404 as access_rule otherwise."""
    rule = access_rule(scope=scope, code=code)
    return rule_views(scope=scope, rules=[rule], on=on)[0]


# -- 单位类别模板 -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TemplateCell:
    """What one rule asks of subjects of one 单位类别."""

    view: RuleView
    applies: bool  # the rule binds subjects of this 单位类别 at all
    figure: Decimal | None  # what they must reach; None where it does not apply
    own: bool  # the 单位类别 has a figure of its own, not the rule's general one


@dataclass(frozen=True)
class SectorTemplate:
    sector: str
    cells: list[TemplateCell]


def template_rules(*, scope: Scope, on: date) -> list[RuleView]:
    """The rules with a figure that bind the viewer's organizations: the province's and their own levels' above them.

    The annual report's deadline is the same everywhere and has no figure to vary.
    """
    scope.require_business_data()
    step = Organization.steplen
    above = {path[:end] for path in scope.read_paths for end in range(step, len(path) + 1, step)}
    rules = (Rule.objects.filter(Q(owner__isnull=True) | Q(owner__path__in=above)).select_related("owner")
             .prefetch_related("versions").order_by(F("owner__path").asc(nulls_first=True), "code"))
    return [view for view in rule_views(scope=scope, rules=rules, on=on)
            if view.current is not None and view.current.enabled and view.current.metric != Metric.REPORT_ON_TIME]


def sector_templates(*, scope: Scope, on: date, sectors: Sequence[str] = ()) -> list[SectorTemplate]:
    """单位类别模板: for each 单位类别, what each rule in force asks of the subjects of that kind of unit.

    An organization inherits the template of its 单位类别, and its people with it.
    """
    views = template_rules(scope=scope, on=on)
    templates = []
    for sector in sectors or Sector.values:
        cells = []
        for view in views:
            version = view.current
            assert version is not None  # template_rules keeps only rules in force
            applies = not version.org_sectors or sector in version.org_sectors
            cells.append(TemplateCell(view=view, applies=applies,
                                      figure=version.requirement_for(sector) if applies else None,
                                      own=sector in version.sector_required))
        templates.append(SectorTemplate(sector=sector, cells=cells))
    return templates


# -- exemptions --------------------------------------------------------------------------------------
def exemption_list(*, scope: Scope, rule_code: str = "", period: str = "") -> QuerySet[Exemption]:
    """The exemptions of subjects the viewer can see, newest period first; of one rule or period when given."""
    scope.require_business_data()
    exemptions = Exemption.objects.filter(scope.org_q("org__") | scope.person_q("person__"))
    if rule_code:
        exemptions = exemptions.filter(rule__code=rule_code)
    if period:
        exemptions = exemptions.filter(period=period)
    return (exemptions.select_related("rule", "org", "person__org")
            .order_by("-period", "rule__code", "org__code", "person__number"))


# -- rows of a subtree -------------------------------------------------------------------------------
@dataclass
class ComplianceRows:
    rows: list[Row]
    skipped: list[Skipped]


def compliance_rows(*, scope: Scope, under: Sequence[Organization], year: int, as_of: date,
                    rule_codes: Sequence[str] = (), status: str = "") -> ComplianceRows:
    """Every row of the subtrees of `under` (organizations the caller fetched through access_org), in a stable order.

    The subtrees may overlap or not (a viewer may administer organizations that do not nest): each row once.
    """
    scope.require_business_data()
    standings.ensure_year(year)
    held = Standing.objects.filter(year=year)
    paths = Q()
    for org in under:
        paths |= Q(org_path__startswith=org.path)
    held = held.filter(paths) if under else held.none()
    if rule_codes:
        held = held.filter(rule__code__in=rule_codes)
    rows = [row for row in standings.rows_of(held, as_of) if not status or row.status == status]
    rows.sort(key=lambda r: (r.rule, r.period, r.subject_type, r.org, r.subject))
    return ComplianceRows(rows=rows, skipped=skipped_rules(year=year, rule_codes=rule_codes))
