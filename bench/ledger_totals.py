"""Time the ledger's running totals on a filled database: a full rebuild, and the refresh after one activity.

    .venv/bin/python bench/ledger_totals.py [--database-url postgres://…/xuexi_bench]

Run it on a database filled by `bench/demo_scale.py --scale province`. Two rebuilds, each rolled
back so that the database is left as it was: over the filled totals (what `xuexi compliance
--rebuild` does; only rows that differ are written) and into emptied tables (what the demo does;
every row written, the indexes built after). Targets (issue 4): a full rebuild within 60 s; the
refresh after recording one activity with 50 attendees within 200 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/xuexi_bench")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--refresh-only", action="store_true", help="time only the refresh after one activity")
    args = parser.parse_args()
    os.environ.update(DATABASE_URL=args.database_url, XUEXI_ENV="development", DJANGO_SETTINGS_MODULE="xuexi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from xuexi.learning import totals
    from xuexi.learning.models import Activity, Attendance, CreditTotal, HostedTotal, SpeakerTotal

    call_command("migrate", verbosity=0)
    for case in () if args.refresh_only else ("over filled totals", "into empty tables"):
        with transaction.atomic():
            if case == "into empty tables":
                with connection.cursor() as cursor:
                    cursor.execute("TRUNCATE learning_credittotal, learning_hostedtotal, learning_speakertotal")
            started = time.perf_counter()
            totals.rebuild()
            rebuilt = time.perf_counter() - started
            rows = ", ".join(f"{model.objects.count():,} {model._meta.model_name}"
                             for model in (CreditTotal, HostedTotal, SpeakerTotal))
            # The machine may be shared: the load average says how much of it the rebuild had.
            print(f"rebuild {case}: {rebuilt:.1f} s ({rows}; load average {os.getloadavg()[0]:.1f})")
            transaction.set_rollback(True)

    # Activities with about 50 attendees, as a branch's or a county's session would have.
    sample = list(Activity.objects.filter(start_date__year=2026).order_by("id").values_list("id", "start_date",
                                                                                           "host_id")[:5000])
    timings = []
    for activity_id, start, host_id in sample[:: max(1, len(sample) // args.samples)][: args.samples]:
        people = list(Attendance.objects.filter(activity_id=activity_id).values_list("person_id", flat=True)[:50])
        touched = totals.Touched()
        for person in people:
            touched.add_person(person, start.year)
        touched.add_org(host_id, start.year)
        with transaction.atomic():
            began = time.perf_counter()
            totals.refresh(touched)
            timings.append((time.perf_counter() - began) * 1000)
            transaction.set_rollback(True)
    timings.sort()
    print(f"refresh after one activity ({len(timings)} samples, up to 50 attendees): "
          f"median {statistics.median(timings):.0f} ms, p95 {timings[int(len(timings) * 0.95) - 1]:.0f} ms, "
          f"max {timings[-1]:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
