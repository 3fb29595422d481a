"""Import attendance rows from CSV and print rows per second.

    .venv/bin/python bench/import_attendance.py [--rows 1000000] [--database-url URL] [--profile]

Builds a small demo province on a fresh database, records enough activities for the rows, writes a
CSV of attendance (every activity × every person, in order) and imports it with the same code path
as `xuexi import attendance`, then imports the same file again (nothing changes). Targets (issue 3):
50,000 rows/s on PostgreSQL, 20,000 on SQLite. --profile prints where the first import spends its time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def open_database(url: str, workdir: Path) -> None:
    """Point Django at a fresh database (a PostgreSQL one is dropped first) with a small demo province."""
    if url.startswith("postgres"):
        from demo_scale import _fresh_postgres

        _fresh_postgres(url)
    # No DEBUG, as in production: Django would otherwise keep every query's text.
    os.environ.update(DATABASE_URL=url, XUEXI_ENV="development", XUEXI_DEBUG="false", XUEXI_DATA_DIR=str(workdir),
                      DJANGO_SETTINGS_MODULE="xuexi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from xuexi.demo.generate import generate

    call_command("migrate", verbosity=0)
    generate(scale="small", seed=1)


def attendance_pairs(rows: int) -> list[tuple[str, str]]:
    """Record enough activities for `rows` and return (activity number, person number) pairs, activity by activity."""
    from datetime import date, timedelta

    from xuexi.learning.models import Activity
    from xuexi.orgs.models import Organization
    from xuexi.people.models import Person

    numbers = list(Person.objects.order_by("id").values_list("number", flat=True))
    activities = -(-rows // len(numbers))
    host = Organization.objects.get(code="220000")
    Activity.objects.bulk_create([
        Activity(number=f"B{i:06d}", kind="专题学习", host=host, start_date=date(2025, 1, 1) + timedelta(days=i % 360),
                 end_date=date(2025, 1, 1) + timedelta(days=i % 360), topic=f"专题学习 {i}")
        for i in range(activities)
    ])
    return [(f"B{i // len(numbers):06d}", numbers[i % len(numbers)]) for i in range(rows)]


def timed_import(table: str, data: bytes, filename: str, *, profile: bool = False) -> tuple[Any, float]:
    """Import as `xuexi import` does (the command line's limits, the whole tree); return the result and seconds."""
    from django.conf import settings

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.exchange.importing import import_file

    def run() -> Any:
        return import_file(actor=None, scope=whole_tree_scope(), table=table, data=data, filename=filename,
                           max_bytes=settings.XUEXI_CLI_IMPORT_MAX_BYTES,
                           max_cells=settings.XUEXI_CLI_IMPORT_MAX_CELLS)

    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    result = profiler.runcall(run) if profiler else run()
    seconds = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(25)
    return result, seconds


def report(what: str, database: str, result: Any, seconds: float, extra: str = "") -> None:
    print(f"{what}: {result.rows:,} rows{extra} on {database} in {seconds:.1f} s = {result.rows / seconds:,.0f} rows/s "
         f"(created {result.created:,}, updated {result.updated:,})")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="xuexi-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    open_database(url, workdir)
    pairs = attendance_pairs(args.rows)
    data = ("活动编号,人员编号,出勤\r\n" + "".join(f"{a},{p},出席\r\n" for a, p in pairs)).encode()
    database = url.split(":")[0]
    size = f" ({len(data) / 1e6:.1f} MB CSV)"
    if database.startswith("postgres"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
            by_value = cursor.fetchone()[0]
        # Without the right, PostgreSQL checks both foreign keys row by row (xuexi.bulk): about half the speed.
        print("foreign keys checked " + ("once per value" if by_value else "row by row (the role may not set "
                                         "session_replication_role)"))
    result, seconds = timed_import("attendance", data, "attendance.csv", profile=args.profile)
    report("attendance import", database, result, seconds, size)
    result, seconds = timed_import("attendance", data, "attendance.csv")
    report("attendance import again (nothing changes)", database, result, seconds, size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
