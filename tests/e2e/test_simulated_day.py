"""In a real browser: the office of West Maas en Waal watches a simulated election day progress.

The simulator (``stemdag simulate --fast``) runs the day in three steps (to 09:00, to 18:00, to 23:00)
against the live app's database; after each step the office refreshes its overview and sees more: the
page changes every time, and at the end every station is counted.

Needs the chair and office services (issue 3) and the office overview (issue 4): skipped without them.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from playwright.sync_api import expect

from etl.demo import DEMO_ELECTION_ID, DEMO_PASSWORD

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]

if not any(importlib.util.find_spec(m) for m in ("app.services.chair", "app.services.counts")):
    pytest.skip("the chair and office services (issue 3) are not there yet", allow_module_level=True)


def _simulate(db_url: str, until: str) -> None:
    env = {"DATABASE_URL": db_url, "STEMDAG_SIMULATE": "0"}
    cmd = [sys.executable, "-m", "etl.cli", "simulate", "--election", DEMO_ELECTION_ID]
    cmd += ["--municipality", "GM0668", "--allow-real", "--fast", "--quiet", "--seed", "1", "--until", until]
    done = subprocess.run(
        cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _overview_text(page) -> str:
    page.reload()
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("West Maas en Waal")
    page.wait_for_timeout(1500)  # let the fragments render
    return main.inner_text()


def test_office_overview_shows_the_simulated_day_progressing(live_app, demo_db_url, page):
    page.goto(live_app)
    page.get_by_role("tab", name="Medewerker gemeente").click()
    page.get_by_role("textbox", name="Gebruikersnaam").fill("office.wmw")
    page.get_by_role("textbox", name="Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").filter(visible=True).click()
    expect(page.get_by_role("heading", name="Verkiezingsorganisatie West Maas en Waal")).to_be_visible()
    before = _overview_text(page)
    snapshots = [before]
    for until in ("09:00", "18:00", "23:00"):
        _simulate(demo_db_url, until)
        snapshots.append(_overview_text(page))
    for earlier, later in pairwise(snapshots):
        assert earlier != later  # the day moved on between two refreshes
    assert "21" in snapshots[-1]  # 21 of 21 stations
