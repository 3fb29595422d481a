"""The ledger's running totals: credited hours and days, hosted and given activities, by quarter.

Every write that changes what counts (an activity, attendance, a certified claim, platform credit,
a default credit) refreshes the totals it touches before it returns, in set-based SQL restricted to the
people, organizations and years concerned; `rebuild()` recomputes all of them from the raw
records (on PostgreSQL with statements shaped for a whole province) and must give the same rows.
The rules of counting are the ledger's (`ledger.py`): only 出席 counts; hours are the row's, else
the activity's, else the kind's default credit; days are the row's, else the activity's length;
an activity belongs to the quarter of its start date; a claim counts once certified; the platform's
own credit (online learning, exams passed: PlatformCredit) counts on its date, in hours only (no days).
"""

# ruff: noqa: S608 -- the statements are put together from table names and SQL fragments of this
# module only; every value (ids, dates) is passed as a parameter.
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Model

from xuexi.learning.models import Activity, Attendance, ClaimStatus, CreditTotal, HostedTotal, SpeakerTotal
from xuexi.orgs import dependents
from xuexi.orgs.dependents import SubjectsChanged
from xuexi.people.models import Person

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


def _false() -> str:
    # Platform credit (online learning, exams) is never off the job (脱产).
    return "FALSE" if connection.vendor == "postgresql" else "0"


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


def _activity_hours(length: str) -> str:
    """An activity's hours for each present row without its own: its own, else the kind's default credit."""
    return (f"COALESCE(act.hours, CASE WHEN cr.hours_per_day IS NOT NULL "
            f"THEN cr.hours_per_day * {length} ELSE COALESCE(cr.hours_per_session, 0) END)")


def _credit_select(where_attendance: str, where_claim: str, where_platform: str) -> str:
    length = _length_days("act.start_date", "act.end_date")
    hours = f"COALESCE(att.hours, {_activity_hours(length)})"
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
            UNION ALL
            SELECT pc.person_id, {_year("pc.date")}, {_quarter("pc.date")}, pc.kind, {_false()}, '',
                   {_centi("pc.hours")}, 0
            FROM learning_platformcredit pc
            WHERE {where_platform}
        ) records
        GROUP BY person_id, y, q, kind, off_job, training_type
    """


CREDIT_COLUMNS = "(person_id, year, quarter, kind, off_job, training_type, hours_centi, days_centi, records)"


def _refresh_credits(year: int, person_ids: list[int]) -> None:
    table = CreditTotal._meta.db_table
    people_att, args_att = _in("att.person_id", person_ids)
    people_claim, args_claim = _in("c.person_id", person_ids)
    people_platform, args_platform = _in("pc.person_id", person_ids)
    people_total, args_total = _in("person_id", person_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE year = %s AND {people_total}", [year, *args_total])
        cursor.execute(
            f"INSERT INTO {table} {CREDIT_COLUMNS} "
            + _credit_select(f"act.start_date BETWEEN %s AND %s AND {people_att}",
                             f"c.start_date BETWEEN %s AND %s AND {people_claim}",
                             f"pc.date BETWEEN %s AND %s AND {people_platform}"),
            [*_year_bounds(year), *args_att, *_year_bounds(year), *args_claim, *_year_bounds(year), *args_platform],
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
    """What attendance rows (activity id, person id) count for: each person, and the host, in the activity's year.

    The host's own measures do not change with who signed in, but its central group's presence does.
    """
    touched = touched if touched is not None else Touched()
    by_activity: dict[int, list[int]] = {}
    for activity_id, person_id in pairs:
        by_activity.setdefault(activity_id, []).append(person_id)
    ordered = sorted(by_activity)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        for activity_id, host_id, day in Activity.objects.filter(id__in=chunk).values_list(
                "id", "host_id", "start_date"):
            touched.add_org(host_id, day.year)
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
        cursor.execute(f"INSERT INTO {table} {CREDIT_COLUMNS} "
                       + _credit_select("act.kind = %s", "c.kind = %s", "pc.kind = %s"), [kind, kind, kind])
    dependents.subjects_changed(SubjectsChanged(whole_tree=True))


def rebuild() -> None:
    """Recompute every total from the raw records, all or nothing inside the caller's transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _rebuild_postgresql()
            return
        with connection.cursor() as cursor:
            for model in (CreditTotal, SpeakerTotal, HostedTotal):
                cursor.execute(f"DELETE FROM {model._meta.db_table}", [])
            # An empty parameter list still has '%%' read as '%', as in the statements above.
            cursor.execute(f"INSERT INTO {CreditTotal._meta.db_table} {CREDIT_COLUMNS} "
                           + _credit_select("1 = 1", "1 = 1", "1 = 1"), [])
            for model, subject, column in (SPOKEN, HOSTED):
                cursor.execute(f"INSERT INTO {model._meta.db_table} ({subject}, year, quarter, kind, activities) "
                               + _count_select(column, "1 = 1"), [])


# At province scale (18 million attendance rows, 10 million credit rows) the rebuild is bound by
# grouping every present row by person and quarter and, when the table must be written whole, by
# writing ten million rows and their four indexes. The grouping sorts one integer per row in a
# gigabyte of memory; JIT compilation costs seconds and gains nothing on one big scan.
REBUILD_SETTINGS = {"work_mem": "2GB", "hash_mem_multiplier": "1", "maintenance_work_mem": "1GB", "jit": "off"}
# Over filled totals the rebuild writes only the rows that differ, as REFRESH MATERIALIZED VIEW
# CONCURRENTLY does. A row changed in place costs about 0.1 ms at province scale (an entry in each
# of four indexes far larger than shared buffers); past this many, emptying the table and writing
# it whole with its indexes built afterwards (about 40 s) is faster.
IN_PLACE_LIMIT = 300_000


def _rebuild_postgresql() -> None:
    with connection.cursor() as cursor, _settings(cursor, REBUILD_SETTINGS):
        with _credit_classes(cursor) as scale:
            _replace(cursor, CreditTotal, _credit_rows(scale))
        for model, subject, column in (SPOKEN, HOSTED):
            _replace(cursor, model, _count_rows(model, subject, column))


@contextmanager
def _settings(cursor: CursorWrapper, settings: Mapping[str, str]) -> Iterator[None]:
    """Set planner and memory settings for the statements inside, then put the caller's back."""
    cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(settings)), list(settings))
    before = cursor.fetchone()
    for name, value in settings.items():
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
    yield
    # Not in a `finally`: after an error the transaction is aborted, and rolling it back to the
    # savepoint restores the settings anyway.
    for name, value in zip(settings, before, strict=True):
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


@contextmanager
def _credit_classes(cursor: CursorWrapper) -> Iterator[int]:
    """Number the credit classes and work out each activity's credit in temporary tables, dropped after.

    A class is what a credit total is kept by besides the person: (year, quarter, kind, off-job,
    training type). A present row without its own hours and days credits its activity's, worked out
    here once per activity (a million) rather than once per row (fifteen million). Yields the scale,
    a power of two above every person id, so that class × scale + person keys a total.
    """
    year, quarter = _year("start_date"), _quarter("start_date")
    cursor.execute(f"""
        CREATE TEMPORARY TABLE rebuild_credit_class AS
        SELECT CAST(ROW_NUMBER() OVER (ORDER BY year, kind, quarter, off_job, training_type) AS BIGINT) AS id,
               year, quarter, kind, off_job, training_type
        FROM (SELECT {year} AS year, {quarter} AS quarter, kind, off_job, training_type FROM learning_activity
              UNION
              SELECT {year}, {quarter}, kind, off_job, '' FROM learning_learningclaim WHERE status = %s
              UNION
              SELECT {_year("date")}, {_quarter("date")}, kind, FALSE, '' FROM learning_platformcredit) classes
    """, [ClaimStatus.CERTIFIED.value])
    # Statistics on each temporary table before it is joined: without them the planner sorts a
    # million activities to merge them with a few dozen classes.
    cursor.execute("ANALYZE rebuild_credit_class")
    length = _length_days("act.start_date", "act.end_date")
    cursor.execute(f"""
        CREATE TEMPORARY TABLE rebuild_credit_activity AS
        SELECT act.id, cls.id AS class_id, {_centi(_activity_hours(length))} AS hours_centi,
               {_centi(length)} AS days_centi
        FROM learning_activity act
        LEFT JOIN learning_creditrule cr ON cr.kind = act.kind
        JOIN rebuild_credit_class cls ON {_same_class("cls", "act", _year("act.start_date"),
                                                      _quarter("act.start_date"), "act.training_type")}
    """, [])
    cursor.execute("ANALYZE rebuild_credit_activity")
    # The totals held may name people who no longer exist; they must not take another's key either.
    cursor.execute(f"SELECT GREATEST((SELECT MAX(id) FROM {Person._meta.db_table}), "
                   f"(SELECT MAX(person_id) FROM {CreditTotal._meta.db_table}))")
    yield 1 << (cursor.fetchone()[0] or 0).bit_length()
    cursor.execute("DROP TABLE rebuild_credit_activity, rebuild_credit_class")


def _same_class(cls: str, row: str, year: str, quarter: str, training_type: str) -> str:
    return (f"{cls}.year = {year} AND {cls}.quarter = {quarter} AND {cls}.kind = {row}.kind "
            f"AND {cls}.off_job = {row}.off_job AND {cls}.training_type = {training_type}")


@dataclass(frozen=True)
class _Rows:
    """A totals table as the rebuild compares and writes it."""

    key: tuple[str, ...]
    values: tuple[str, ...]
    # (key…, values…) of every row as the records say it should be.
    fresh: str
    # (id, key…, values…) of every row the table holds.
    held: str
    # The table's columns, and a statement selecting them from a relation r with (key…, values…).
    columns: str
    stored: Callable[[str], str]


def _credit_rows(scale: int) -> _Rows:
    """Credit totals keyed by one integer, class × scale + person.

    Grouping fifteen million records by one integer (a sort) costs a fraction of grouping them by
    the six columns of the key, and leaves the totals in (year, kind, quarter, …, person) order,
    in which all four indexes are quick to build.
    """
    values = ("hours_centi", "days_centi", "records")
    fresh = f"""
        SELECT k, CAST(SUM(h) AS BIGINT), CAST(SUM(d) AS BIGINT), COUNT(*)
        FROM (
            SELECT ca.class_id * {scale} + att.person_id AS k,
                   COALESCE({_centi("att.hours")}, ca.hours_centi) AS h,
                   COALESCE({_centi("att.days")}, ca.days_centi) AS d
            FROM learning_attendance att
            JOIN rebuild_credit_activity ca ON ca.id = att.activity_id
            WHERE att.status = '出席'
            UNION ALL
            SELECT cls.id * {scale} + c.person_id, {_centi("c.hours")}, {_centi("c.days")}
            FROM learning_learningclaim c
            JOIN rebuild_credit_class cls
                 ON {_same_class("cls", "c", _year("c.start_date"), _quarter("c.start_date"), "''")}
            WHERE c.status = '{ClaimStatus.CERTIFIED.value}'
            UNION ALL
            SELECT cls.id * {scale} + pc.person_id, {_centi("pc.hours")}, 0
            FROM learning_platformcredit pc
            JOIN rebuild_credit_class cls ON cls.year = {_year("pc.date")} AND cls.quarter = {_quarter("pc.date")}
                 AND cls.kind = pc.kind AND cls.off_job = FALSE AND cls.training_type = ''
            ORDER BY 1
        ) records
        GROUP BY k
    """
    # A row of a class that no record has any more gets no key, matches nothing and goes.
    held = f"""
        SELECT old.id, cls.id * {scale} + old.person_id, {", ".join(f"old.{column}" for column in values)}
        FROM {CreditTotal._meta.db_table} old
        LEFT JOIN rebuild_credit_class cls
             ON {_same_class("cls", "old", "old.year", "old.quarter", "old.training_type")}
    """

    def stored(source: str) -> str:
        return f"""
            SELECT MOD(r.k, {scale}), cls.year, cls.quarter, cls.kind, cls.off_job, cls.training_type,
                   r.hours_centi, r.days_centi, r.records
            FROM {source} JOIN rebuild_credit_class cls ON cls.id = r.k / {scale}
        """

    return _Rows(("k",), values, fresh, held, CREDIT_COLUMNS.strip("()"), stored)


def _count_rows(model: type[Model], subject: str, column: str) -> _Rows:
    """Hosted or given activities, keyed by their own columns."""
    columns = f"{subject}, year, quarter, kind, activities"
    return _Rows((subject, "year", "quarter", "kind"), ("activities",), _count_select(column, "1 = 1"),
                 f"SELECT id, {columns} FROM {model._meta.db_table}", columns,
                 lambda source: f"SELECT {columns} FROM {source}")


def _replace(cursor: CursorWrapper, model: type[Model], rows: _Rows) -> None:
    """Make the table hold exactly the fresh rows: change only those that differ, unless that is most."""
    table = model._meta.db_table
    named = ", ".join((*rows.key, *rows.values))
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
    if cursor.fetchone()[0]:
        same_key = " AND ".join(f"old.{column} = fresh.{column}" for column in rows.key)
        # A row on one side only has nulls for the values of the other: it differs.
        cursor.execute(f"""
            CREATE TEMPORARY TABLE rebuild_diff AS
            SELECT old.id AS old_id, fresh.*
            FROM ({rows.fresh}) fresh ({named})
            FULL JOIN ({rows.held}) old (id, {named}) ON {same_key}
            WHERE ({", ".join(f"old.{column}" for column in rows.values)})
                  IS DISTINCT FROM ({", ".join(f"fresh.{column}" for column in rows.values)})
        """, [])
        cursor.execute("SELECT COUNT(*) FROM rebuild_diff")
        in_place = cursor.fetchone()[0] <= IN_PLACE_LIMIT
        if in_place:
            # With statistics, a few changes are looked up by id rather than joined with every row.
            cursor.execute("ANALYZE rebuild_diff")
            cursor.execute(f"DELETE FROM {table} WHERE id IN "
                           f"(SELECT old_id FROM rebuild_diff WHERE {rows.key[0]} IS NULL)")
            cursor.execute(f"UPDATE {table} old SET {', '.join(f'{v} = r.{v}' for v in rows.values)} "
                           f"FROM rebuild_diff r WHERE old.id = r.old_id AND r.{rows.key[0]} IS NOT NULL")
            cursor.execute(f"INSERT INTO {table} ({rows.columns}) {rows.stored('rebuild_diff r')} "
                           f"WHERE r.old_id IS NULL", [])
        cursor.execute("DROP TABLE rebuild_diff")
        if in_place:
            return
    # Empty, or mostly wrong: write it whole (the fresh rows worked out again). TRUNCATE is
    # transactional in PostgreSQL, and inserting millions of rows into live B-trees costs many times
    # what building them afterwards from the table does.
    cursor.execute(f"TRUNCATE {table}")
    with _indexes_dropped(cursor, table):
        cursor.execute(f"INSERT INTO {table} ({rows.columns}) {rows.stored(f'({rows.fresh}) r ({named})')}", [])


@contextmanager
def _indexes_dropped(cursor: CursorWrapper, table: str) -> Iterator[None]:
    """Drop every index of the table, the primary key's and the constraints' too, and build them after."""
    cursor.execute("""
        SELECT con.conname, pg_get_constraintdef(con.oid) FROM pg_constraint con
        WHERE con.conrelid = %s::regclass AND con.contype IN ('p', 'u', 'x')
    """, [table])
    constraints = cursor.fetchall()
    cursor.execute("""
        SELECT ind.indexrelid::regclass::text, pg_get_indexdef(ind.indexrelid) FROM pg_index ind
        WHERE ind.indrelid = %s::regclass AND NOT EXISTS (
            SELECT 1 FROM pg_constraint con WHERE con.conrelid = ind.indrelid AND con.conindid = ind.indexrelid)
    """, [table])
    indexes = cursor.fetchall()
    quote = connection.ops.quote_name
    for name, _ in constraints:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    for name, definition in constraints:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    for _, definition in indexes:
        cursor.execute(definition)
