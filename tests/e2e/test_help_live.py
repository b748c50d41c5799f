"""In a real browser: the office's Signalen page refreshes itself (the app runs with
STEMDAG_REFRESH_SECONDS=2; AppTest never fires ``run_every``) without losing what is typed in a request
for help's form.

Two stations ask for help. The office starts typing a message in the second one's form; meanwhile that
chair asks again (a second text in the same request), a third station asks, and a colleague handles the
first request (the one above). The form is still there, with the text typed so far and the cursor in it;
typing simply goes on, both texts are shown, and handling sends the message as typed and ends the
request with both its texts."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.services import auth, chair, office
from app.storage.chair_models import StationState
from etl.demo import DEMO_PASSWORD
from tests import chair_day
from tests.e2e.conftest import sign_in_staff, start_app, stop_app

pytestmark = pytest.mark.e2e
REFRESH_SECONDS = 2
#: a refresh interval, the cache's time to live (half of it) and slack for a busy test machine
WITHIN_MS = (REFRESH_SECONDS + REFRESH_SECONDS // 2) * 1000 + 6000
MESSAGE = "De monteur komt om half elf; de leden van reserve zijn gebeld."


@pytest.fixture
def fast_app(demo_db_url):
    proc, url = start_app(demo_db_url, extra_env={"STEMDAG_REFRESH_SECONDS": str(REFRESH_SECONDS)})
    yield url
    stop_app(proc)


def _chair_text(page, text: str):
    """A chair's text as the office's request shows it (inert, st.text; the alerts table has it too)."""
    return page.get_by_test_id("stText").get_by_text(text, exact=True)


def test_a_message_being_typed_survives_new_requests_and_one_handled_above(fast_app, demo_db, page):
    sign_in_staff(page, fast_app, "office.wmw", open_page="Signalen")
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("Bijgewerkt", timeout=WITHIN_MS)

    def ask(number: int, text: str) -> tuple[int, int]:
        actor, sid = chair_day.sign_in(demo_db, "GM0668", number)
        done = chair.report_signal(
            demo_db, actor, sid, "need_help", note=text, client_submission_id=chair_day.cid()
        )
        return sid, done.id

    first_sid, _ = ask(1, "Sleutel van het stemlokaal kwijt.")
    expect(_chair_text(page, "Sleutel van het stemlokaal kwijt.")).to_be_visible(timeout=WITHIN_MS)
    sid, request = ask(2, "Printer kapot.")
    expect(_chair_text(page, "Printer kapot.")).to_be_visible(timeout=WITHIN_MS)
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    note = page.locator(f".st-key-help_{sid}_{request}_note textarea")
    note.click()
    page.keyboard.type(MESSAGE[:25])  # typing, not sent yet

    # while the office types: this chair asks again, another station asks, and a colleague handles the
    # request above this one
    ask(2, "Ook twee leden naar huis.")
    ask(3, "Stembus vol.")
    colleague = auth.sign_in_staff(demo_db, "office.wmw", DEMO_PASSWORD)
    office.handle_help_request(demo_db, colleague, first_sid)
    expect(_chair_text(page, "Ook twee leden naar huis.")).to_be_visible(timeout=WITHIN_MS)
    expect(_chair_text(page, "Stembus vol.")).to_be_visible(timeout=WITHIN_MS)
    expect(_chair_text(page, "Sleutel van het stemlokaal kwijt.")).to_have_count(0, timeout=WITHIN_MS)
    page.wait_for_timeout(REFRESH_SECONDS * 1000 + 500)  # and one refresh more, while nothing changes

    # the same form, the text still there and the cursor still in it: typing simply goes on
    page.keyboard.type(MESSAGE[25:])
    expect(note).to_have_value(MESSAGE)
    page.locator(f".st-key-help_{sid}_{request}_handle button").click()
    expect(page.get_by_test_id("stToast").filter(has_text="Hulpvraag van stembureau 2 (")).to_be_visible()
    expect(_chair_text(page, "Printer kapot.")).to_have_count(0, timeout=WITHIN_MS)
    expect(_chair_text(page, "Stembus vol.")).to_be_visible()  # the other request stays
    assert navigations == []  # no reload: the fragment refreshed itself

    demo_db.expire_all()
    state = demo_db.get(StationState, sid)
    assert state is not None and not state.need_help
    actor, _ = chair_day.sign_in(demo_db, "GM0668", 2)
    handled = chair.station_overview(demo_db, actor, sid).help
    assert handled is not None and not handled.open and handled.text == MESSAGE
