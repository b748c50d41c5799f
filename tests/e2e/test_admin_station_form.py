"""In a real browser: the admin's station form keeps the station picked after renaming it. The picker's
label is "number · name"; Streamlit matches a picked option by its label, so after a rename the choice
was lost and the next save went to a new, empty station form ("Vul een naam in."), dropping what was
typed. AppTest cannot show this: it formats the choice with the new label."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.storage.models import PollingStation
from tests.e2e.conftest import sign_in_staff

pytestmark = pytest.mark.e2e


def _station(db, number: int) -> PollingStation:
    db.expire_all()
    return db.scalars(
        select(PollingStation).where(
            PollingStation.municipality_code == "GM0668", PollingStation.number == number
        )
    ).one()


def _save(page, db, number: int, stored) -> None:
    """Save the form, and wait until the database shows ``stored(station)`` (the success message of an
    earlier save may still be on the page: it cannot tell that this save is done)."""
    page.get_by_role("button", name="Stembureau opslaan").click()
    deadline = time.monotonic() + 30
    while not stored(_station(db, number)):
        assert time.monotonic() < deadline, "not saved within 30 s"
        page.wait_for_timeout(200)


def test_a_renamed_station_stays_picked_and_the_next_save_changes_it(live_app, demo_db, page):
    highest = max(
        n
        for (n,) in demo_db.execute(
            select(PollingStation.number).where(PollingStation.municipality_code == "GM0668")
        )
    )
    sign_in_staff(page, live_app, "admin.wmw", open_page="Verkiezing inrichten")
    expect(page.get_by_role("heading", name="Uit bestanden", exact=False)).to_be_visible()
    expect(page.locator(".st-key-st_name_new input")).to_be_visible()  # the page has been drawn
    picker = page.get_by_role("combobox", name="Stembureau kiezen om te wijzigen")
    picker.click()
    page.keyboard.type("1 · ")  # the list is long: narrowed down as a user does, then Enter
    expect(page.get_by_role("option", name=re.compile(r"^1 · "))).to_be_visible()
    page.keyboard.press("Enter")  # (clicking the option raced a redraw of the list in CI)
    name = page.locator(".st-key-st_name_1 input")
    expect(name).to_have_value(_station(demo_db, 1).name)
    name.fill("Dorpshuis (nieuwe naam)")
    _save(page, demo_db, 1, lambda s: s.name == "Dorpshuis (nieuwe naam)")

    # the same station, now under its new name: the next save changes it, not a new one
    expect(picker).to_have_value("1 · Dorpshuis (nieuwe naam)")
    page.locator(".st-key-st_locality_1 input").fill("Beneden-Leeuwen")
    _save(page, demo_db, 1, lambda s: s.locality == "Beneden-Leeuwen")
    assert (
        max(
            n
            for (n,) in demo_db.execute(
                select(PollingStation.number).where(PollingStation.municipality_code == "GM0668")
            )
        )
        == highest
    )
