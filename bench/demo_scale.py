"""Time `xuexi demo` at a scale on a database, and print the figures.

    .venv/bin/python bench/demo_scale.py [--scale province] [--database-url postgres://…/xuexi_bench]

The database is emptied first (a PostgreSQL database is dropped and created again).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent


def _fresh_postgres(url: str) -> None:
    config = dj_database_url.parse(url)
    with psycopg.connect(host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432, user=config["USER"],
                         password=config["PASSWORD"] or None, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="province", choices=["small", "county", "province"])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/xuexi_bench")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    if args.database_url.startswith("postgres"):
        _fresh_postgres(args.database_url)
    else:
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    env = dict(os.environ, DATABASE_URL=args.database_url, XUEXI_ENV="development")
    xuexi = str(ROOT / ".venv" / "bin" / "xuexi")
    started = time.monotonic()
    subprocess.run([xuexi, "audit", "verify"], env=env, check=True, capture_output=True)  # migrate only
    migrated = time.monotonic()
    result = subprocess.run([xuexi, "demo", "--scale", args.scale, "--seed", str(args.seed)], env=env,
                            check=True, capture_output=True, text=True)
    finished = time.monotonic()
    print("\n".join(result.stdout.splitlines()[:2]))
    print(f"scale={args.scale} database={args.database_url.split('://')[0]} "
          f"migrate={migrated - started:.1f}s demo={finished - migrated:.1f}s total={finished - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
