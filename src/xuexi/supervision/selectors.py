"""Reads of 督学检查, always within the viewer's scope: an inspection with its checklist and the inspected
organizations' own data, an organization's inspections and the items it owes, the 工作台's figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractQuarter

from xuexi.accounts.scope import Scope
from xuexi.errors import NotFound
from xuexi.learning import selectors as learning_selectors
from xuexi.learning.models import Activity, ActivityKind, ClaimStatus, LearningClaim, PersonalPlan
from xuexi.norms import selectors as norms_selectors
from xuexi.norms.engine import Row
from xuexi.orgs.models import Organization
from xuexi.outcomes import selectors as outcome_selectors
from xuexi.outcomes.models import Outcome
from xuexi.people.models import Person
from xuexi.supervision.access import inspection_q, item_q, sees_all_of
from xuexi.supervision.errors import SupervisionError
from xuexi.supervision.models import (
    ChecklistArea,
    ChecklistItem,
    Evidence,
    Finding,
    InspectedOrganization,
    Inspection,
    Inspector,
    RectificationEvent,
    RectificationItem,
    RectificationStatus,
)

ACTIVITIES_SHOWN = 10  # per checklist item
# The activity kinds that show how an organization keeps each of the document's requirements.
AREA_KINDS: dict[str, tuple[str, ...]] = {
    ChecklistArea.CENTRAL_GROUP: (ActivityKind.CENTRAL_GROUP_STUDY,),
    ChecklistArea.TRAINING: (ActivityKind.TRAINING,),
    ChecklistArea.RESEARCH: (ActivityKind.GRASSROOTS_RESEARCH, ActivityKind.THEMATIC_RESEARCH),
    ChecklistArea.ASSESSMENT: (ActivityKind.PARTY_LECTURE, ActivityKind.SEMINAR, ActivityKind.EXPERIENCE_EXCHANGE),
}
OPEN_STATES = (RectificationStatus.OPEN, RectificationStatus.ANSWERED, RectificationStatus.RETURNED)
# Waiting on the owing organization (answered items wait on the inspectors).
OWED_STATES = (RectificationStatus.OPEN, RectificationStatus.RETURNED)


@dataclass(frozen=True)
class RectificationRow:
    """An item as shown: overdue when its date has passed and it is not closed."""

    item: RectificationItem
    overdue: bool
    days_overdue: int


def rectification_row(item: RectificationItem, today: date) -> RectificationRow:
    late = (today - item.due_date).days
    overdue = late > 0 and item.status != RectificationStatus.CLOSED
    return RectificationRow(item=item, overdue=overdue, days_overdue=late if overdue else 0)


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


@dataclass
class ItemView:
    """A checklist item with the inspected organization's own data for the year and what was found on it."""

    item: ChecklistItem
    figures: list[Figure] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # a rule's rows of the organization itself
    note: str = ""
    findings: list[Finding] = field(default_factory=list)


@dataclass
class TargetView:
    target: InspectedOrganization
    items: list[ItemView]

    @property
    def findings(self) -> int:
        return sum(len(i.findings) for i in self.items)


@dataclass
class InspectionView:
    inspection: Inspection
    inspectors: list[Inspector]
    targets: list[TargetView]
    rectifications: list[RectificationRow]
    sees_all: bool  # the inspecting side, or above it: every inspected organization and item

    @property
    def findings(self) -> list[Finding]:
        return [f for t in self.targets for i in t.items for f in i.findings]


# -- lists ---------------------------------------------------------------------------------------------
def inspection_list(*, scope: Scope, org: Organization | None = None, status: str = "") -> QuerySet[Inspection]:
    """The inspections the viewer sees, newest first; those an organization runs, undergoes or owes items of."""
    scope.require_business_data()
    qs = Inspection.objects.filter(inspection_q(scope)).select_related("inspector_org")
    if org is not None:
        of_org = InspectedOrganization.objects.filter(org=org, inspection=OuterRef("pk"))
        owed = RectificationItem.objects.filter(responsible_org=org, inspection=OuterRef("pk"))
        qs = qs.filter(Q(inspector_org=org) | Q(Exists(of_org)) | Q(Exists(owed)))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-start_date", "-id")


@dataclass(frozen=True)
class ItemCounts:
    total: int = 0
    open: int = 0
    answered: int = 0
    overdue: int = 0


def item_counts(*, inspections: Sequence[Inspection], today: date) -> dict[int, ItemCounts]:
    """Each inspection's items: all, not closed, waiting to be verified, overdue. One query.

    For the inspecting side's lists, who see every item of the inspections they run.
    """
    not_closed = ~Q(status=RectificationStatus.CLOSED)
    rows = (RectificationItem.objects.filter(inspection__in=[i.pk for i in inspections]).order_by()
            .values("inspection_id")
            .annotate(total=Count("id"), open=Count("id", filter=not_closed),
                      answered=Count("id", filter=Q(status=RectificationStatus.ANSWERED)),
                      overdue=Count("id", filter=not_closed & Q(due_date__lt=today))))
    return {r["inspection_id"]: ItemCounts(r["total"], r["open"], r["answered"], r["overdue"]) for r in rows}


@dataclass
class OrgSupervision:
    """督学检查 of one organization: what it runs, what it undergoes, and the items it owes."""

    runs: list[tuple[Inspection, ItemCounts]]
    undergoes: list[Inspection]
    owes: list[RectificationRow]

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.owes if row.overdue)


def _items(qs: QuerySet[RectificationItem]) -> QuerySet[RectificationItem]:
    return qs.select_related("inspection__inspector_org", "responsible_org", "finding__item__target__org")


def org_supervision(*, scope: Scope, org: Organization, today: date) -> OrgSupervision:
    """The inspections an organization (fetched through access_org) runs and undergoes, and the items it owes."""
    scope.require_business_data()
    runs = list(Inspection.objects.filter(inspector_org=org).select_related("inspector_org")
                .order_by("-start_date", "-id"))
    counts = item_counts(inspections=runs, today=today)
    undergoes = list(Inspection.objects.filter(targets__org=org).select_related("inspector_org")
                     .order_by("-start_date", "-id"))
    owed = _items(RectificationItem.objects.filter(responsible_org=org)).order_by("status", "due_date", "id")
    rows = [rectification_row(item, today) for item in owed]
    rows.sort(key=lambda r: (r.item.status == RectificationStatus.CLOSED, not r.overdue, r.item.due_date))
    return OrgSupervision(runs=[(i, counts.get(i.pk, ItemCounts())) for i in runs], undergoes=undergoes,
                          owes=rows)


@dataclass(frozen=True)
class RectificationSummary:
    """For the 工作台: the items the viewer's organizations owe to the levels above, and those they follow up."""

    owed_open: int
    owed_overdue: int
    run_open: int
    run_answered: int
    run_overdue: int
    overdue: list[RectificationRow]

    @property
    def any(self) -> bool:
        return bool(self.owed_open or self.run_open)


def rectification_summary(*, scope: Scope, today: date, limit: int = 5) -> RectificationSummary:
    """The open items on both sides of the viewer's scope, and the first overdue ones. Three queries."""
    scope.require_business_data()
    run = scope.org_q("inspection__inspector_org__")
    owed = scope.org_q("responsible_org__") & ~run
    not_closed = RectificationItem.objects.exclude(status=RectificationStatus.CLOSED)
    late = Q(due_date__lt=today)
    owed_counts = not_closed.filter(owed).aggregate(n=Count("id"), late=Count("id", filter=late))
    answered = Q(status=RectificationStatus.ANSWERED)
    run_counts = not_closed.filter(run).aggregate(n=Count("id"), late=Count("id", filter=late),
                                                  answered=Count("id", filter=answered))
    overdue = _items(not_closed.filter(owed | run).filter(late)).order_by("due_date", "id")[:limit]
    return RectificationSummary(owed_open=owed_counts["n"], owed_overdue=owed_counts["late"], run_open=run_counts["n"],
                                run_answered=run_counts["answered"], run_overdue=run_counts["late"],
                                overdue=[rectification_row(item, today) for item in overdue])


# -- one inspection ------------------------------------------------------------------------------------
def _count_of(counts: dict[tuple[str, int], int], kinds: Iterable[str]) -> int:
    return sum(n for (kind, _), n in counts.items() if kind in kinds)


def _activity_figures(area: str, counts: dict[tuple[str, int], int], off_job: int) -> list[Figure]:
    kinds = AREA_KINDS[area]
    if area == ChecklistArea.CENTRAL_GROUP:
        by_quarter = "、".join(f"第{q}季度 {counts.get((kinds[0], q), 0)} 次" for q in (1, 2, 3, 4))
        return [Figure("主办中心组集体学习", f"{_count_of(counts, kinds)} 次（{by_quarter}）")]
    figures = [Figure(f"主办{kind}", f"{_count_of(counts, [kind])} 次") for kind in kinds]
    if area == ChecklistArea.TRAINING:
        figures.append(Figure("其中脱产培训", f"{off_job} 次"))
    return figures


def _self_study(org: Organization, year: int) -> list[Figure]:
    people = Person.objects.filter(org=org, is_active=True).count()
    plans = PersonalPlan.objects.filter(person__org=org, year=year).count()
    claims = dict(LearningClaim.objects.filter(person__org=org, start_date__year=year).order_by()
                  .values_list("status").annotate(n=Count("id")))
    return [Figure("本级在册人员", f"{people} 人"), Figure(f"制定 {year} 年个人自学计划", f"{plans} 人"),
            Figure("个人自学等学时申报", f"已认定 {claims.get(ClaimStatus.CERTIFIED, 0)} 条，待认定 "
                                        f"{claims.get(ClaimStatus.PENDING, 0)} 条，不予认定 "
                                        f"{claims.get(ClaimStatus.REFUSED, 0)} 条")]


def _outcomes(scope: Scope, org: Organization, year: int) -> tuple[list[Figure], list[Outcome]]:
    own = outcome_selectors.outcome_counts(scope=scope, org=org, year=year, subtree=False)
    subtree = outcome_selectors.outcome_counts(scope=scope, org=org, year=year)
    figures = [Figure(f"本级{kind}", f"{n} 项（含下级 {subtree[kind]} 项）") for kind, n in own.items()]
    shown = list(outcome_selectors.outcomes_of(scope=scope, org=org, year=year)[:ACTIVITIES_SHOWN])
    return figures, shown


def _rule_figures(rate: norms_selectors.RuleRate | None) -> list[Figure]:
    if rate is None:
        return [Figure("本级及下级", "本年度没有适用的对象")]
    t = rate.tally
    percent = f"{t.percent}%" if t.percent is not None else "—"
    return [Figure("本级及下级", f"达标 {t.met}，未达标 {t.missed}，进行中 {t.in_progress}（进度落后 {t.at_risk}），"
                                f"豁免 {t.exempt}；落实率 {percent}")]


def _target_view(scope: Scope, target: InspectedOrganization, year: int, today: date,
                 findings: dict[int, list[Finding]]) -> TargetView:
    org = target.org
    hosted = learning_selectors.activity_list(scope=scope, filters=learning_selectors.ActivityFilters(
        host_path=org.path, direct_only=True, since=date(year, 1, 1), until=date(year, 12, 31)))
    counts: dict[tuple[str, int], int] = {}
    off_job = 0
    for kind, quarter, off, n in (hosted.order_by().values_list("kind", ExtractQuarter("start_date"), "off_job")
                                  .annotate(n=Count("id"))):
        counts[(kind, quarter)] = counts.get((kind, quarter), 0) + n
        off_job += n if off and kind == ActivityKind.TRAINING else 0
    rates = {r.rule: r for r in norms_selectors.rule_rates(scope=scope, org=org, year=year, as_of=today)}
    own_rows: dict[str, list[Row]] = defaultdict(list)
    for explained in norms_selectors.subject_compliance(scope=scope, subject=org, year=year, as_of=today):
        own_rows[explained.row.rule].append(explained.row)
    views = []
    for item in target.checklist.all():
        view = ItemView(item=item, findings=findings.get(item.pk, []))
        if item.rule is not None:
            view.figures = _rule_figures(rates.get(item.rule.code))
            view.rows = own_rows.get(item.rule.code, [])
        elif item.area in AREA_KINDS:
            view.figures = _activity_figures(item.area, counts, off_job)
            view.activities = list(hosted.filter(kind__in=AREA_KINDS[item.area])[:ACTIVITIES_SHOWN])
        elif item.area == ChecklistArea.SELF_STUDY:
            view.figures = _self_study(org, year)
        elif item.area == ChecklistArea.OUTCOMES:
            view.figures, view.outcomes = _outcomes(scope, org, year)
        else:
            view.note = "平台不记录经费和学习设施，由检查组现场查看账目、场所和图书资料。"
        views.append(view)
    return TargetView(target=target, items=views)


def inspection_rectifications(*, scope: Scope, inspection: Inspection, today: date) -> list[RectificationRow]:
    """The items of an inspection (fetched through access_inspection) the viewer sees, with their history."""
    items = (_items(RectificationItem.objects.filter(item_q(scope, inspection), inspection=inspection))
             .prefetch_related(Prefetch("events", queryset=RectificationEvent.objects.order_by("at", "id")),
                               Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "id")))
             .order_by("seq"))
    return [rectification_row(item, today) for item in items]


def inspection_detail(*, scope: Scope, inspection: Inspection, today: date) -> InspectionView:
    """An inspection fetched through access_inspection: its team, the checklist of each inspected organization
    the viewer sees with that organization's own data for the year and the findings, and the items."""
    sees_all = sees_all_of(scope, inspection)
    targets = (InspectedOrganization.objects.filter(inspection=inspection).select_related("org")
               .prefetch_related(Prefetch("checklist", queryset=ChecklistItem.objects.select_related("rule")
                                          .order_by("position", "id")))
               .order_by("position", "id"))
    if not sees_all:
        targets = targets.filter(scope.org_q("org__"))
    findings: dict[int, list[Finding]] = defaultdict(list)
    for finding in (Finding.objects.filter(inspection=inspection).select_related("rule", "activity")
                    .order_by("recorded_at", "id")):
        findings[finding.item_id].append(finding)
    return InspectionView(
        inspection=inspection,
        inspectors=list(inspection.inspectors.filter(removed_at__isnull=True).select_related("user")
                        .order_by("position", "id")),
        targets=[_target_view(scope, t, inspection.year, today, findings) for t in targets],
        rectifications=inspection_rectifications(scope=scope, inspection=inspection, today=today),
        sees_all=sees_all,
    )


def rectification_history(*, item: RectificationItem) -> list[RectificationEvent]:
    """An item's steps (fetched through access_rectification), oldest first, each with its evidence."""
    return list(item.events.prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
                .order_by("at", "id"))


def evidence_for_download(*, item: RectificationItem, evidence_id: int) -> Evidence:
    """A file of an item fetched through access_rectification; another item's answers as a missing one."""
    evidence = Evidence.objects.filter(item=item, pk=evidence_id).first()
    if evidence is None:
        raise NotFound(SupervisionError.EVIDENCE_NOT_FOUND, f"佐证材料 {evidence_id} 不存在")
    return evidence
