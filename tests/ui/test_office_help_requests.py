"""AppTest: the office's requests for help when a chair asks more than once while the request is open.
Every text is shown (oldest first, each with its time, inert), handling ends them all, and what the office
has typed in a request's form survives a refresh when another request or another text arrives. (A real
browser's refresh, which AppTest never fires: tests/e2e/test_help_live.py.)"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.services import auth, chair, office
from app.storage.chair_models import StationState
from app.storage.db import session_scope
from etl.demo import DEMO_PASSWORD, demo_code

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")
FIRST = "Printer kapot **nu** [klik](https://example.org)"
SECOND = "Ook twee leden weg <b>x</b>"
NOTE = "Monteur onderweg"


@pytest.fixture
def env(demo_db_url, app_env):
    """Haarlem's stations 1 and 2 (their ids)."""
    app_env(demo_db_url)
    with session_scope() as db:
        return [auth.sign_in_chair(db, demo_code("GM0392", n)).polling_station_id for n in (1, 2)]


def _ask(number: int, text: str | None) -> int:
    from app.ui import office as office_ui

    with session_scope() as db:
        actor = auth.sign_in_chair(db, demo_code("GM0392", number))
        sid = actor.polling_station_id
        done = chair.report_signal(
            db, actor, sid, "need_help", note=text, client_submission_id=str(uuid.uuid4())
        )
    office_ui.forget()  # the shared read-model cache: the next run reads the new state
    return done.id


def _need_help(sid: int) -> bool:
    with session_scope() as db:
        state = db.get(StationState, sid)
        return bool(state and state.need_help)


def _alerts() -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    at.text_input(key="staff_username").input("office.haarlem")
    at.text_input(key="staff_password").input(DEMO_PASSWORD)
    at.button[1].click().run()
    at.switch_page("../pages/office_alerts.py").run()
    assert not at.exception, at.exception
    return at


def _notes(at: AppTest) -> list[str]:
    return [w.key for w in at.text_area if w.key and w.key.startswith("help_") and w.key.endswith("_note")]


def _handle(at: AppTest, note_key: str) -> None:
    at.button(key=note_key.removesuffix("_note") + "_handle").click().run()
    assert not at.exception, at.exception


def test_the_alerts_page_shows_every_text_of_a_request_and_handling_ends_them_all(env):
    sid, _ = env
    _ask(1, FIRST)
    _ask(1, SECOND)
    at = _alerts()
    texts = [t.value for t in at.text]
    assert FIRST in texts and SECOND in texts and texts.index(FIRST) < texts.index(SECOND)  # inert, in order
    assert sum(1 for c in at.caption if c.value.startswith("Om ")) == 2  # each with its time
    [note] = _notes(at)  # one request, one form
    at.text_area(key=note).input(NOTE)
    _handle(at, note)
    assert not at.error, [e.value for e in at.error]
    assert not _need_help(sid)
    assert FIRST not in [t.value for t in at.text] and SECOND not in [t.value for t in at.text]
    with session_scope() as db:  # the chair sees the office's message: the request is handled
        actor = auth.sign_in_chair(db, demo_code("GM0392", 1))
        handled = chair.station_overview(db, actor, sid).help
    assert handled is not None and not handled.open and handled.text == NOTE


def test_the_overview_lists_every_text_of_each_request(env):
    _ask(1, FIRST)
    _ask(2, None)
    _ask(1, SECOND)
    at = _alerts()
    at.switch_page("../pages/office_overview.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[1].value  # after the states: the requests for help
    assert list(table["Signaal"]) == [
        f"Vraagt om hulp: {FIRST}",
        f"Vraagt om hulp: {SECOND}",
        "Vraagt om hulp (geen toelichting)",
    ]
    first, again, other = table["Stembureau"]
    assert first == again != other


def test_what_is_typed_survives_when_another_request_and_another_text_arrive(env):
    sid, other = env
    _ask(1, FIRST)
    at = _alerts()
    [note] = _notes(at)
    at.text_area(key=note).input(NOTE)  # typing, not sent yet
    _ask(2, "Sleutel kwijt")  # another station asks
    _ask(1, SECOND)  # and this chair asks again
    at.run()  # the refresh
    assert not at.exception, at.exception
    # A form's text stays in the browser until it is sent, kept by the widget's identity (its key): AppTest
    # drops it as a refresh does, so this checks that the identity stays, with the form first, and sends
    # the text as the browser would (the browser itself: tests/e2e/test_help_live.py).
    notes = _notes(at)
    assert len(notes) == 2 and notes[0] == note  # the same form, still first: the new request below it
    assert SECOND in [t.value for t in at.text]
    at.text_area(key=note).input(NOTE)
    _handle(at, note)  # both texts were shown: handled at once
    assert not at.error, [e.value for e in at.error]
    # said in the run that is drawn (a toast given just before st.rerun() went away with its run)
    (toast,) = [t.value for t in at.toast]  # naming the station handled
    assert toast.startswith("Hulpvraag van stembureau 1 (") and toast.endswith(") afgehandeld.")
    assert not _need_help(sid) and _need_help(other)
    with session_scope() as db:
        actor = auth.sign_in_chair(db, demo_code("GM0392", 1))
        handled = chair.station_overview(db, actor, sid).help
    assert handled is not None and handled.text == NOTE


def test_a_text_that_arrives_just_before_the_click_is_not_handled_unread(env):
    sid, _ = env
    _ask(1, FIRST)
    at = _alerts()
    [note] = _notes(at)
    at.text_area(key=note).input(NOTE)
    _ask(1, SECOND)  # arrives after the page was drawn, before the click
    _handle(at, note)
    assert _need_help(sid)  # refused: the office has not seen the second text
    assert any("opnieuw om hulp gevraagd" in e.value for e in at.error)
    assert SECOND in [t.value for t in at.text]  # now it is shown
    assert at.text_area(key=note).value == NOTE  # with the message still typed
    _handle(at, note)
    assert not at.error, [e.value for e in at.error]
    assert not _need_help(sid)
    with session_scope() as db:
        actor = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        row = next(r for r in office.overview(db, actor, "GR2026", "GM0392").stations if r.station_id == sid)
    assert row.help_texts == ()
