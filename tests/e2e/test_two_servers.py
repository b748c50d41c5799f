"""Several app servers on one database: two Streamlit processes (as two replicas behind a proxy with
sticky sessions). A chair reports turnout through the chair page in browser A, served by app server 1;
the office overview open in browser B, served by app server 2, shows it within the refresh interval,
without a reload. Nothing is shared between the two processes but PostgreSQL."""

from __future__ import annotations

import contextlib
import subprocess

import pytest
from playwright.sync_api import expect

from etl.demo import demo_code
from tests.e2e.conftest import ARTIFACTS, sign_in_staff, start_app

pytestmark = pytest.mark.e2e
REFRESH_SECONDS = 2
#: a refresh interval, the cache's time to live (half of it) and slack for a busy test machine
WITHIN_MS = (REFRESH_SECONDS + REFRESH_SECONDS // 2) * 1000 + 6000


@pytest.fixture
def two_apps(demo_db_url):
    procs, urls = [], []
    try:
        for _ in range(2):
            proc, url = start_app(demo_db_url, extra_env={"STEMDAG_REFRESH_SECONDS": str(REFRESH_SECONDS)})
            procs.append(proc)
            urls.append(url)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_a_write_through_one_app_server_shows_on_the_other(two_apps, browser, page):
    chair_url, office_url = two_apps
    assert chair_url != office_url

    office_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    office = office_ctx.new_page()
    office.set_default_timeout(20_000)
    try:
        sign_in_staff(office, office_url, "office.haarlem", open_page="Overzicht")
        main = office.get_by_test_id("stMain")
        expect(office.get_by_role("heading", name="Verkiezingsdag Haarlem")).to_be_visible()
        expect(main).to_contain_text("0 toegelaten kiezers tot nu toe")
        navigations: list[str] = []
        office.on("framenavigated", lambda frame: navigations.append(frame.url))

        page.goto(chair_url)
        page.get_by_role("textbox", name="Toegangscode van het stembureau").fill(demo_code("GM0392", 2))
        page.get_by_role("button", name="Aanmelden").filter(visible=True).click()
        expect(page.get_by_role("heading", name="Stembureau 2:", exact=False)).to_be_visible()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Opkomst").click()
        for label, value in (("Stempassen", "311"), ("Volmachtbewijzen", "6")):
            box = page.get_by_label(label, exact=True)
            box.fill(value)
            box.press("Tab")
        page.get_by_role("button", name="Opkomst melden").click()
        expect(page.get_by_text("Opgeslagen.")).to_be_visible()

        expect(main).to_contain_text("317 toegelaten kiezers tot nu toe", timeout=WITHIN_MS)
        assert navigations == []  # the other server's page refreshed itself
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):
            office.screenshot(path=str(ARTIFACTS / "test_two_servers_office.png"), full_page=True)
        office_ctx.close()
