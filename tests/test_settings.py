from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XUEXI_", "DATABASE_URL"))}
    env.update(
        XUEXI_ENV="production",
        XUEXI_SECRET_KEY=secrets.token_urlsafe(60),
        XUEXI_FIELD_KEY=secrets.token_hex(16),
        XUEXI_INDEX_KEY=secrets.token_hex(16),
        XUEXI_ALLOWED_HOSTS="xuexi.example.gov.cn",
        XUEXI_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="xuexi.settings",
    )
    env.update(extra)
    return env


def _django(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "django", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=False, timeout=120)


def test_deploy_check_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _django(["check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secrets(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["XUEXI_FIELD_KEY"]
    result = _django(["check"], env)
    assert result.returncode != 0
    assert "XUEXI_FIELD_KEY" in result.stderr
