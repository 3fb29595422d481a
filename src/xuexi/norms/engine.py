"""The compliance engine: every rule, for every subject in a subtree, for every period of a year.

It reads the ledger's running totals (`learning.totals`), never the raw records, so a year of a
whole province is a handful of grouped queries. Counting follows spec/norms.md: an activity
belongs to the period of its start date; only 出席 gives credit; hours and days as the ledger
credits them; "hosted" means hosted by the organization itself; subjects are the roster as it
stands; an exemption turns a row into `exempt`.

Versions: the periods of a year are laid out by the version in force on 1 January; each period
is then judged by the version in force on its first day, so a threshold changed mid-year binds
from the next period on, and a past year is judged by the rules of its time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from xuexi.learning.models import Activity, Attendance, AttendanceStatus, CreditTotal, HostedTotal, SpeakerTotal
from xuexi.norms import reporting
from xuexi.norms.models import Exemption, Metric, PeriodKind, Rule, RuleVersion, SubjectType
from xuexi.orgs.models import Organization
from xuexi.people.models import Person


class Status:
    MET = "met"
    MISSED = "missed"
    IN_PROGRESS = "in_progress"
    EXEMPT = "exempt"


# Up to this many subjects are named in the query; more, and the subtree's totals are read whole.
ID_LIST_LIMIT = 2000

STATUS_LABELS = {Status.MET: "达标", Status.MISSED: "未达标", Status.IN_PROGRESS: "进行中", Status.EXEMPT: "豁免"}


@dataclass(frozen=True)
class Period:
    label: str  # 2025, 2025-Q1, 2021-2025
    start: date
    end: date
    years: tuple[int, ...]
    quarters: tuple[int, ...]


@dataclass(frozen=True)
class Row:
    rule: str
    version_id: int
    subject_type: str
    subject_id: int
    subject: str  # 组织编码 or 人员编号
    subject_name: str
    org: str  # the organization the subject is or belongs to
    period: str
    period_start: date
    deadline: date
    required: Decimal
    actual: Decimal
    status: str
    at_risk: bool
    # Where the subject sits in the tree; not part of the row's value (the CLI leaves it out).
    place: Subject | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Subjects:
    """Restrict an evaluation to these people and organizations (ids); the rest of the tree is left out."""

    people: frozenset[int] = frozenset()
    orgs: frozenset[int] = frozenset()

    @classmethod
    def of(cls, subject: Organization | Person) -> Subjects:
        if isinstance(subject, Person):
            return cls(people=frozenset([subject.pk]))
        return cls(orgs=frozenset([subject.pk]))


@dataclass(frozen=True)
class Subject:
    id: int
    code: str  # 组织编码 or 人员编号
    name: str
    org_id: int
    org_code: str
    org_path: str
    org_level: str
    org_sector: str


@dataclass(frozen=True)
class Skipped:
    rule: str
    reason: str


@dataclass
class Evaluation:
    year: int
    as_of: date
    rows: list[Row]
    skipped: list[Skipped]


def _quarter_end(year: int, quarter: int) -> date:
    return date(year + 1, 1, 1) - timedelta(days=1) if quarter == 4 else date(year, 3 * quarter + 1, 1) - timedelta(
        days=1)


def periods_of(kind: str, year: int, window_years: int = 1) -> list[Period]:
    """The periods a rule of this kind has in a year."""
    if kind == PeriodKind.QUARTER:
        return [Period(f"{year}-Q{q}", date(year, 3 * q - 2, 1), _quarter_end(year, q), (year,), (q,))
                for q in range(1, 5)]
    if kind == PeriodKind.WINDOW and window_years > 1:
        first = year - window_years + 1
        return [Period(f"{first}-{year}", date(first, 1, 1), date(year, 12, 31), tuple(range(first, year + 1)),
                       (1, 2, 3, 4))]
    return [Period(str(year), date(year, 1, 1), date(year, 12, 31), (year,), (1, 2, 3, 4))]


def version_in_force(versions: Sequence[RuleVersion], on: date) -> RuleVersion | None:
    """The version with the latest effective date not after `on`."""
    current = None
    for version in sorted(versions, key=lambda v: v.effective_from):
        if version.effective_from <= on:
            current = version
    return current


def _deadline(version: RuleVersion, period: Period) -> date:
    if version.metric == Metric.REPORT_ON_TIME:
        return date(period.end.year + 1, 1, 31)
    return period.end


def _paced_from(version: RuleVersion, period: Period, deadline: date) -> Period:
    """The span over which pace is judged: the period, except for the annual report, which is written in the
    January it is due: not at risk during the year it reports on, at risk from 1 January until it is sent."""
    if version.metric == Metric.REPORT_ON_TIME:
        return Period(period.label, date(deadline.year, 1, 1), deadline, period.years, period.quarters)
    return period


def status_of(*, actual: Decimal, required: Decimal, period: Period, deadline: date, as_of: date,
              exempt: bool) -> tuple[str, bool]:
    """The status of one row and whether it is behind pace (spec/norms.md, Statuses)."""
    if exempt:
        return Status.EXEMPT, False
    if actual >= required:
        return Status.MET, False
    if as_of > deadline:
        return Status.MISSED, False
    if as_of < period.start:
        return Status.IN_PROGRESS, False
    # Behind pace: actual / required < elapsed days / days until the deadline, cross-multiplied so
    # that it is exact (and the same sum the standings' SQL does).
    elapsed, span = (as_of - period.start).days + 1, (deadline - period.start).days + 1
    return Status.IN_PROGRESS, actual * span < required * elapsed


def _org_subjects(version: RuleVersion, root_path: str) -> QuerySet[Organization]:
    orgs = Organization.objects.filter(is_active=True, path__startswith=root_path)
    if version.org_levels:
        orgs = orgs.filter(level__in=version.org_levels)
    if version.org_kinds:
        orgs = orgs.filter(kind__in=version.org_kinds)
    if version.org_sectors:
        orgs = orgs.filter(sector__in=version.org_sectors)
    if version.central_group_only:
        orgs = orgs.filter(has_central_group=True)
    if version.with_parent_only:
        orgs = orgs.filter(depth__gt=1)
    return orgs


def _person_subjects(version: RuleVersion, root_path: str) -> QuerySet[Person]:
    people = Person.objects.filter(is_active=True, org__path__startswith=root_path)
    if version.person_ranks:
        people = people.filter(rank__in=version.person_ranks)
    if version.person_leader_posts:
        people = people.filter(leader_post__in=version.person_leader_posts)
    if version.person_groups:
        people = people.filter(group_rows__group__in=version.person_groups).distinct()
    if version.org_sectors:
        people = people.filter(org__sector__in=version.org_sectors)
    return people


def _actuals(version: RuleVersion, period: Period, subject_ids: Iterable[int], path: str) -> dict[int, Decimal]:
    """Each subject's measure in the period, summed from the running totals of the subtree."""
    wanted = set(subject_ids)
    if not wanted:
        return {}
    when = Q(year__in=period.years, quarter__in=period.quarters)
    if version.kinds:
        when &= Q(kind__in=version.kinds)
    subject = "org" if version.metric == Metric.HOSTED else "person"
    if len(wanted) <= ID_LIST_LIMIT:
        when &= Q(**{f"{subject}_id__in": wanted})
    elif path:
        when &= Q(**{f"{subject}__path__startswith" if subject == "org" else "person__org__path__startswith": path})
    if version.metric == Metric.PRESENCE:
        return _presence(version, period, wanted, path)
    if version.metric == Metric.REPORT_ON_TIME:
        year = period.years[-1]
        return {org: Decimal(1) for org, moment in reporting.first_submissions(year, wanted).items()
                if org in wanted and reporting.on_time(moment, year)}
    if version.metric == Metric.HOSTED:
        hosted = HostedTotal.objects.filter(when).values_list("org_id").annotate(n=Sum("activities"))
        return {s: Decimal(n) for s, n in hosted if s in wanted}
    if version.metric == Metric.SPOKE:
        spoken = SpeakerTotal.objects.filter(when).values_list("person_id").annotate(n=Sum("activities"))
        return {s: Decimal(n) for s, n in spoken if s in wanted}
    if version.off_job_only:
        when &= Q(off_job=True)
    if version.training_type:
        when &= Q(training_type=version.training_type)
    column = "hours_centi" if version.metric == Metric.HOURS else "days_centi"
    credits = CreditTotal.objects.filter(when).values_list("person_id").annotate(n=Sum(column))
    return {s: Decimal(n) / 100 for s, n in credits if s in wanted}


def _presence(version: RuleVersion, period: Period, org_ids: set[int], path: str) -> dict[int, Decimal]:
    """Of each organization's central group (its people marked 中心组成员), the share present, in %.

    Over the sessions it hosted in the period (activities of the rule's kinds): the present rows of
    its central group's members at them, over members × sessions, to two places, rounded down so that
    a share just short of the requirement is never rounded up to it. Central groups are small and
    meet a few times a quarter, so this reads the records themselves.
    """
    sessions = Activity.objects.filter(start_date__range=(period.start, period.end))
    sessions = (sessions.filter(host_id__in=org_ids) if len(org_ids) <= ID_LIST_LIMIT
                else sessions.filter(host__path__startswith=path, host__has_central_group=True))
    if version.kinds:
        sessions = sessions.filter(kind__in=version.kinds)
    held = dict(sessions.values_list("host_id").annotate(n=Count("id")))
    members = dict(Person.objects.filter(org_id__in=held, is_active=True, central_group_member=True)
                   .values_list("org_id").annotate(n=Count("id")))
    present = dict(Attendance.objects.filter(
        activity__in=sessions, status=AttendanceStatus.PRESENT, person__central_group_member=True,
        person__is_active=True, person__org_id=F("activity__host_id"))
        .values_list("activity__host_id").annotate(n=Count("id")))
    return {org: Decimal(present.get(org, 0) * 10000 // (members[org] * n)) / 100
            for org, n in held.items() if members.get(org) and org in org_ids}


def _subjects(version: RuleVersion, root_path: str, only: Subjects | None = None) -> list[Subject]:
    if version.subject_type == SubjectType.ORG:
        orgs = _org_subjects(version, root_path)
        if only is not None:
            orgs = orgs.filter(pk__in=only.orgs) if only.orgs else orgs.none()
        return [Subject(*values) for values in orgs.values_list(
            "id", "code", "name", "id", "code", "path", "level", "sector")]
    people = _person_subjects(version, root_path)
    if only is not None:
        people = people.filter(pk__in=only.people) if only.people else people.none()
    return [Subject(*values) for values in people.values_list(
        "id", "number", "name", "org_id", "org__code", "org__path", "org__level", "org__sector")]


REPORT_NOT_YET = "年度学习总结和计划的报送功能未启用，此项暂不评估"


def skipped_rules(*, year: int, rule_codes: Sequence[str] = ()) -> list[Skipped]:
    """The rules of a year the engine cannot evaluate (the annual report, were the reports app not installed)."""
    if reporting.is_provided():
        return []
    rules = Rule.objects.prefetch_related("versions").order_by("code")
    if rule_codes:
        rules = rules.filter(code__in=rule_codes)
    skipped = []
    for rule in rules:
        versions = list(rule.versions.all())
        in_force = [v for v in (version_in_force(versions, date(year, 1, 1)),
                                version_in_force(versions, date(year, 12, 31))) if v is not None]
        if any(v.enabled and v.metric == Metric.REPORT_ON_TIME for v in in_force):
            skipped.append(Skipped(rule.code, REPORT_NOT_YET))
    return skipped


def evaluate(*, year: int, as_of: date, under: Organization | None = None, rule_codes: Sequence[str] = (),
             only: Subjects | None = None) -> Evaluation:
    """Every enabled rule for every subject in the subtree of `under` (the whole tree when None) for a year.

    With `only`, just those people's and organizations' own rows. This reads the ledger's totals
    afresh; pages read the standings it maintains (`norms.standings`).
    """
    rules = Rule.objects.select_related("owner").prefetch_related("versions").order_by("code")
    if rule_codes:
        rules = rules.filter(code__in=rule_codes)
    result = Evaluation(year=year, as_of=as_of, rows=[], skipped=[])
    root_path = under.path if under is not None else ""
    for rule in rules:
        versions = list(rule.versions.all())
        layout = version_in_force(versions, date(year, 1, 1)) or version_in_force(versions, date(year, 12, 31))
        if layout is None:
            continue
        # A lower level's rule binds its own subtree only.
        path = root_path
        if rule.owner is not None:
            if root_path.startswith(rule.owner.path):
                path = root_path
            elif rule.owner.path.startswith(root_path):
                path = rule.owner.path
            else:
                continue
        periods = periods_of(layout.period, year, layout.window_years)
        # The four quarters of a year are mostly judged by one version: its subjects are found once,
        # and the rule's exemptions of the year once.
        subjects_of: dict[int, list[Subject]] = {}
        exemptions: dict[str, set[int]] | None = None
        for period in periods:
            version = version_in_force(versions, period.start) or layout
            if not version.enabled:
                continue
            if version.metric == Metric.REPORT_ON_TIME and not reporting.is_provided():
                result.skipped.append(Skipped(rule.code, REPORT_NOT_YET))
                break
            if version.pk not in subjects_of:
                subjects_of[version.pk] = _subjects(version, path, only)
            subjects = subjects_of[version.pk]
            if not subjects:
                continue
            if exemptions is None:
                exemptions = _exemptions(rule, [p.label for p in periods], version.subject_type)
            result.rows.extend(_evaluate_period(rule, version, period, path, as_of, subjects,
                                                exemptions.get(period.label, set())))
    return result


def _exemptions(rule: Rule, labels: Sequence[str], subject_type: str) -> dict[str, set[int]]:
    """The subjects (person or organization ids, as the rule's subjects are) its exemptions excuse, by period."""
    column = "org_id" if subject_type == SubjectType.ORG else "person_id"
    excused: dict[str, set[int]] = {}
    for label, subject_id in Exemption.objects.filter(rule=rule, period__in=labels).exclude(
            **{column: None}).values_list("period", column):
        excused.setdefault(label, set()).add(subject_id)
    return excused


def _evaluate_period(rule: Rule, version: RuleVersion, period: Period, path: str, as_of: date,
                     subjects: list[Subject], exempt: set[int]) -> list[Row]:
    actuals = _actuals(version, period, (s.id for s in subjects), path)
    deadline = _deadline(version, period)
    period = _paced_from(version, period, deadline)
    rows = []
    for subject in subjects:
        actual = actuals.get(subject.id, Decimal(0))
        required = version.requirement_for(subject.org_sector)
        status, at_risk = status_of(actual=actual, required=required, period=period, deadline=deadline,
                                    as_of=as_of, exempt=subject.id in exempt)
        rows.append(Row(rule=rule.code, version_id=version.pk, subject_type=version.subject_type,
                        subject_id=subject.id, subject=subject.code, subject_name=subject.name, org=subject.org_code,
                        period=period.label, period_start=period.start, deadline=deadline,
                        required=required, actual=actual, status=status, at_risk=at_risk,
                        place=subject))
    return rows
