"""达标情况: the engine's rows held in a table and kept current, so pages never evaluate a subtree.

A year is built whole the first time it is asked for (`ensure_year`), then every write that
changes what a row measures brings the rows concerned up to date before it returns:
- the ledger's totals of some people or organizations in a year (an activity, attendance, a
  claim, a default credit, an import): their rows of every held year whose periods include it;
- the roster (a person's rank, post, groups or organization; an organization's level, kind,
  sector, central group or place in the tree): their rows of every held year;
- a rule's new version: that rule's rows of every held year;
- an exemption: that subject's row of that rule and period.
Changes too broad to follow subject by subject (an import of half a province) rebuild the
years concerned whole. `rebuild()` recomputes every held year from the ledger and must leave
the same rows.

Statuses are computed when read, in SQL, from the measure and the day asked about, exactly as
`engine.status_of` does (the hypothesis test in tests/norms/test_standings.py holds them equal).
"""

# ruff: noqa: S608 -- the coverage statements are put together from table names of the models only;
# every value (years, ids, paths) is passed as a parameter.
from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Case, CharField, F, Q, QuerySet, Value, When

from xuexi.learning.models import CreditTotal
from xuexi.norms import rollups
from xuexi.norms.engine import Row, Status, Subject, Subjects, evaluate
from xuexi.norms.models import (
    GroupCoverage,
    GroupCoverageRollup,
    Rule,
    Standing,
    StandingRollup,
    StandingYear,
    SubjectType,
)
from xuexi.orgs.dependents import SubjectsChanged
from xuexi.orgs.models import Organization
from xuexi.people.models import Person, PersonGroup

# Beyond this many subjects in one change, the years concerned are rebuilt whole: one pass over the
# tree costs less than thousands of small ones.
WHOLE_YEAR_ABOVE = 20_000
CHUNK = 2000
BATCH = 5000
# A change to a year's measures reaches the windows ending up to this many years later (the spec
# allows windows of up to ten years).
LONGEST_WINDOW = 10


def held_years() -> list[int]:
    return list(StandingYear.objects.order_by("year").values_list("year", flat=True))


def is_held(year: int) -> bool:
    return StandingYear.objects.filter(year=year).exists()


def ensure_year(year: int) -> None:
    """Build a year's standings if they are not held yet; a no-op once they are."""
    if is_held(year):
        return
    try:
        with transaction.atomic():
            # The marker first: a second builder waits on it and then finds the year built.
            StandingYear.objects.create(year=year)
            _store(_evaluated(year))
            _rebuild_coverage(year)
            _recount(year)
            _analyze()
    except IntegrityError:
        if not is_held(year):
            raise


def rebuild() -> None:
    """Recompute every held year from the ledger's totals."""
    years = set(held_years())
    Standing.objects.all().delete()
    GroupCoverage.objects.all().delete()
    StandingRollup.objects.all().delete()
    GroupCoverageRollup.objects.all().delete()
    StandingYear.objects.all().delete()
    for year in sorted(years):
        ensure_year(year)


def _evaluated(year: int, *, under: Organization | None = None, rule_codes: Collection[str] = (),
               only: Subjects | None = None) -> list[Row]:
    # Statuses are not kept, so the day the engine judges by does not matter here.
    return evaluate(year=year, as_of=date(year, 12, 31), under=under, rule_codes=list(rule_codes), only=only).rows


def behind_from(*, start_day: int, deadline_day: int, required_centi: int, actual_centi: int) -> int:
    """The first day on which a row short of its requirement is behind pace (engine.status_of's test):
    actual × span < required × (day − start + 1)  ⇔  day ≥ start + ⌊actual × span / required⌋."""
    if required_centi <= 0:
        return deadline_day + 1  # met from the start: never behind
    return start_day + actual_centi * (deadline_day - start_day + 1) // required_centi


def _standing(year: int, row: Row, rule_ids: dict[str, int]) -> Standing:
    place = row.place
    assert place is not None
    quarter = int(row.period[-1]) if "-Q" in row.period else 0
    start_day, deadline_day = row.period_start.toordinal(), row.deadline.toordinal()
    required_centi, actual_centi = int(row.required * 100), int(row.actual * 100)
    return Standing(
        rule_id=rule_ids[row.rule], version_id=row.version_id, year=year, period=row.period, quarter=quarter,
        subject_type=row.subject_type, org_id=place.org_id,
        person_id=row.subject_id if row.subject_type == SubjectType.PERSON else None,
        org_path=place.org_path, org_level=place.org_level, org_sector=place.org_sector,
        start_day=start_day, deadline_day=deadline_day, required_centi=required_centi, actual_centi=actual_centi,
        exempt=row.status == Status.EXEMPT,
        short=row.status != Status.EXEMPT and actual_centi < required_centi,
        behind_from_day=behind_from(start_day=start_day, deadline_day=deadline_day, required_centi=required_centi,
                                    actual_centi=actual_centi),
    )


def _store(rows: list[Row]) -> set[str]:
    """Store the rows; the paths of the organizations they sit in."""
    if not rows:
        return set()
    rule_ids = dict(Rule.objects.values_list("code", "id"))
    Standing.objects.bulk_create([_standing(_year_of(row.period), row, rule_ids) for row in rows], batch_size=BATCH)
    return {row.place.org_path for row in rows if row.place is not None}


def _year_of(period: str) -> int:
    """The year a period is evaluated in: 2025 for 2025, 2025-Q3 and 2021-2025."""
    return int(period[:4]) if "-Q" in period else int(period[-4:])


def _chunks(ids: Collection[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]


def _refresh_subjects(year: int, people: Collection[int], orgs: Collection[int]) -> None:
    paths: set[str] = set()  # where the subjects were and are: the counts to redo
    for chunk in _chunks(people):
        held = Standing.objects.filter(year=year, person_id__in=chunk)
        paths.update(held.values_list("org_path", flat=True).distinct())
        held.delete()
        paths |= _store(_evaluated(year, only=Subjects(people=frozenset(chunk))))
    for chunk in _chunks(orgs):
        held = Standing.objects.filter(year=year, subject_type=SubjectType.ORG, org_id__in=chunk)
        paths.update(held.values_list("org_path", flat=True).distinct())
        held.delete()
        paths |= _store(_evaluated(year, only=Subjects(orgs=frozenset(chunk))))
    rollups.recount_standings(year, paths)
    covered = set(orgs)
    for chunk in _chunks(people):
        covered.update(Person.objects.filter(pk__in=chunk).values_list("org_id", flat=True))
    _refresh_coverage(year, covered)


EVERYONE = ""  # the coverage row of an organization's whole roster, beside its 关注群体


def roster_size(*, org: Organization, year: int) -> int:
    """The active people of an organization's subtree, from the coverage kept current (no count of the roster)."""
    ensure_year(year)
    rows = GroupCoverageRollup.objects.filter(year=year, org_path=org.path, group=EVERYONE)
    return sum(rows.values_list("people", flat=True))


def _coverage_selects(where: str) -> list[str]:
    """Count each organization's 关注群体 and whole roster, and those of them who learned.

    Each statement's parameters: year, year, then `where`'s. Each person is looked up in the credit
    totals, which stops at their first row: at province scale quicker than listing the year's
    learners (a scan of ten million totals) and as quick for one organization as for all.
    """
    groups = PersonGroup._meta.db_table
    everyone = f"(SELECT id AS person_id, '{EVERYONE}' AS \"group\" FROM {Person._meta.db_table})"
    return [_coverage_select(source, where) for source in (groups, everyone)]


def _coverage_select(source: str, where: str) -> str:
    people, orgs = Person._meta.db_table, Organization._meta.db_table
    credits = CreditTotal._meta.db_table
    return f"""
        SELECT %s, p.org_id, o.path, g."group", COUNT(*),
               COUNT(CASE WHEN EXISTS (SELECT 1 FROM {credits} c WHERE c.person_id = g.person_id
                                       AND c.year = %s AND c.records > 0) THEN 1 END)
        FROM {source} g
        JOIN {people} p ON p.id = g.person_id AND p.is_active
        JOIN {orgs} o ON o.id = p.org_id
        WHERE {where}
        GROUP BY p.org_id, o.path, g."group"
    """


COVERAGE_COLUMNS = '(year, org_id, org_path, "group", people, learners)'


def _refresh_coverage(year: int, org_ids: Collection[int]) -> None:
    """关注群体 coverage of these organizations' rosters in a year, counted afresh."""
    table = GroupCoverage._meta.db_table
    paths: set[str] = set()
    for chunk in _chunks(org_ids):
        paths.update(Organization.objects.filter(pk__in=chunk).values_list("path", flat=True))
        paths.update(GroupCoverage.objects.filter(year=year, org_id__in=chunk).values_list("org_path", flat=True))
        marks = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE year = %s AND org_id IN ({marks})", [year, *chunk])
            for select in _coverage_selects(f"p.org_id IN ({marks})"):
                cursor.execute(f"INSERT INTO {table} {COVERAGE_COLUMNS} {select}", [year, year, *chunk])
    rollups.recount_coverage(year, paths)


def _rebuild_coverage(year: int, under: Organization | None = None) -> None:
    table = GroupCoverage._meta.db_table
    path = under.path if under is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE year = %s AND org_path LIKE %s", [year, f"{path}%"])
        for select in _coverage_selects("o.path LIKE %s"):
            cursor.execute(f"INSERT INTO {table} {COVERAGE_COLUMNS} {select}", [year, year, f"{path}%"])


def _rebuild_year(year: int, *, under: Organization | None = None, rule_codes: Collection[str] = ()) -> None:
    """A year's rows (under an organization, of some rules) made again; the coverage too unless only rules changed."""
    held = Standing.objects.filter(year=year)
    if under is not None:
        held = held.filter(org_path__startswith=under.path)
    if rule_codes:
        held = held.filter(rule__code__in=rule_codes)
    held.delete()
    _store(_evaluated(year, under=under, rule_codes=rule_codes))
    rollups.recount_standings(year)
    if not rule_codes:
        _rebuild_coverage(year, under)
        rollups.recount_coverage(year)


def _analyze() -> None:
    """Tables that just grew by a province's year: give the planner their sizes now, not at autovacuum's leisure."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Standing, GroupCoverage, StandingRollup, GroupCoverageRollup):
                cursor.execute(f"ANALYZE {model._meta.db_table}")


def _recount(year: int) -> None:
    rollups.recount_standings(year)
    rollups.recount_coverage(year)


def on_subjects_changed(change: SubjectsChanged) -> None:
    """The listener registered with orgs.dependents: bring the changed subjects' rows up to date."""
    held = held_years()
    if not held:
        return
    if change.whole_tree:
        for year in held:
            _rebuild_year(year)
        return
    if change.subtrees:
        # A moved subtree: its rows under the old path and the new go, and are made again where it now is.
        moved = Q()
        for path in change.subtrees:
            moved |= Q(org_path__startswith=path)
        Standing.objects.filter(moved).delete()
        GroupCoverage.objects.filter(moved).delete()
        for under in Organization.objects.filter(path__in=change.subtrees):
            for year in held:
                _store(_evaluated(year, under=under))
                _rebuild_coverage(year, under)
        for year in held:
            _recount(year)
    members: set[int] = set()
    if change.orgs and len(change.orgs) <= WHOLE_YEAR_ABOVE:
        # Rules on people may select them by their organization's sector.
        for chunk in _chunks(change.orgs):
            members.update(Person.objects.filter(org_id__in=chunk).values_list("id", flat=True))
    # A person's central-group membership counts in their organization's presence share.
    their_orgs: set[int] = set()
    if change.people and len(change.people) <= WHOLE_YEAR_ABOVE:
        for chunk in _chunks(change.people):
            their_orgs.update(Person.objects.filter(id__in=chunk).values_list("org_id", flat=True))
    for year in held:
        people = change.people | members
        orgs = change.orgs | their_orgs
        people.update(p for p, y in change.person_years if year - LONGEST_WINDOW < y <= year)
        orgs.update(o for o, y in change.org_years if year - LONGEST_WINDOW < y <= year)
        if len(people) + len(orgs) > WHOLE_YEAR_ABOVE:
            _rebuild_year(year)
        else:
            _refresh_subjects(year, people, orgs)


def rule_changed(rule_code: str) -> None:
    """A rule's versions changed: its rows of every held year."""
    for year in held_years():
        _rebuild_year(year, rule_codes=[rule_code])


def exemption_changed(*, rule_code: str, period: str, person_id: int | None, org_id: int | None) -> None:
    year = _year_of(period)
    if not is_held(year):
        return
    held = Standing.objects.filter(rule__code=rule_code, period=period)
    held = held.filter(person_id=person_id) if person_id else held.filter(subject_type=SubjectType.ORG, org_id=org_id)
    paths = set(held.values_list("org_path", flat=True))
    held.delete()
    only = Subjects(people=frozenset([person_id])) if person_id else Subjects(orgs=frozenset([org_id or 0]))
    paths |= _store([row for row in _evaluated(year, rule_codes=[rule_code], only=only) if row.period == period])
    rollups.recount_standings(year, paths)


# -- reading -----------------------------------------------------------------------------------------
def with_status(standings: QuerySet[Standing], as_of: date) -> QuerySet[Standing]:
    """Each standing's status and pace on a day, computed in the query as engine.status_of does."""
    today = as_of.toordinal()
    reached = Q(actual_centi__gte=F("required_centi"))
    status = Case(
        When(exempt=True, then=Value(Status.EXEMPT)),
        When(reached, then=Value(Status.MET)),
        When(deadline_day__lt=today, then=Value(Status.MISSED)),
        default=Value(Status.IN_PROGRESS),
        output_field=CharField(),
    )
    at_risk = Case(
        When(Q(short=True, behind_from_day__lte=today, deadline_day__gte=today), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return standings.annotate(status=status, at_risk=at_risk)


def missed_or_behind(standings: QuerySet[Standing], as_of: date) -> QuerySet[Standing]:
    """The standings missed or behind pace on a day (with_status's two), in terms the short-rows index serves."""
    today = as_of.toordinal()
    return standings.filter(Q(short=True) & (Q(deadline_day__lt=today) | Q(behind_from_day__lte=today)))


ROW_FIELDS = ("rule__code", "version_id", "subject_type", "person_id", "org_id", "person__number", "person__name",
              "org__code", "org__name", "period", "start_day", "deadline_day", "required_centi", "actual_centi",
              "status", "at_risk", "org_path", "org_level", "org_sector")


def _row(rule: str, version_id: int, subject_type: str, person_id: int | None, org_id: int, number: str | None,
         person_name: str | None, org_code: str, org_name: str, period: str, start_day: int, deadline_day: int,
         required: int, actual: int, status: str, at_risk: bool, path: str, level: str, sector: str) -> Row:
    is_person = subject_type == SubjectType.PERSON
    subject_id = person_id if is_person and person_id is not None else org_id
    code = number if is_person and number is not None else org_code
    name = person_name if is_person and person_name is not None else org_name
    return Row(rule=rule, version_id=version_id, subject_type=subject_type, subject_id=subject_id,
               subject=code, subject_name=name, org=org_code, period=period,
               period_start=date.fromordinal(start_day), deadline=date.fromordinal(deadline_day),
               required=Decimal(required) / 100, actual=Decimal(actual) / 100, status=status,
               at_risk=bool(at_risk), place=Subject(subject_id, code, name, org_id, org_code, path, level, sector))


def rows_of(standings: QuerySet[Standing], as_of: date) -> Iterable[Row]:
    """The standings as the engine's rows on a day."""
    annotated = standings if "status" in standings.query.annotations else with_status(standings, as_of)
    for values in annotated.values_list(*ROW_FIELDS):
        yield _row(*values)


def behind_by_rule(*, year: int, org_path: str, rule_ids: Collection[int], as_of: date,
                   limit: int) -> dict[int, list[Row]]:
    """For each rule, the first `limit` subjects of a subtree missed or behind pace on a day (missed_or_behind's
    rows, ordered by place in the tree), in one query: a limited scan of the short-rows index per rule."""
    if not rule_ids:
        return {}
    today = as_of.toordinal()
    q = connection.ops.quote_name
    standing, rule = Standing._meta.db_table, Rule._meta.db_table
    org, person = Organization._meta.db_table, Person._meta.db_table
    # Table names come from the models; every value is a parameter.
    one = (f"SELECT * FROM (SELECT s.rule_id, r.code, s.version_id, s.subject_type, s.person_id, s.org_id, "
           f"p.number, p.name, o.code, o.name, s.period, s.start_day, s.deadline_day, s.required_centi, "
           f"s.actual_centi, s.org_path, s.org_level, s.org_sector "
           f"FROM {q(standing)} s JOIN {q(rule)} r ON r.id = s.rule_id JOIN {q(org)} o ON o.id = s.org_id "
           f"LEFT JOIN {q(person)} p ON p.id = s.person_id "
           f"WHERE s.year = %s AND s.rule_id = %s AND s.short = %s AND s.org_path LIKE %s "
           f"AND (s.deadline_day < %s OR s.behind_from_day <= %s) "
           f"ORDER BY s.org_path, s.start_day, s.id LIMIT %s) b{{n}}")
    ordered = sorted(rule_ids)
    sql = " UNION ALL ".join(one.format(n=n) for n in range(len(ordered)))
    params: list[int | str | bool] = []
    for rule_id in ordered:
        params += [year, rule_id, True, f"{org_path}%", today, today, limit]
    behind: dict[int, list[Row]] = {rule_id: [] for rule_id in ordered}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for (rule_id, code, version_id, subject_type, person_id, org_id, number, person_name, org_code, org_name,
             period, start_day, deadline_day, required, actual, path, level, sector) in cursor.fetchall():
            missed = deadline_day < today
            behind[rule_id].append(_row(
                code, version_id, subject_type, person_id, org_id, number, person_name, org_code, org_name, period,
                start_day, deadline_day, required, actual, Status.MISSED if missed else Status.IN_PROGRESS,
                not missed, path, level, sector))
    return behind
