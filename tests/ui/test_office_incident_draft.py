"""AppTest: the incident open in the office's queue stays open, with what was typed in it, when a colleague
resolves or changes it meanwhile (it then no longer matches the default filter, which hides resolved
incidents); the page says what changed and by whom, and what was typed can still be sent."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from app.domain.access import SYSTEM
from app.services import auth, chair, office, users
from app.storage.chair_models import Incident, IncidentEvent
from app.storage.db import session_scope
from etl.demo import DEMO_PASSWORD
from tests import chair_day
from tests.inert_markdown import shown

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")
COLLEAGUE = "Fatima *de* Vries_"  # shown as typed: no emphasis
TYPED = "We sturen iemand met een nieuwe stemmachine"


@pytest.fixture
def incident(demo_db_url, app_env) -> int:
    """An open incident of Haarlem's station 1, and a second office account of Haarlem (the colleague)."""
    app_env(demo_db_url)
    with session_scope() as db:
        actor, sid = chair_day.sign_in(db, "GM0392", 1)
        chair_day.open_station(db, actor, sid)
        raised = chair.raise_incident(
            db,
            actor,
            sid,
            "technical",
            "Stemmachine hapert",
            severity="high",
            client_submission_id=chair_day.cid(),
        )
        users.add_user(
            db,
            SYSTEM,
            username="office.haarlem2",
            password=DEMO_PASSWORD,
            role="office",
            municipality_code="GM0392",
            display_name=COLLEAGUE,
        )
    return raised.id


def _colleague(step, incident_id: int, *args) -> None:
    """A step of the colleague, in the colleague's own session, through the services."""
    with session_scope() as db:
        colleague = auth.sign_in_staff(db, "office.haarlem2", DEMO_PASSWORD)
        step(db, colleague, incident_id, *args, client_submission_id=chair_day.cid())


def _queue() -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    at.text_input(key="staff_username").input("office.haarlem")
    at.text_input(key="staff_password").input(DEMO_PASSWORD)
    at.button[1].click().run()
    at.switch_page("../pages/office_incidents.py").run()
    assert not at.exception, at.exception
    return at


def _open(at: AppTest, incident_id: int) -> None:
    """Open (or close) the incident's expander as a browser does: AppTest has no API for a stateful
    expander, so this sends the widget state the browser would send."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    (found,) = [e for e in at.expander if e.label.endswith(f"#{incident_id}")]
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=found.proto.id, bool_value=not found.proto.expanded))
    at._run(states)
    assert not at.exception, at.exception


def _refresh(at: AppTest, *keys: str) -> None:
    """The next refresh, as a browser has it. What is typed in a form and not sent is not sent with the
    refresh (AppTest drops it, as Streamlit does): it stays in the browser's field as long as that field,
    the same element (its id), is still on the page after the refresh, and is gone with it otherwise."""
    typed = {(w.key, w.id): w.value for w in (*at.text_area, *at.text_input) if w.key in keys}
    at.run()
    assert not at.exception, at.exception
    still = {(w.key, w.id): w for w in (*at.text_area, *at.text_input)}
    for (key, element_id), value in typed.items():
        if (key, element_id) in still:
            still[key, element_id].set_value(value)


def _open_labels(at: AppTest) -> list[str]:
    return [e.label for e in at.expander if e.proto.expanded]


def _button(at: AppTest, label: str):
    (found,) = [b for b in at.button if b.label == label]
    return found


def _events(incident_id: int) -> list[tuple[str, str | None, str | None]]:
    with session_scope() as db:
        return [
            (e.kind, e.text, e.actor_name)
            for e in db.scalars(
                select(IncidentEvent)
                .where(IncidentEvent.incident_id == incident_id)
                .order_by(IncidentEvent.id)
            )
        ]


def test_a_reply_being_typed_survives_a_colleague_resolving_the_incident(incident):
    at = _queue()
    _open(at, incident)
    (label,) = _open_labels(at)
    reply = f"inc{incident}_reply"
    at.text_area(key=reply).input(TYPED)  # typing, not sent
    _refresh(at, reply)
    assert not at.warning and not at.info
    assert at.text_area(key=reply).value == TYPED

    _colleague(office.resolve_incident, incident, "Opgelost door de servicedesk")
    _refresh(at, reply)  # the incident no longer matches the filter (open, in behandeling)
    assert _open_labels(at) == [label]  # still there, still open, as it was opened
    assert at.text_area(key=reply).value == TYPED  # what was typed is kept
    (notice,) = [shown(w.value) for w in at.warning]
    assert f"Intussen opgelost door {COLLEAGUE} om " in notice and "Wat u typte blijft staan." in notice
    captions = [c.value for c in at.caption]
    assert any("past niet (meer) bij de filters" in c for c in captions), captions
    assert "Deze reactie wordt toegevoegd aan een opgeloste melding." in captions
    assert not [b for b in at.button if b.label in ("In behandeling nemen", "Oplossen")]  # refused now

    # sent as typed: the reply service adds it to the resolved incident
    _button(at, "Reactie versturen").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert [k for k, *_ in _events(incident)] == ["resolve", "reply"]
    assert _events(incident)[-1][1] == TYPED
    assert len(_open_labels(at)) == 1  # still open, the colleague's step still told
    assert any(TYPED in t.value for t in at.text)
    assert any(f"Intussen opgelost door {COLLEAGUE}" in shown(w.value) for w in at.warning)
    with session_scope() as db:
        assert db.get(Incident, incident).status == "resolved"  # no new rule: it stays resolved


def test_a_note_typed_to_resolve_can_go_as_a_reply_once_a_colleague_resolved_it(incident):
    at = _queue()
    _open(at, incident)
    note = f"inc{incident}_note"
    at.text_input(key=note).input("Monteur is onderweg")
    _colleague(office.resolve_incident, incident, None)
    _refresh(at, note)
    assert [w for w in at.warning if f"Intussen opgelost door {COLLEAGUE}" in shown(w.value)]
    assert at.text_input(key=note).value == "Monteur is onderweg"
    _button(at, "Toelichting als reactie versturen").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert [(k, text) for k, text, _ in _events(incident)] == [
        ("resolve", None),
        ("reply", "Monteur is onderweg"),
    ]


def test_a_colleague_changing_the_open_incident_is_told_and_ones_own_steps_are_not(incident):
    at = _queue()
    _open(at, incident)
    _button(at, "In behandeling nemen").click().run()  # one's own step: no notice
    assert not at.exception, at.exception
    assert not at.info and not at.warning

    reply = f"inc{incident}_reply"
    at.text_area(key=reply).input(TYPED)
    _colleague(office.assign_incident, incident, COLLEAGUE)
    _refresh(at, reply)
    (notice,) = [shown(i.value) for i in at.info]
    assert f"Intussen door {COLLEAGUE} om " in notice and f"toegewezen aan {COLLEAGUE}." in notice
    assert "Wat u typte blijft staan." in notice
    assert at.text_area(key=reply).value == TYPED
    assert not any("past niet (meer) bij de filters" in c.value for c in at.caption)  # still matches

    # closed and opened again: what it shows then is seen, no notice
    _open(at, incident)
    assert _open_labels(at) == []
    _open(at, incident)
    assert len(_open_labels(at)) == 1 and not at.info and not at.warning

    # in the interface language
    _colleague(office.reply_incident, incident, "Ik bel de voorzitter.")
    at.radio(key="lang_choice").set_value("en").run()
    assert not at.exception, at.exception
    (notice,) = [shown(i.value) for i in at.info]
    assert f"Meanwhile {COLLEAGUE} replied at " in notice and "What you typed is kept." in notice


def test_the_queue_keeps_the_open_incident_whatever_the_filters(incident):
    """``keep``: the incident open on the page is listed when it no longer matches, and only its own."""
    _colleague(office.resolve_incident, incident, None)
    with session_scope() as db:
        own = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        queue = functools.partial(office.list_incidents, db, own, "GR2026")
        assert queue("GM0392", statuses=["open", "acknowledged"]) == []
        kept = queue("GM0392", statuses=["open", "acknowledged"], keep=incident)
        assert [(i.id, i.status) for i in kept] == [(incident, "resolved")]
        assert [e.actor_name for e in kept[0].events] == [COLLEAGUE]
        chair_actor, sid = chair_day.sign_in(db, "GM0268", 1)  # another municipality's incident
        chair_day.open_station(db, chair_actor, sid)
        other = chair.raise_incident(db, chair_actor, sid, "other", "x", client_submission_id=chair_day.cid())
        assert queue("GM0392", statuses=["open"], severities=["low"], keep=other.id) == []


def test_a_reply_that_cannot_be_stored_stays_in_its_field_and_goes_once_stored(incident, monkeypatch):
    from app.domain.errors import Conflict

    at = _queue()
    _open(at, incident)
    reply = f"inc{incident}_reply"
    at.text_area(key=reply).input(TYPED)
    stored = office.reply_incident

    def refused(*args, **kwargs):
        raise Conflict("busy", key="error.conflict")

    monkeypatch.setattr(office, "reply_incident", refused)
    _button(at, "Reactie versturen").click().run()
    assert not at.exception, at.exception
    assert at.error or at.warning  # the refusal is said
    assert at.text_area(key=reply).value == TYPED  # and what was typed is still there to send again
    assert [k for k, *_ in _events(incident)] == []

    monkeypatch.setattr(office, "reply_incident", stored)
    _button(at, "Reactie versturen").click().run()
    assert not at.exception, at.exception
    assert [(k, t) for k, t, _ in _events(incident)] == [("reply", TYPED)]
    assert [t.value for t in at.toast] == ["Opgeslagen."]  # in the run that is drawn
    assert at.text_area(key=reply).value == ""  # stored: the field is empty for the next one


def test_the_open_incident_keeps_its_place_in_the_list_when_a_colleague_resolves_it(incident):
    """Resolved incidents sort last: the one open here would move down the page past every line below
    it, under the user's cursor. It keeps its place while it is open."""
    with session_scope() as db:
        actor, sid = chair_day.sign_in(db, "GM0392", 2)
        chair_day.open_station(db, actor, sid)
        for severity, text in (("medium", "Rij bij de deur"), ("low", "Koffie op")):
            chair.raise_incident(
                db, actor, sid, "other", text, severity=severity, client_submission_id=chair_day.cid()
            )
    at = _queue()
    order = [e.label for e in at.expander]
    assert len(order) == 3 and order[0].endswith(f"#{incident}")  # high first
    medium = next(e.label for e in at.expander if "Middel" in e.label)
    medium_id = int(medium.rsplit("#", 1)[1])
    _open(at, medium_id)
    assert [e.label for e in at.expander] == order

    _colleague(office.resolve_incident, medium_id, "Opgelost")
    _refresh(at)
    assert [e.label for e in at.expander] == order  # still second, not last
    assert _open_labels(at) == [medium]
