"""Time the 学习档案 page /people/<number>/archive/ at province scale and print median, p95 and max.

    .venv/bin/python bench/archive_page.py [--database-url postgres://…/xuexi_bench] [--people 60]

Reads a database already filled by `bench/demo_scale.py --scale province` and changes nothing in it:
the province administrator's sign-in (session, second factor), and any migration the database lacks,
are made inside a transaction that is rolled back at the end. Pages are fetched in-process with
Django's test Client, for the leaders with the most records and for ordinary members spread over the
province; each person's first visit is timed (the database has not just read their rows), then a
second visit. Target (issue 3): < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def line(what: str, values: list[float]) -> str:
    return (f"{what}: n={len(values)} median {statistics.median(values):.1f} ms, "
            f"p95 {percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/xuexi_bench")
    parser.add_argument("--people", type=int, default=60, help="how many people to sample (half leaders)")
    parser.add_argument("--year", type=int, default=0, help="the archive's year (default: the page's own default)")
    args = parser.parse_args()
    os.environ.update(DATABASE_URL=args.database_url, XUEXI_ENV="development", XUEXI_DEBUG="false",
                      DJANGO_SETTINGS_MODULE="xuexi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.migrations.executor import MigrationExecutor
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from xuexi.accounts.models import GrantRole, User
    from xuexi.learning.models import Attendance
    from xuexi.people.models import LeaderPost, Person

    admin = User.objects.filter(grants__role=GrantRole.ORG_ADMIN, grants__org__depth=1, is_active=True).first()
    if admin is None:
        print("no province administrator in this database: fill it with bench/demo_scale.py --scale province")
        return 1
    half = max(1, args.people // 2)
    leader_ids = list(Person.objects.exclude(leader_post=LeaderPost.NONE).values_list("id", flat=True))
    busiest = (Attendance.objects.filter(person_id__in=leader_ids).values("person_id")
               .annotate(n=Count("id")).order_by("-n").values_list("person_id", "n")[:half])
    leaders = list(Person.objects.filter(id__in=[pk for pk, _ in busiest]).values_list("number", flat=True))
    last = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
    step = max(1, last // (args.people - half + 1))
    members = list(Person.objects.filter(leader_post=LeaderPost.NONE, id__in=range(step, last, step))
                   .values_list("number", flat=True)[:args.people - half])
    query = f"?year={args.year}" if args.year else ""
    most = max((n for _, n in busiest), default=0)
    print(f"province database: {Person.objects.count():,} people; sample {len(leaders)} leaders (up to {most} "
          f"attendance records) and {len(members)} members; signed in as {admin.username}")

    with transaction.atomic():
        # The code may be newer than the database: its pending migrations go into this transaction too.
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            print(f"applying {len(pending)} pending migration(s) inside the transaction that is rolled back: "
                  + ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending))
            call_command("migrate", verbosity=0)
        client = Client()
        client.force_login(admin)
        device = TOTPDevice.objects.create(user=admin, name="bench", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()

        def fetch(number: str) -> float:
            started = time.perf_counter()
            response = client.get(f"/people/{number}/archive/{query}")
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (number, response.status_code)
            return elapsed

        fetch(members[0])  # templates compiled, URLs resolved
        with CaptureQueriesContext(connection) as queries:
            fetch(leaders[0])
        print(f"queries for one page: {len(queries.captured_queries)}")
        for what, numbers in (("leaders", leaders), ("members", members)):
            first = [fetch(n) for n in numbers]
            again = [fetch(n) for n in numbers]
            print(line(f"archive page, {what}, first visit", first))
            print(line(f"archive page, {what}, second visit", again))
        transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
