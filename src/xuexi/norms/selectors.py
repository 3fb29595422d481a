"""Reads of compliance, always within the viewer's scope: a subject's rows with why, and a subtree's roll-up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F, Q, QuerySet

from xuexi.accounts.scope import Scope
from xuexi.learning import selectors as learning_selectors
from xuexi.learning.models import Activity
from xuexi.norms.access import access_rule
from xuexi.norms.engine import Period, Row, Skipped, Status, evaluate, periods_of, version_in_force
from xuexi.norms.models import Exemption, Metric, Rule, RuleVersion
from xuexi.orgs.models import Organization
from xuexi.people.models import Person


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
    evaluation = evaluate(year=year, as_of=as_of, subject=subject)
    versions = RuleVersion.objects.in_bulk({row.version_id for row in evaluation.rows})
    return [_explain(scope, row, versions[row.version_id], year, subject) for row in evaluation.rows]


@dataclass
class Tally:
    met: int = 0
    missed: int = 0
    in_progress: int = 0
    exempt: int = 0
    at_risk: int = 0

    def add(self, row: Row) -> None:
        setattr(self, row.status, getattr(self, row.status) + 1)
        self.at_risk += row.at_risk

    @property
    def rate(self) -> float | None:
        """met / (met + missed + in_progress), as spec/norms.md defines the compliance rate."""
        counted = self.met + self.missed + self.in_progress
        return self.met / counted if counted else None


@dataclass
class RuleRollup:
    rule: str
    name: str
    total: Tally = field(default_factory=Tally)
    by_period: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_child: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    behind: list[Row] = field(default_factory=list)  # missed, and in progress behind pace


@dataclass
class Rollup:
    org: Organization
    year: int
    as_of: date
    rules: list[RuleRollup]
    children: list[Organization]
    skipped: list[str]


def subtree_rollup(*, scope: Scope, org: Organization, year: int, as_of: date, behind_limit: int = 200) -> Rollup:
    """一级抓一级: every rule's rows for the subtree of an organization, by period and by direct child."""
    scope.require_business_data()
    evaluation = evaluate(year=year, as_of=as_of, under=org)
    children = list(Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True)
                    .order_by("path"))
    child_of = {c.path: c.code for c in children}
    org_paths = dict(Organization.objects.filter(path__startswith=org.path).values_list("code", "path"))
    step = len(org.path) + Organization.steplen
    names = dict(RuleVersion.objects.filter(pk__in={r.version_id for r in evaluation.rows})
                 .values_list("rule__code", "name"))
    rollups: dict[str, RuleRollup] = {}
    for row in evaluation.rows:
        rollup = rollups.setdefault(row.rule, RuleRollup(rule=row.rule, name=names.get(row.rule, row.rule)))
        rollup.total.add(row)
        rollup.by_period[row.period].add(row)
        child = child_of.get(org_paths.get(row.org, "")[:step], org.code)
        rollup.by_child[child].add(row)
        if (row.status == Status.MISSED or row.at_risk) and len(rollup.behind) < behind_limit:
            rollup.behind.append(row)
    for rollup in rollups.values():
        # Plain dicts: a template's `.items` must not conjure a row named "items" out of a defaultdict.
        rollup.by_period = dict(sorted(rollup.by_period.items()))
        rollup.by_child = dict(sorted(rollup.by_child.items(), key=lambda item: (item[0] != org.code, item[0])))
    return Rollup(org=org, year=year, as_of=as_of, rules=list(rollups.values()), children=children,
                  skipped=[f"{s.rule}：{s.reason}" for s in evaluation.skipped])




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

    Several subtrees are evaluated one by one: a viewer may administer organizations that do not nest.
    """
    scope.require_business_data()
    rows: list[Row] = []
    skipped: list[Skipped] = []
    for org in under:
        evaluation = evaluate(year=year, as_of=as_of, under=org, rule_codes=rule_codes)
        rows.extend(row for row in evaluation.rows if not status or row.status == status)
        skipped.extend(s for s in evaluation.skipped if s not in skipped)
    rows.sort(key=lambda r: (r.rule, r.period, r.subject_type, r.org, r.subject))
    return ComplianceRows(rows=rows, skipped=skipped)
