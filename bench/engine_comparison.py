"""Three ways to answer two norms for a whole province, timed side by side on a province database.

    .tools/bin/uv sync --frozen --group bench   # DuckDB is only for this bench
    .venv/bin/python bench/engine_comparison.py [--database-url postgres://…/xuexi_bench] [--sample 300]

The norms: `leader-off-job-training-110h` (each leader's credited hours of off-job training in the
year) and `central-group-study-quarterly` (each central group's sessions hosted per quarter).
1. xuexi as it runs: the standings kept by every write, read for the whole province (and the
   engine evaluating afresh from the ledger's running totals, which `--rebuild` and the tests use);
2. DuckDB, a columnar engine, given the raw records (exported from PostgreSQL once; the export is
   timed apart) and asked the same in one SQL statement per norm;
3. the naive way: an ORM loop over the subjects, each summing its own attendance rows in Python,
   timed on a sample and extrapolated to every subject.
It checks that DuckDB's answers equal the standings' for every subject. Nothing is written to the
database.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFF_JOB = "leader-off-job-training-110h"
CENTRAL = "central-group-study-quarterly"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/xuexi_bench")
    parser.add_argument("--sample", type=int, default=300, help="subjects timed in the naive loop")
    args = parser.parse_args()
    os.environ.update(DATABASE_URL=args.database_url, XUEXI_ENV="development", DJANGO_SETTINGS_MODULE="xuexi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    try:
        import duckdb
    except ImportError:
        print("DuckDB is not installed: .tools/bin/uv sync --frozen --group bench")
        return 1
    import django

    django.setup()
    from django.db import connection

    from xuexi.learning.ledger import credited_hours, default_rules
    from xuexi.learning.models import Activity, Attendance
    from xuexi.norms import standings
    from xuexi.norms.engine import evaluate
    from xuexi.norms.models import Standing
    from xuexi.orgs.models import Organization
    from xuexi.people.models import Person

    year = date.today().year
    as_of = date.today()
    standings.ensure_year(year)

    # 1. xuexi
    started = time.perf_counter()
    held = {(r.rule, r.subject, r.period): r.actual for r in standings.rows_of(
        Standing.objects.filter(year=year, rule__code__in=[OFF_JOB, CENTRAL]), as_of)}
    read = time.perf_counter() - started
    started = time.perf_counter()
    fresh = evaluate(year=year, as_of=as_of, rule_codes=[OFF_JOB, CENTRAL]).rows
    evaluated = time.perf_counter() - started
    print(f"xuexi: {len(held):,} rows of the two norms read from the standings in {read:.2f} s; "
          f"evaluated afresh from the running totals in {evaluated:.2f} s ({len(fresh):,} rows)")

    # 2. DuckDB over the raw records
    tables = {
        "attendance": "SELECT activity_id, person_id, status, hours, days FROM learning_attendance",
        "activity": "SELECT id, kind, host_id, start_date, end_date, hours, off_job FROM learning_activity",
        "person": "SELECT id, number, rank, leader_post, org_id, is_active FROM people_person",
        "org": "SELECT id, code, has_central_group, is_active FROM orgs_organization",
        "creditrule": "SELECT kind, hours_per_session, hours_per_day FROM learning_creditrule",
        "claim": "SELECT person_id, kind, off_job, hours, start_date, status FROM learning_learningclaim",
    }
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        raw = connection.connection  # psycopg 3: COPY out of PostgreSQL into CSV files
        for name, query in tables.items():
            with open(Path(folder) / f"{name}.csv", "wb") as out, raw.cursor().copy(
                    f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
                for block in copy:
                    out.write(block)
        exported = time.perf_counter() - started
        duck = duckdb.connect()
        started = time.perf_counter()
        for name in tables:
            duck.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv_auto('{folder}/{name}.csv')")
        loaded = time.perf_counter() - started
    started = time.perf_counter()
    hours = duck.execute(f"""
        WITH credits AS (
            SELECT a.person_id, COALESCE(TRY_CAST(a.hours AS DECIMAL(9, 2)), TRY_CAST(act.hours AS DECIMAL(9, 2)),
                       CASE WHEN cr.hours_per_day IS NOT NULL
                       THEN TRY_CAST(cr.hours_per_day AS DECIMAL(9, 2)) * (act.end_date - act.start_date + 1)
                       ELSE COALESCE(TRY_CAST(cr.hours_per_session AS DECIMAL(9, 2)), 0) END) AS hours
            FROM attendance a JOIN activity act ON act.id = a.activity_id
            LEFT JOIN creditrule cr ON cr.kind = act.kind
            WHERE a.status = '出席' AND act.kind = '培训' AND act.off_job AND year(act.start_date) = {year}
            UNION ALL
            SELECT person_id, TRY_CAST(hours AS DECIMAL(9, 2)) FROM claim
            WHERE status = 'certified' AND kind = '培训' AND off_job AND year(start_date) = {year}
        )
        SELECT p.number, COALESCE(SUM(c.hours), 0)
        FROM person p LEFT JOIN credits c ON c.person_id = p.id
        WHERE p.is_active AND p.leader_post <> '无' AND p.rank IN ('省部级', '厅局级', '县处级')
        GROUP BY p.number
    """).fetchall()
    sessions = duck.execute(f"""
        SELECT o.code, q.quarter, COUNT(act.id)
        FROM org o CROSS JOIN (SELECT unnest([1, 2, 3, 4]) AS quarter) q
        LEFT JOIN activity act ON act.host_id = o.id AND act.kind = '中心组集体学习'
             AND year(act.start_date) = {year} AND quarter(act.start_date) = q.quarter
        WHERE o.has_central_group AND o.is_active
        GROUP BY o.code, q.quarter
    """).fetchall()
    queried = time.perf_counter() - started
    duck_rows = {(OFF_JOB, number, str(year)): Decimal(str(h)) for number, h in hours}
    duck_rows |= {(CENTRAL, code, f"{year}-Q{q}"): Decimal(n) for code, q, n in sessions}
    differing = [key for key, actual in held.items() if abs(duck_rows.get(key, Decimal(-1)) - actual) > Decimal("0.05")]
    print(f"DuckDB {duckdb.__version__}: export from PostgreSQL {exported:.1f} s, load {loaded:.1f} s, "
          f"the two norms for every subject {queried:.2f} s; {len(differing)} of {len(held):,} rows differ "
          f"from the standings{': ' + str(differing[:5]) if differing else ''}")

    # 3. the naive ORM loop, on a sample
    leaders = list(Person.objects.filter(is_active=True, rank__in=["省部级", "厅局级", "县处级"])
                   .exclude(leader_post="无").order_by("id"))
    groups = list(Organization.objects.filter(is_active=True, has_central_group=True).order_by("id"))
    rules = default_rules()
    started = time.perf_counter()
    for person in leaders[:args.sample]:
        total = Decimal(0)
        for row in Attendance.objects.filter(person=person, status="出席").select_related("activity"):
            activity = row.activity
            if activity.kind == "培训" and activity.off_job and activity.start_date.year == year:
                total += credited_hours(attendance_hours=row.hours, activity_hours=activity.hours, kind=activity.kind,
                                        length_days=activity.length_days, rules=rules)[0]
    per_leader = (time.perf_counter() - started) / max(1, min(args.sample, len(leaders)))
    started = time.perf_counter()
    for org in groups[:args.sample]:
        for quarter in (1, 2, 3, 4):
            Activity.objects.filter(host=org, kind="中心组集体学习", start_date__year=year,
                                    start_date__quarter=quarter).count()
    per_group = (time.perf_counter() - started) / max(1, min(args.sample, len(groups)))
    naive = per_leader * len(leaders) + per_group * len(groups)
    print(f"naive ORM loop: {per_leader * 1000:.1f} ms a leader, {per_group * 1000:.1f} ms a central group; "
          f"for all {len(leaders):,} leaders and {len(groups):,} central groups about {naive:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
