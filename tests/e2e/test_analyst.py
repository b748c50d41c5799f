"""In a real browser: an analyst of Haarlem signs in, opens the comparison of two elections and sees a
chart of the party shares (Plotly) for their municipality."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in_staff

pytestmark = pytest.mark.e2e


def test_analyst_compares_two_elections(live_app, page):
    sign_in_staff(page, live_app, "analyst.haarlem", open_page="Verkiezingen vergelijken")

    expect(page.get_by_role("heading", name="Verkiezingen vergelijken")).to_be_visible()
    main = page.get_by_test_id("stMain")
    chart = main.get_by_test_id("stPlotlyChart").first
    expect(chart).to_be_visible(timeout=60_000)
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
