"""Time the compliance engine: every rule, for every subject of the province, for a year.

    .venv/bin/python bench/compliance_year.py [--database-url postgres://…/xuexi_bench] [--year 2026]

Run it on a database filled by `bench/demo_scale.py --scale province` (the demo fills the ledger's
running totals). Target (issue 4): evaluating all rules for a year within 10 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/xuexi_bench")
    parser.add_argument("--year", type=int, default=date.today().year)
    args = parser.parse_args()
    os.environ.update(DATABASE_URL=args.database_url, XUEXI_ENV="development", DJANGO_SETTINGS_MODULE="xuexi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from xuexi.learning import totals
    from xuexi.learning.models import CreditTotal
    from xuexi.norms.engine import evaluate

    call_command("migrate", verbosity=0)
    if not CreditTotal.objects.exists():
        began = time.perf_counter()
        with transaction.atomic():
            totals.rebuild()
        print(f"(the running totals were empty: rebuilt in {time.perf_counter() - began:.1f} s)")
    for scope in ("province",):
        began = time.perf_counter()
        evaluation = evaluate(year=args.year, as_of=date(args.year, 11, 27))
        seconds = time.perf_counter() - began
        statuses = Counter(row.status for row in evaluation.rows)
        print(f"evaluate {scope} {args.year}: {seconds:.1f} s, {len(evaluation.rows):,} rows {dict(statuses)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
