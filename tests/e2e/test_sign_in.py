"""In a real browser: a chair signs in with a demo code, the office with the demo login; each sees its
own pages and nothing of the other role."""

import pytest
from playwright.sync_api import expect

from etl.demo import demo_code
from tests.e2e.conftest import sign_in_staff

pytestmark = pytest.mark.e2e


def test_chair_signs_in_with_code_and_sees_station_pages(live_app, page):
    page.goto(live_app)
    expect(page.get_by_role("heading", name="Aanmelden bij Stemdag")).to_be_visible()
    page.get_by_role("textbox", name="Toegangscode van het stembureau").fill(demo_code("GM0392", 1))
    page.get_by_role("button", name="Aanmelden").filter(visible=True).click()
    expect(page.get_by_role("heading", name="Stembureau 1:", exact=False)).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_contain_text("Stembureau")
    expect(nav).not_to_contain_text("Verkiezingsorganisatie")
    page.get_by_role("link", name="Afmelden").click()
    expect(page.get_by_role("heading", name="Aanmelden bij Stemdag")).to_be_visible()


def test_office_signs_in_and_sees_office_pages(live_app, page):
    sign_in_staff(page, live_app, "office.haarlem")  # the office lands on the live overview
    expect(page.get_by_role("heading", name="Verkiezingsdag Haarlem")).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_contain_text("Verkiezingsorganisatie")
    expect(nav).not_to_contain_text("Stembureau")
