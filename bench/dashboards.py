"""Time the 工作台 (/) and 督学 dashboards (/orgs/<code>/compliance/) at province scale over HTTP; print the figures.

    .venv/bin/python bench/dashboards.py [--database-url postgres://…/xuexi_bench] [--samples 30]

Reads a database filled by `bench/demo_scale.py --scale province`. It applies pending migrations,
builds the standings of this year and last if they are not held yet (timed: that is what the first
dashboard of a year costs, once), then starts `xuexi serve` on a free port and fetches the
dashboard of the root, a city, a county and a branch with an ordinary HTTP client, signed in as an
administrator of each (a session made for the bench and deleted at the end). Each figure is the
whole round trip: request, every query, template, response. Target (issue 4): p95 ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/xuexi_bench")
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    env = dict(os.environ, DATABASE_URL=args.database_url, XUEXI_ENV="development", XUEXI_DEBUG="false",
               DJANGO_SETTINGS_MODULE="xuexi.settings")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from xuexi.accounts.models import GrantRole, User
    from xuexi.norms import standings
    from xuexi.norms.models import Standing
    from xuexi.orgs.models import Organization

    call_command("migrate", verbosity=0)
    year = timezone.localdate().year
    for y in (year - 1, year):
        started = time.perf_counter()
        built = not standings.is_held(y)
        standings.ensure_year(y)
        if built:
            print(f"standings of {y} built in {time.perf_counter() - started:.1f} s "
                  f"({Standing.objects.filter(year=y).count():,} rows)")
    admins: list[tuple[str, Organization, str]] = []
    devices = []
    for level, depth_name in ((1, "root (province)"), (2, "city"), (3, "county"), (0, "branch")):
        grants = User.objects.filter(grants__role=GrantRole.ORG_ADMIN, is_active=True)
        user = (grants.filter(grants__org__depth=level) if level else grants.filter(grants__org__level="基层")).first()
        if user is None:
            print(f"no administrator of a {depth_name} in this database: fill it with bench/demo_scale.py")
            return 1
        org = Organization.objects.get(grants__user=user, grants__role=GrantRole.ORG_ADMIN)
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="bench-dashboards", confirmed=True)
        devices.append(device)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        admins.append((depth_name, org, session.session_key or ""))

    port = free_port()
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "xuexi"), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

        def fetch(path: str, session_key: str) -> float:
            started = time.perf_counter()
            connection.request("GET", path, headers={"Cookie": f"xuexi_session={session_key}"})
            response = connection.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status == 200, (path, response.status, body[:200])
            return elapsed

        print(f"dashboards over HTTP (xuexi serve, PostgreSQL), year {year}, {args.samples} requests each:")
        for what, org, key in admins:
            first = fetch("/", key)
            timings = [fetch("/", key) for _ in range(args.samples)]
            print(f"  工作台 {what:12} {org.code:>10}: first {first:.0f} ms, "
                  f"median {statistics.median(timings):.0f} ms, p95 {percentile(timings, 0.95):.0f} ms, "
                  f"max {max(timings):.0f} ms")
        for what, org, key in admins:
            path = f"/orgs/{org.code}/compliance/?year={year}"
            first = fetch(path, key)
            timings = [fetch(path, key) for _ in range(args.samples)]
            rows = Standing.objects.filter(year=year, org_path__startswith=org.path).count()
            print(f"  {what:16} {org.code:>10} ({rows:>6,} rows): first {first:.0f} ms, median "
                  f"{statistics.median(timings):.0f} ms, p95 {percentile(timings, 0.95):.0f} ms, "
                  f"max {max(timings):.0f} ms")
    finally:
        server.terminate()
        server.wait(timeout=30)
        for device in devices:
            device.delete()
        from django.contrib.sessions.models import Session

        Session.objects.filter(session_key__in=[key for _, _, key in admins]).delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
