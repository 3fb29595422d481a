from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import Tree
from xuexi.backup import backup

ROOT = Path(__file__).resolve().parent.parent
XUEXI = ROOT / ".venv" / "bin" / "xuexi"


def test_sqlite_backup_of_a_live_database_through_the_cli(tmp_path: Path) -> None:
    # given: a demo database in a file, as an operator has it
    env = {k: v for k, v in os.environ.items() if not k.startswith("XUEXI_")}
    env.update(XUEXI_ENV="test", XUEXI_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'live.db'}")
    subprocess.run([XUEXI, "demo", "--seed", "4"], env=env, check=True, capture_output=True, timeout=300)
    # when
    result = subprocess.run([XUEXI, "backup", str(tmp_path / "copy.db")], env=env, capture_output=True,
                            text=True, timeout=300, check=False)
    # then
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "live.db") as live, sqlite3.connect(tmp_path / "copy.db") as copy:
        query = "SELECT count(*), max(seq) FROM accounts_auditevent"
        assert copy.execute(query).fetchone() == live.execute(query).fetchone()
        assert copy.execute("SELECT count(*) FROM people_person").fetchone()[0] > 4000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs a PostgreSQL database")
def test_postgres_backup_is_a_custom_format_dump(tree: Tree, tmp_path: Path) -> None:
    target = tmp_path / "backup.dump"
    assert backup(str(target)) > 0
    assert target.read_bytes()[:5] == b"PGDMP"
