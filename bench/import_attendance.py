"""Import attendance rows from CSV and print rows per second.

    .venv/bin/python bench/import_attendance.py [--rows 1000000] [--database-url URL]

Builds a small demo province on a fresh database, records enough activities for the rows, writes a
CSV of attendance (every activity × every person, in order) and imports it with the same code path
as `xuexi import attendance`. Targets (issue 3): 50,000 rows/s on PostgreSQL, 20,000 on SQLite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="xuexi-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    if url.startswith("postgres"):
        from demo_scale import _fresh_postgres

        _fresh_postgres(url)
    os.environ.update(DATABASE_URL=url, XUEXI_ENV="development", XUEXI_DATA_DIR=str(workdir),
                      DJANGO_SETTINGS_MODULE="xuexi.settings")
    import django

    django.setup()
    from datetime import date, timedelta

    from django.core.management import call_command

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.demo.generate import generate
    from xuexi.exchange.importing import import_file
    from xuexi.learning.models import Activity
    from xuexi.orgs.models import Organization
    from xuexi.people.models import Person

    call_command("migrate", verbosity=0)
    generate(scale="small", seed=1)
    numbers = list(Person.objects.order_by("id").values_list("number", flat=True))
    activities = -(-args.rows // len(numbers))
    host = Organization.objects.get(code="220000")
    Activity.objects.bulk_create([
        Activity(number=f"B{i:06d}", kind="专题学习", host=host, start_date=date(2025, 1, 1) + timedelta(days=i % 360),
                 end_date=date(2025, 1, 1) + timedelta(days=i % 360), topic=f"专题学习 {i}")
        for i in range(activities)
    ])
    csv_path = workdir / "attendance.csv"
    written = 0
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        out.write("活动编号,人员编号,出勤\r\n")
        for i in range(activities):
            for number in numbers:
                if written == args.rows:
                    break
                out.write(f"B{i:06d},{number},出席\r\n")
                written += 1
    data = csv_path.read_bytes()
    started = time.perf_counter()
    from django.conf import settings

    result = import_file(actor=None, scope=whole_tree_scope(), table="attendance", data=data, filename="attendance.csv",
                         max_bytes=settings.XUEXI_CLI_IMPORT_MAX_BYTES, max_cells=settings.XUEXI_CLI_IMPORT_MAX_CELLS)
    seconds = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    database = url.split(":")[0]
    print(f"attendance import: {result.rows} rows ({len(data) / 1e6:.1f} MB CSV) on {database} in {seconds:.1f} s "
          f"= {result.rows / seconds:,.0f} rows/s (created {result.created})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
