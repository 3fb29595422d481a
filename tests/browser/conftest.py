"""Browser tests: a real `xuexi serve` on a database of its own, driven by Debian's Chromium.

The server is a separate process with XUEXI_ENV=test (so the demo accounts get no second-factor
exemption), serving the demo province `xuexi demo --scale small --seed 7 --reset` built on its
own database: a fresh SQLite file in a temporary folder, or, when the run's DATABASE_URL is a
PostgreSQL URL, the database `xuexi_browser` on that same server. The tests talk to it over
HTTP only and never use Django's ORM in-process, so they need no `db` fixture.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import http.client
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
import pytest
from playwright.sync_api import (
    Browser,
    Page,
    Response,
    ViewportSize,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError
from psycopg import sql

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
DEMO_PASSWORD = "Xuexi@2025demo"
DEMO_SCALE, DEMO_SEED = "small", "7"
# Under xdist each worker that runs browser tests has its own server and database.
BROWSER_DATABASE = "xuexi_browser" + (f"_{os.environ['PYTEST_XDIST_WORKER']}"
                                      if os.environ.get("PYTEST_XDIST_WORKER") else "")
DESKTOP: ViewportSize = {"width": 1366, "height": 768}
PHONE: ViewportSize = {"width": 390, "height": 844}
PROJECT_DIR = Path(__file__).resolve().parents[2]
SERVER_START_SECONDS = 60
SIGN_IN_PATH = "/accounts/sign-in/"

_SCREENSHOT_DIR = pytest.StashKey[Path]()


# -- the second factor ------------------------------------------------------------------------

def totp(secret: str, *, at: float | None = None, digits: int = 6, step: int = 30) -> str:
    """The RFC 6238 code (HMAC-SHA1) of a base32 secret at a time, now by default."""
    cleaned = re.sub(r"\s", "", secret).upper()
    key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def fresh_totp(secret: str, *, step: int = 30) -> str:
    """A code with at least a few seconds left in its time step."""
    if step - time.time() % step < 3:
        time.sleep(step - time.time() % step + 0.1)
    return totp(secret, step=step)


# -- page helpers -----------------------------------------------------------------------------

def submit_sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> Response | None:
    """Fill the sign-in form (opening it first if needed) and submit it; return the answer."""
    if not page.url.endswith(SIGN_IN_PATH):
        page.goto(SIGN_IN_PATH)
    page.get_by_label("用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="登录", exact=True).click()
    return navigation.value


# The secrets that administrators enrolled during this run, and the last time step each used:
# a later test signing in as the same administrator answers with the next code.
_ENROLLED: dict[str, tuple[str, int]] = {}


def _answer_second_factor(page: Page, username: str, secret: str) -> None:
    _, last_step = _ENROLLED.get(username, (secret, -1))
    while int(time.time() // 30) <= last_step:  # a code is good once: wait for the next one
        time.sleep(1)
    code = fresh_totp(secret)
    _ENROLLED[username] = (secret, int(time.time() // 30))
    page.get_by_label("动态验证码").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="验证", exact=True).click()


def enrol_second_factor(page: Page, username: str = "") -> str:
    """On the first sign-in of an administrator: read the TOTP secret, answer its code."""
    expect(page).to_have_url(re.compile(r"/accounts/otp/$"))
    secret = page.get_by_test_id("otp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]+=*", secret), f"not a base32 secret: {secret!r}"
    _answer_second_factor(page, username, secret)
    return secret


def sign_in_administrator(page: Page, username: str) -> None:
    """Sign in as an administrator, enrolling the second factor or answering it if this run enrolled it."""
    submit_sign_in(page, username)
    expect(page).to_have_url(re.compile(r"/accounts/otp/$"))
    if page.get_by_test_id("otp-secret").count():
        enrol_second_factor(page, username)
    else:
        assert username in _ENROLLED, f"{username} enrolled before this run's tests could note the secret"
        _answer_second_factor(page, username, _ENROLLED[username][0])


# -- the server -------------------------------------------------------------------------------

def _xuexi_command() -> Path:
    command = Path(sys.executable).with_name("xuexi")
    if not command.exists():
        pytest.fail(f"找不到 {command}：请先运行 make install（the xuexi entry point is missing）",
                    pytrace=False)
    return command


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _postgres_connection(url: str) -> psycopg.Connection[tuple[object, ...]]:
    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
        user=unquote(parts.username or "") or None, password=unquote(parts.password or "") or None,
        dbname="postgres", autocommit=True, connect_timeout=10,
    )


def _postgres_recreate(url: str, name: str, *, create: bool) -> None:
    with _postgres_connection(url) as connection:
        database = sql.Identifier(name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        if create:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(database))


def _server_environment(database_url: str, data_dir: Path) -> dict[str, str]:
    # Only the platform's defaults for the test environment: no XUEXI_* of the caller leaks in.
    env = {key: value for key, value in os.environ.items() if not key.startswith("XUEXI_")}
    env.update(XUEXI_ENV="test", DATABASE_URL=database_url, XUEXI_DATA_DIR=str(data_dir),
               PYTHONUNBUFFERED="1")
    return env


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", SIGN_IN_PATH)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    # Gunicorn's workers, should any outlive their master: the group is this server's own.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


# The browser tests whose pages stand on SQL of PostgreSQL's own (full-text search, the dashboards'
# roll-ups, the imports' and the ledger's fast paths) run on both databases; the others check what the
# browser does with pages whose every query the rest of the suite runs on PostgreSQL too, and run on
# SQLite only: each costs seconds of the two cores the whole suite has.
ON_BOTH_DATABASES = {"test_compliance.py", "test_learning.py", "test_library.py", "test_online_learning.py",
                     "test_typical_experience.py"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Every browser test on one worker (make test runs xdist with --dist loadgroup): one demo province
    # and one server per run instead of one per worker, some thirty seconds of the suite's time.
    browser_tests = Path(__file__).parent
    postgres = urlsplit(os.environ.get("DATABASE_URL", "")).scheme in {"postgres", "postgresql", "pgsql"}
    kept, dropped = [], []
    for item in items:
        if browser_tests not in item.path.parents:
            kept.append(item)
        elif postgres and item.path.name not in ON_BOTH_DATABASES:
            dropped.append(item)
        else:
            item.add_marker(pytest.mark.xdist_group("browser"))
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def xuexi_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a running `xuexi serve` over the demo province, on a database of its own."""
    xuexi = _xuexi_command()
    work = tmp_path_factory.mktemp("xuexi-server")
    run_url = os.environ.get("DATABASE_URL", "").strip()
    postgres = bool(run_url) and urlsplit(run_url).scheme in {"postgres", "postgresql", "pgsql"}
    if run_url and not postgres and not run_url.startswith("sqlite"):
        pytest.fail(f"浏览器测试只支持 SQLite 和 PostgreSQL：DATABASE_URL={run_url}", pytrace=False)
    if postgres:
        database_url = urlsplit(run_url)._replace(path=f"/{BROWSER_DATABASE}").geturl()
        _postgres_recreate(run_url, BROWSER_DATABASE, create=True)
    else:
        database_url = f"sqlite:///{work / 'browser.sqlite3'}"
    env = _server_environment(database_url, work / "data")
    log_path = work / "server.log"
    process: subprocess.Popen[bytes] | None = None
    try:
        demo = subprocess.run(
            [str(xuexi), "demo", "--scale", DEMO_SCALE, "--seed", DEMO_SEED, "--reset"],
            env=env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300, check=False,
        )
        if demo.returncode != 0:
            pytest.fail(f"xuexi demo 失败（{demo.returncode}）：\n{demo.stdout}\n{demo.stderr}",
                        pytrace=False)
        port = _free_port()
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [str(xuexi), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                env=env, cwd=PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, ended as a whole at teardown
            )
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _answers(port):
            if process.poll() is not None:
                pytest.fail(f"xuexi serve 启动后退出（{process.returncode}）：\n{_tail(log_path)}",
                            pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"xuexi serve 在 {SERVER_START_SECONDS} 秒内没有应答 {SIGN_IN_PATH}：\n"
                            f"{_tail(log_path)}", pytrace=False)
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        if process is not None:
            _stop(process)
        if postgres:
            _postgres_recreate(run_url, BROWSER_DATABASE, create=False)


# -- the browser ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"浏览器测试需要 Debian 的 Chromium，但 {CHROMIUM} 不存在。"
                    "请安装：apt-get install chromium。"
                    f" (Chromium is missing at {CHROMIUM}: browser tests fail, never skip.)",
                    pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, xuexi_server: str, request: pytest.FixtureRequest,
         tmp_path: Path) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies), desktop-sized, based at the server."""
    context = browser.new_context(viewport=DESKTOP, base_url=xuexi_server, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    request.node.stash[_SCREENSHOT_DIR] = tmp_path
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """One screenshot of a failed browser test, into its tmp dir, named in the report."""
    report = yield
    if report.when == "call" and report.failed:
        page = getattr(item, "funcargs", {}).get("page")
        folder = item.stash.get(_SCREENSHOT_DIR, None)
        if page is not None and folder is not None:
            path = folder / "failure.png"
            try:
                page.screenshot(path=str(path), full_page=True)
            except PlaywrightError as exc:  # the page may have gone with the failure
                report.sections.append(("browser screenshot", f"none taken: {exc}"))
            else:
                report.sections.append(("browser screenshot", str(path)))
    return report
