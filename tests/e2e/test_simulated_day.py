"""In a real browser: the office of West Maas en Waal watches a simulated election day progress on its
live overview (``pages/office_overview.py``).

The simulator (``stemdag simulate --fast``) runs the day in three steps (to 09:00, to 18:00, to 23:00)
against the live app's database; after each step the overview (which refreshes itself every 2 s here)
shows the day further along: every station open, voters admitted, and at the end every station counted
with the real admitted voters of GR2022.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from etl import simulation as sources
from etl.demo import DEMO_ELECTION_ID
from tests.e2e.conftest import sign_in_staff, start_app, stop_app

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
REFRESH_SECONDS = 2
WITHIN_MS = 15_000


@pytest.fixture
def fast_app(demo_db_url):
    proc, url = start_app(demo_db_url, extra_env={"STEMDAG_REFRESH_SECONDS": str(REFRESH_SECONDS)})
    yield url
    stop_app(proc)


def _simulate(db_url: str, until: str) -> None:
    env = {"DATABASE_URL": db_url, "STEMDAG_SIMULATE": "0"}
    cmd = [sys.executable, "-m", "etl.cli", "simulate", "--election", DEMO_ELECTION_ID]
    cmd += ["--municipality", "GM0668", "--allow-real", "--fast", "--quiet", "--seed", "1", "--until", until]
    done = subprocess.run(
        cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "refused 0" in done.stderr, done.stderr[-2000:]


def _metric(main, label: str):
    """The value of the overview's metric with this label."""
    return (
        main.get_by_test_id("stMetric")
        .filter(has=main.page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True))
        .get_by_test_id("stMetricValue")
    )


def test_office_overview_shows_the_simulated_day_progressing(fast_app, demo_db_url, page):
    _, results = sources.station_results(sources.source_file("GM0668"))
    admitted_final = sum(r.total_admitted_voters_count for r in results)
    sign_in_staff(page, fast_app, "office.wmw", open_page="Overzicht")
    main = page.get_by_test_id("stMain")
    expect(page.get_by_role("heading", name="Verkiezingsdag West Maas en Waal")).to_be_visible()
    opened, counted = _metric(main, "Open"), _metric(main, "Tellingen binnen")
    expect(opened).to_have_text("0")
    expect(counted).to_have_text("0 van 21")
    expect(main).to_contain_text("0 toegelaten kiezers tot nu toe")

    _simulate(demo_db_url, "09:00")  # every station has opened; no turnout moment yet
    expect(opened).to_have_text("21", timeout=WITHIN_MS)
    expect(main).to_contain_text("0 toegelaten kiezers tot nu toe")

    _simulate(demo_db_url, "18:00")  # turnout at 10:00, 13:45 and 17:45
    expect(main).not_to_contain_text(re.compile(r"\b0 toegelaten kiezers"), timeout=WITHIN_MS)
    afternoon = int(re.search(r"([\d.]+) toegelaten kiezers", main.inner_text()).group(1).replace(".", ""))
    assert 0 < afternoon < admitted_final
    expect(counted).to_have_text("0 van 21")

    _simulate(demo_db_url, "23:00")  # closing, counts (a few returned and corrected), all accepted
    expect(counted).to_have_text("21 van 21", timeout=WITHIN_MS)
    dutch = f"{admitted_final:,}".replace(",", ".")  # thousands separated as in Dutch: 12.345
    expect(main).to_contain_text(f"{dutch} toegelaten kiezers tot nu toe", timeout=WITHIN_MS)
