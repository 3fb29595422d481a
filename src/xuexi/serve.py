"""`xuexi serve`: gunicorn with the platform's WSGI application."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from xuexi.wsgi import application

        return application


def serve(*, host: str, port: int, workers: int) -> None:
    print(f"学习型党组织建设平台已启动：http://{host}:{port}/  （按 Ctrl+C 停止）", flush=True)
    _Server({
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": 4,
        "worker_class": "gthread",
        "timeout": 120,
        "accesslog": "-",
        # The path without the query string: a search by ID-card number must not reach the log.
        "access_log_format": '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
        "loglevel": "warning",
    }).run()
