"""Reads of 述学 within the viewer's scope: one's own reports, an organization's inbox and calls, and coverage.

Coverage counts the people expected to report under an organization, by its direct children, in
grouped statements on the organization path's prefix (as norms.rollups count standings): the
province root answers with one scan of an index, whatever the number of organizations below it.
"""

# ruff: noqa: S608 -- the coverage statements are put together from this module's table names only; every
# value (years, periods, paths) is passed as a parameter.

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from xuexi.accounts.scope import Scope
from xuexi.errors import NotFound
from xuexi.orgs.models import Organization
from xuexi.people.models import LeaderPost, Person
from xuexi.studyreports.access import report_q
from xuexi.studyreports.errors import StudyReportError
from xuexi.studyreports.models import Audience, Status, StudyReport, StudyReportCall, StudyReportEvent

STEP = Organization.steplen
REPORTED = (Status.SUBMITTED, Status.REVIEWED)


def audience_q(who: str, prefix: str = "") -> Q:
    """Q for the people a call of this audience asks: leading cadres (领导职务 or 中心组成员), or every member."""
    if who == Audience.LEADING_CADRES:
        return ~Q(**{f"{prefix}leader_post": LeaderPost.NONE}) | Q(**{f"{prefix}central_group_member": True})
    return Q()


def is_audience(person: Person, who: str) -> bool:
    return who == Audience.ALL_MEMBERS or person.leader_post != LeaderPost.NONE or person.central_group_member


def _ancestor_paths(path: str) -> list[str]:
    return [path[:length] for length in range(STEP, len(path) + 1, STEP)]


def my_reports(*, scope: Scope) -> QuerySet[StudyReport]:
    """The signed-in person's own reports, newest first."""
    scope.require_business_data()
    return (StudyReport.objects.filter(person_id=scope.person_id if scope.person_id is not None else -1)
            .select_related("org", "call").order_by("-year", "-period", "-id"))


def calls_for_person(person: Person) -> QuerySet[StudyReportCall]:
    """The calls that ask this person: by their organization or an ancestor, for their audience."""
    whos = [who for who in Audience.values if is_audience(person, who)]
    return (StudyReportCall.objects.filter(org__path__in=_ancestor_paths(person.org.path), who__in=whos)
            .select_related("org").order_by("-year", "-due_date", "id"))


def calls_of(*, scope: Scope, org: Organization) -> QuerySet[StudyReportCall]:
    """The calls that concern an organization the caller fetched: its own, its subtree's, and its ancestors'."""
    scope.require_business_data()
    return (StudyReportCall.objects
            .filter(Q(org__path__startswith=org.path) | Q(org__path__in=_ancestor_paths(org.path)))
            .select_related("org").order_by("-year", "-due_date", "org__path", "id"))


def call_concerning(*, scope: Scope, org: Organization, call_id: int) -> StudyReportCall:
    """One of the calls concerning the organization (see calls_of); any other answers as a missing one."""
    call = calls_of(scope=scope, org=org).filter(pk=call_id).first()
    if call is None:
        raise NotFound(StudyReportError.CALL_NOT_FOUND, "述学安排不存在")
    return call


def call_for(person: Person, year: int, period: str) -> StudyReportCall | None:
    """The nearest call asking this person to report on the period, if any."""
    return (calls_for_person(person).filter(year=year, period=period)
            .order_by("-org__depth", "id").first())


def inbox(*, scope: Scope, org: Organization, year: int | None = None, period: str = "", status: str = "",
          under: Organization | None = None) -> QuerySet[StudyReport]:
    """The submitted reports of an organization's subtree (or of one organization in it): newest first."""
    scope.require_business_data()
    reports = StudyReport.objects.filter(report_q(scope), org__path__startswith=(under or org).path).exclude(
        status=Status.DRAFT)
    if year is not None:
        reports = reports.filter(year=year)
    if period:
        reports = reports.filter(period=period)
    if status:
        reports = reports.filter(status=status)
    return reports.select_related("person", "org").order_by("-submitted_at", "-id")


def events_of(report: StudyReport) -> list[StudyReportEvent]:
    """The report's history: each submission as sent, each return, the review."""
    return list(report.events.order_by("at", "id"))


@dataclass
class CoverageRow:
    org: Organization
    expected: int = 0
    reported: int = 0  # submitted or reviewed
    reviewed: int = 0
    own: bool = False  # the organization's own people, not a child's subtree

    @property
    def not_reported(self) -> int:
        return self.expected - self.reported

    @property
    def percent(self) -> int | None:
        return round(100 * self.reported / self.expected) if self.expected else None


@dataclass
class Coverage:
    org: Organization
    year: int
    period: str
    who: str
    rows: list[CoverageRow] = field(default_factory=list)

    @property
    def total(self) -> CoverageRow:
        total = CoverageRow(self.org)
        for row in self.rows:
            total.expected += row.expected
            total.reported += row.reported
            total.reviewed += row.reviewed
        return total


def _narrowed(org: Organization, within: str) -> str | None:
    """The subtree whose people are asked: the organization's, narrowed to a call's; None when they do not meet."""
    if within and within.startswith(org.path):
        return within
    if within and not org.path.startswith(within):
        return None
    return org.path


def _expected(org: Organization, who: str, within: str) -> QuerySet[Person]:
    """The people of the subtree asked to report; `within` narrows them to a call's subtree."""
    path = _narrowed(org, within)
    if path is None:
        return Person.objects.none()
    return Person.objects.filter(audience_q(who), is_active=True, org__path__startswith=path)


def _audience_sql(who: str) -> str:
    # As the partial index person_leading_cadres states it, so that PostgreSQL reads only the leading cadres.
    if who == Audience.LEADING_CADRES:
        return " AND (NOT (p.leader_post = %s) OR p.central_group_member)"
    return ""


def _grouped(sql: str, params: list[str | int]) -> dict[str, tuple[int, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: tuple(int(n or 0) for n in row[1:]) for row in cursor.fetchall()}


def _counted(org: Organization, year: int, period: str, who: str, path: str) -> dict[str, dict[str, int]]:
    """Per direct child path (or the organization's own): expected, reported, reviewed; two grouped statements.

    The people are first counted per organization (an index-only scan, of only the leading cadres
    when they are asked), then summed by the path prefix of their organization; the reports, far
    fewer, are joined to their authors and counted the same way.
    """
    length = len(org.path) + STEP
    person, organization, report = Person._meta.db_table, Organization._meta.db_table, StudyReport._meta.db_table
    audience = _audience_sql(who)
    cadre_params: list[str | int] = [LeaderPost.NONE] if audience else []
    expected = _grouped(
        f"""SELECT SUBSTR(o.path, 1, {length}), SUM(c.n)
            FROM (SELECT p.org_id, COUNT(*) AS n FROM {person} p WHERE p.is_active{audience}
                  GROUP BY p.org_id) c
            JOIN {organization} o ON o.id = c.org_id
            WHERE o.path LIKE %s
            GROUP BY SUBSTR(o.path, 1, {length})""",
        [*cadre_params, f"{path}%"])
    reported = _grouped(
        f"""SELECT SUBSTR(o.path, 1, {length}), COUNT(*), SUM(CASE WHEN r.status = %s THEN 1 ELSE 0 END)
            FROM {report} r
            JOIN {person} p ON p.id = r.person_id
            JOIN {organization} o ON o.id = p.org_id
            WHERE r.year = %s AND r.period = %s AND r.status IN (%s, %s) AND p.is_active{audience}
              AND o.path LIKE %s
            GROUP BY SUBSTR(o.path, 1, {length})""",
        [Status.REVIEWED, year, period, *REPORTED, *cadre_params, f"{path}%"])
    return {child: {"expected": n[0], "reported": reported.get(child, (0, 0))[0],
                    "reviewed": reported.get(child, (0, 0))[1]} for child, n in expected.items()}


def coverage(*, scope: Scope, org: Organization, year: int, period: str, who: str,
             within: str = "") -> Coverage:
    """述学情况 by direct child of an organization the caller fetched: expected, reported, reviewed."""
    scope.require_business_data()
    path = _narrowed(org, within)
    counted = _counted(org, year, period, who, path) if path is not None else {}
    children = {child.path: child for child in Organization.objects.filter(
        Q(is_active=True) | Q(path__in=list(counted)), path__startswith=org.path, depth=org.depth + 1)}
    rows = []
    for child_path in sorted({*children, *counted} - {org.path}):
        counts = counted.get(child_path, {})
        rows.append(CoverageRow(children[child_path], counts.get("expected", 0), counts.get("reported", 0),
                                counts.get("reviewed", 0)))
    own = counted.get(org.path)
    if own is not None:
        rows.insert(0, CoverageRow(org, own["expected"], own["reported"], own["reviewed"], own=True))
    return Coverage(org=org, year=year, period=period, who=who, rows=rows)


def not_reported(*, scope: Scope, org: Organization, year: int, period: str, who: str,
                 within: str = "") -> QuerySet[Person]:
    """The people of the subtree asked to report who have not submitted one on the period (drafts count as not)."""
    scope.require_business_data()
    sent = StudyReport.objects.filter(person=OuterRef("pk"), year=year, period=period, status__in=REPORTED)
    return (_expected(org, who, within).filter(~Exists(sent)).select_related("org")
            .order_by("org__path", "name", "id"))


def report_counts(reports: QuerySet[StudyReport]) -> dict[str, int]:
    """How many reports of the inbox stand in each status: one grouped query."""
    counts = {status: 0 for status in Status.values}
    for status, n in reports.order_by().values_list("status").annotate(n=Count("id")):
        counts[status] = n
    return counts
