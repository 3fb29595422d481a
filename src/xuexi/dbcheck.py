"""`python -m xuexi.dbcheck URL`: fail with a clear message when the PostgreSQL server is not there."""

from __future__ import annotations

import sys

import dj_database_url
import psycopg


def main(url: str) -> int:
    config = dj_database_url.parse(url)
    try:
        psycopg.connect(
            host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432, user=config["USER"],
            password=config["PASSWORD"] or None, dbname="postgres", connect_timeout=5,
        ).close()
    except psycopg.OperationalError as exc:
        print(
            f"无法连接 PostgreSQL（{config['HOST']}:{config['PORT']}）：{exc}\n"
            "请先启动 PostgreSQL，例如：\n"
            "  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
            "或用 TEST_DATABASE_URL=postgres://用户@主机:端口/库名 指向一台可用的服务器。",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/xuexi"))
