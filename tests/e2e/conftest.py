"""Browser tests: a real Streamlit server on a free localhost port, against a fresh demo database,
driven by Playwright with Debian's Chromium (Playwright cannot download its own browser here)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("STEMDAG_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(
    database_url: str | None,
    *,
    extra_env: dict[str, str] | None = None,
    port: int | None = None,
    extra_args: list[str] | None = None,
    script: Path | None = None,
) -> tuple[subprocess.Popen, str]:
    """The app server (``app/web.py``, or another Streamlit ``script``) on ``port`` (a free one by
    default), waited for until healthy."""
    port = port or _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"server-{port}.log"
    log = log_path.open("wb")
    env = {**os.environ, "STEMDAG_SIMULATE": "0", "PYTHONPATH": str(ROOT), **(extra_env or {})}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script or ROOT / "app" / "web.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            *(extra_args or []),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        # a file, not a pipe: nobody reads a pipe while the server runs, and a server that logs more
        # than the pipe holds (64 KB) would block on its next line and hang the test
        stderr=log,
    )
    log.close()  # the server has its own copy
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"streamlit did not start: {log_path.read_text(errors='replace')[-2000:]}")


def stop_app(proc: subprocess.Popen) -> None:
    """Stop an app server of :func:`start_app` (killed when it does not stop within 10 s)."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def live_app(demo_db_url):
    proc, url = start_app(demo_db_url)
    yield url
    stop_app(proc)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (install Debian's chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):  # a screenshot is an artefact, not a result
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def sign_in_staff(page, url: str, username: str, *, open_page: str | None = None) -> None:
    """Sign in on the staff tab with the demo password and, if given, open a page from the sidebar."""
    from etl.demo import DEMO_PASSWORD

    page.goto(url)
    page.get_by_role("tab", name="Medewerker gemeente").click()
    page.get_by_role("textbox", name="Gebruikersnaam").fill(username)
    page.get_by_role("textbox", name="Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").filter(visible=True).click()
    if open_page:
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=open_page).click()
