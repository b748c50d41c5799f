"""In a real browser: an analyst of Haarlem signs in, opens the comparison of two elections and sees a
chart of the party shares (Plotly) for their municipality."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from etl.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def test_analyst_compares_two_elections(live_app, page):
    page.goto(live_app)
    page.get_by_role("tab", name="Medewerker gemeente").click()
    page.get_by_role("textbox", name="Gebruikersnaam").fill("analyst.haarlem")
    page.get_by_role("textbox", name="Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").filter(visible=True).click()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Verkiezingen vergelijken").click()

    expect(page.get_by_role("heading", name="Verkiezingen vergelijken")).to_be_visible()
    main = page.get_by_test_id("stMain")
    chart = main.get_by_test_id("stPlotlyChart").first
    expect(chart).to_be_visible(timeout=60_000)
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
