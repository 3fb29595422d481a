from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_environment_variable_is_documented() -> None:
    settings_source = (ROOT / "src/xuexi/settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'(?:env_\w+|_secret)\("([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M))
    assert read, "no variables found in settings.py"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in ("XUEXI_SECRET_KEY", "XUEXI_FIELD_KEY", "DATABASE_URL"))


def test_readme_opens_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in lines if line.strip().startswith("make ")]
    assert commands[:2] == ["make demo", "make test"]
