"""The ledger's running totals: credited hours and days, hosted and given activities, by quarter.

Every write that changes what counts (an activity, attendance, a certified claim, a default
credit) refreshes the totals it touches before it returns, in set-based SQL restricted to the
people, organizations and years concerned; `rebuild()` recomputes all of them from the raw
records with the same statements and must give the same rows. The rules of counting are the
ledger's (`ledger.py`): only 出席 counts; hours are the row's, else the activity's, else the
kind's default credit; days are the row's, else the activity's length; an activity belongs to
the quarter of its start date; a claim counts once certified.
"""

# ruff: noqa: S608 -- the statements are put together from table names and SQL fragments of this
# module only; every value (ids, dates) is passed as a parameter.
from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Model

from xuexi.learning.models import Activity, Attendance, ClaimStatus, CreditTotal, HostedTotal, SpeakerTotal
from xuexi.orgs import dependents
from xuexi.orgs.dependents import SubjectsChanged

CHUNK = 2000


def _year(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%%Y', {column}) AS INTEGER)"


def _quarter(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(QUARTER FROM {column}) AS INTEGER)"
    return f"((CAST(strftime('%%m', {column}) AS INTEGER) + 2) / 3)"


def _length_days(start: str, end: str) -> str:
    if connection.vendor == "postgresql":
        return f"({end} - {start} + 1)"
    return f"CAST(julianday({end}) - julianday({start}) + 1 AS INTEGER)"


def _centi(expression: str) -> str:
    # SQLite keeps decimals as floating point: round each record to hundredths before summing.
    return f"CAST(ROUND(100 * ({expression})) AS BIGINT)"


def _in(column: str, values: Collection[int]) -> tuple[str, list[int]]:
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


@dataclass
class Touched:
    """What a write changed: the totals of these people and organizations in these years are refreshed."""

    person_years: set[tuple[int, int]] = field(default_factory=set)
    org_years: set[tuple[int, int]] = field(default_factory=set)

    def add_person(self, person_id: int, year: int) -> None:
        self.person_years.add((person_id, year))

    def add_org(self, org_id: int, year: int) -> None:
        self.org_years.add((org_id, year))

    def __bool__(self) -> bool:
        return bool(self.person_years or self.org_years)


def _by_year(pairs: Iterable[tuple[int, int]]) -> Iterator[tuple[int, list[int]]]:
    years: dict[int, list[int]] = {}
    for subject, year in pairs:
        years.setdefault(year, []).append(subject)
    for year, subjects in sorted(years.items()):
        ordered = sorted(set(subjects))
        for start in range(0, len(ordered), CHUNK):
            yield year, ordered[start:start + CHUNK]


def _year_bounds(year: int) -> list[date]:
    return [date(year, 1, 1), date(year, 12, 31)]


def _credit_select(where_attendance: str, where_claim: str) -> str:
    length = _length_days("act.start_date", "act.end_date")
    hours = (f"COALESCE(att.hours, act.hours, CASE WHEN cr.hours_per_day IS NOT NULL "
             f"THEN cr.hours_per_day * {length} ELSE COALESCE(cr.hours_per_session, 0) END)")
    return f"""
        SELECT person_id, y, q, kind, off_job, training_type, SUM(h), SUM(d), COUNT(*)
        FROM (
            SELECT att.person_id AS person_id, {_year("act.start_date")} AS y, {_quarter("act.start_date")} AS q,
                   act.kind AS kind, act.off_job AS off_job, act.training_type AS training_type,
                   {_centi(hours)} AS h, {_centi(f"COALESCE(att.days, {length})")} AS d
            FROM learning_attendance att
            JOIN learning_activity act ON act.id = att.activity_id
            LEFT JOIN learning_creditrule cr ON cr.kind = act.kind
            WHERE att.status = '出席' AND {where_attendance}
            UNION ALL
            SELECT c.person_id, {_year("c.start_date")}, {_quarter("c.start_date")}, c.kind, c.off_job, '',
                   {_centi("c.hours")}, {_centi("c.days")}
            FROM learning_learningclaim c
            WHERE c.status = '{ClaimStatus.CERTIFIED.value}' AND {where_claim}
        ) records
        GROUP BY person_id, y, q, kind, off_job, training_type
    """


CREDIT_COLUMNS = "(person_id, year, quarter, kind, off_job, training_type, hours_centi, days_centi, records)"


def _refresh_credits(year: int, person_ids: list[int]) -> None:
    table = CreditTotal._meta.db_table
    people_att, args_att = _in("att.person_id", person_ids)
    people_claim, args_claim = _in("c.person_id", person_ids)
    people_total, args_total = _in("person_id", person_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE year = %s AND {people_total}", [year, *args_total])
        cursor.execute(
            f"INSERT INTO {table} {CREDIT_COLUMNS} "
            + _credit_select(f"act.start_date BETWEEN %s AND %s AND {people_att}",
                             f"c.start_date BETWEEN %s AND %s AND {people_claim}"),
            [*_year_bounds(year), *args_att, *_year_bounds(year), *args_claim],
        )


# Activities counted per subject: hosted per organization, given as speaker per person.
HOSTED = (HostedTotal, "org_id", "host_id")
SPOKEN = (SpeakerTotal, "person_id", "speaker_person_id")


def _count_select(column: str, where: str) -> str:
    return f"""
        SELECT {column}, {_year("start_date")}, {_quarter("start_date")}, kind, COUNT(*)
        FROM learning_activity WHERE {column} IS NOT NULL AND {where}
        GROUP BY {column}, {_year("start_date")}, {_quarter("start_date")}, kind
    """


def _refresh_counts(counted: tuple[type[Model], str, str], year: int, ids: list[int]) -> None:
    model, subject, column = counted
    table = model._meta.db_table
    subjects, args = _in(subject, ids)
    activities, activity_args = _in(column, ids)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE year = %s AND {subjects}", [year, *args])
        cursor.execute(
            f"INSERT INTO {table} ({subject}, year, quarter, kind, activities) "
            + _count_select(column, f"start_date BETWEEN %s AND %s AND {activities}"),
            [*_year_bounds(year), *activity_args],
        )


def activity_touches(activity: Activity, touched: Touched | None = None) -> Touched:
    """What an activity counts for as it stands: its host, its speaker and everyone signed in, in its year."""
    return activities_touch([activity.pk], touched)


def activities_touch(activity_ids: Collection[int], touched: Touched | None = None) -> Touched:
    """What many activities count for as they stand (an import's before and after), in a few queries per chunk."""
    touched = touched if touched is not None else Touched()
    ordered = sorted(set(activity_ids))
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        year_of = {}
        for activity_id, host_id, day, speaker_id in Activity.objects.filter(id__in=chunk).values_list(
                "id", "host_id", "start_date", "speaker_person_id"):
            year_of[activity_id] = day.year
            touched.add_org(host_id, day.year)
            if speaker_id is not None:
                touched.add_person(speaker_id, day.year)
        for activity_id, person_id in Attendance.objects.filter(activity_id__in=chunk).values_list(
                "activity_id", "person_id"):
            touched.add_person(person_id, year_of[activity_id])
    return touched


def attendance_touch(pairs: Iterable[tuple[int, int]], touched: Touched | None = None) -> Touched:
    """What attendance rows (activity id, person id) count for: each person in the activity's year."""
    touched = touched if touched is not None else Touched()
    by_activity: dict[int, list[int]] = {}
    for activity_id, person_id in pairs:
        by_activity.setdefault(activity_id, []).append(person_id)
    ordered = sorted(by_activity)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        for activity_id, day in Activity.objects.filter(id__in=chunk).values_list("id", "start_date"):
            for person_id in by_activity[activity_id]:
                touched.add_person(person_id, day.year)
    return touched


def refresh(touched: Touched) -> None:
    """Bring the totals of the touched people and organizations up to date, inside the caller's transaction."""
    for year, people in _by_year(touched.person_years):
        _refresh_credits(year, people)
        _refresh_counts(SPOKEN, year, people)
    for year, orgs in _by_year(touched.org_years):
        _refresh_counts(HOSTED, year, orgs)
    dependents.subjects_changed(SubjectsChanged(person_years=touched.person_years, org_years=touched.org_years))


def rebuild_kind(kind: str) -> None:
    """Recompute the credit of one kind everywhere (its default credit changed)."""
    table = CreditTotal._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE kind = %s", [kind])
        cursor.execute(f"INSERT INTO {table} {CREDIT_COLUMNS} " + _credit_select("act.kind = %s", "c.kind = %s"),
                       [kind, kind])
    dependents.subjects_changed(SubjectsChanged(whole_tree=True))


def rebuild() -> None:
    """Recompute every total from the raw records."""
    postgres = connection.vendor == "postgresql" and connection.in_atomic_block
    with connection.cursor() as cursor:
        if postgres:
            # Millions of groups: let the aggregate hash in memory rather than spill to disk, and
            # skip JIT compilation, which costs seconds and gains nothing on one big scan.
            cursor.execute("SET LOCAL work_mem = '512MB'")
            cursor.execute("SET LOCAL jit = off")
        for model in (CreditTotal, SpeakerTotal, HostedTotal):
            cursor.execute(f"DELETE FROM {model._meta.db_table}", [])
    # Inserting ten million rows into live B-trees in random order costs many minutes; building the
    # indexes afterwards from sorted data costs seconds. Inside the transaction, so all or nothing.
    with _indexes_rebuilt_after(CreditTotal) if postgres else nullcontext(), connection.cursor() as cursor:
        # An empty parameter list still has '%%' read as '%', as in the statements above.
        cursor.execute(f"INSERT INTO {CreditTotal._meta.db_table} {CREDIT_COLUMNS} "
                       + _credit_select("1 = 1", "1 = 1"), [])
    with connection.cursor() as cursor:
        for model, subject, column in (SPOKEN, HOSTED):
            cursor.execute(f"INSERT INTO {model._meta.db_table} ({subject}, year, quarter, kind, activities) "
                           + _count_select(column, "1 = 1"), [])


@contextmanager
def _indexes_rebuilt_after(model: type[Model]) -> Iterator[None]:
    with connection.schema_editor(atomic=False) as editor:
        for constraint in model._meta.constraints:
            editor.remove_constraint(model, constraint)
        for index in model._meta.indexes:
            editor.remove_index(model, index)
    yield
    with connection.schema_editor(atomic=False) as editor:
        for constraint in model._meta.constraints:
            editor.add_constraint(model, constraint)
        for index in model._meta.indexes:
            editor.add_index(model, index)
