"""`xuexi backup FILE`: a consistent copy of a live database."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupFailed(Exception):
    pass


def backup(target: str) -> int:
    """Copy the database to `target` while it is in use; return the size of the copy in bytes."""
    path = Path(target).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        # SQLite's online backup API: a consistent snapshot even while others write (never a file copy).
        source = sqlite3.connect(settings["NAME"])
        destination = sqlite3.connect(path)
        with destination:
            source.backup(destination)
        destination.close()
        source.close()
    elif connection.vendor == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise BackupFailed("找不到 pg_dump，请安装 PostgreSQL 客户端（postgresql-client）")
        env = dict(os.environ, PGPASSWORD=str(settings.get("PASSWORD") or ""))
        result = subprocess.run(  # noqa: S603 (fixed program, arguments from our own settings)
            [pg_dump, "-Fc", "-f", str(path), "-h", str(settings.get("HOST") or "127.0.0.1"),
             "-p", str(settings.get("PORT") or 5432), "-U", str(settings.get("USER") or "postgres"),
             str(settings["NAME"])],
            env=env, capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise BackupFailed(f"pg_dump 失败：{result.stderr.strip()}")
    else:
        raise BackupFailed(f"不支持的数据库：{connection.vendor}")
    return path.stat().st_size
