"""Import 100,000-row .xlsx files (attendance, then members) and print the seconds.

    .venv/bin/python bench/import_xlsx.py [--rows 100000] [--database-url URL] [--profile]

Builds a small demo province on a fresh database, writes each workbook with openpyxl as a person
would hand it in (one sheet, a header row, text cells) and imports it with the same code path as
`xuexi import`, then imports the members workbook again (nothing changes). Target (issue 3): a
100,000-row .xlsx in under 30 seconds. --profile prints where the attendance import spends its time.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_attendance import attendance_pairs, open_database, report, timed_import


def workbook(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def member_rows(count: int) -> list[list[object]]:
    """New people with valid, distinct ID-card and phone numbers, spread over the demo's branches."""
    from datetime import date, timedelta

    from xuexi.orgs.models import Organization
    from xuexi.people.personal_numbers import id_card_check_digit

    branches = list(Organization.objects.filter(is_active=True, level="基层").values_list("code", flat=True)) or \
        list(Organization.objects.filter(is_active=True).values_list("code", flat=True))
    rows: list[list[object]] = []
    for i in range(count):
        born = date(1950, 1, 1) + timedelta(days=i // 500)
        first17 = f"110101{born:%Y%m%d}{(i % 500) * 2 + i % 2:03d}"
        rows.append([f"X{i:07d}", f"导入{i}", "女" if i % 2 == 0 else "男", branches[i % len(branches)], None, None,
                     None, first17 + id_card_check_digit(first17), f"139{i:08d}", "否"])
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="xuexi-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    open_database(url, workdir)
    database = url.split(":")[0]

    started = time.perf_counter()
    data = workbook(["活动编号", "人员编号", "出勤"], ([a, p, "出席"] for a, p in attendance_pairs(args.rows)))
    print(f"attendance .xlsx written by openpyxl in {time.perf_counter() - started:.1f} s ({len(data) / 1e6:.1f} MB)")
    result, seconds = timed_import("attendance", data, "attendance.xlsx", profile=args.profile)
    report("attendance .xlsx import", database, result, seconds)

    headers = ["人员编号", "姓名", "性别", "所属组织编码", "职级", "领导职务", "关注群体", "身份证号", "手机号",
               "中心组成员"]
    data = workbook(headers, member_rows(args.rows))
    result, seconds = timed_import("members", data, "members.xlsx")
    report("members .xlsx import", database, result, seconds, f" ({len(data) / 1e6:.1f} MB)")
    result, seconds = timed_import("members", data, "members.xlsx")
    report("members .xlsx import again (nothing changes)", database, result, seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
