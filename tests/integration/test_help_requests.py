"""Requests for help with more than one text: a chair asks again while the request is open ("printer
kapot", ten minutes later "ook twee leden weg"). The office sees every text of the open request, oldest
first with its time, on the overview and the station's detail; handling it ends them all, and the next
request starts afresh. Against the real database, through the chair's and the office's services."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, func, select

from app.domain.alerts import Rule
from app.domain.errors import Conflict
from app.services import auth, chair, office
from app.storage import station_state
from app.storage.chair_models import StationState
from app.storage.models import AuditLog
from etl.demo import DEMO_ELECTION_ID as GR
from etl.demo import DEMO_PASSWORD, demo_code
from tests.chair_day import today_at

OWN = "GM0392"


def _cid() -> str:
    return str(uuid.uuid4())


def _audits(db, action: str) -> int:
    return db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == action))


@pytest.fixture
def day(demo_db):
    """Haarlem's stations 1 and 2 signed in (station 1 opened) and Haarlem's office."""
    db = demo_db
    first = auth.sign_in_chair(db, demo_code(OWN, 1))
    second = auth.sign_in_chair(db, demo_code(OWN, 2))
    items = [i["key"] for i in chair.station_overview(db, first, first.polling_station_id).checklist_items]
    chair.submit_opening(db, first, first.polling_station_id, items, client_submission_id=_cid())
    own = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
    return db, first, second, own


def _ask(db, actor, text: str | None, hour: int, minute: int) -> int:
    done = chair.report_signal(
        db,
        actor,
        actor.polling_station_id,
        "need_help",
        note=text,
        client_submission_id=_cid(),
        now=today_at(hour, minute),
    )
    return done.id


def _row(db, own, sid: int) -> office.StationRow:
    return next(
        r for r in office.overview(db, own, GR, OWN, now=today_at(11)).stations if r.station_id == sid
    )


def _texts(row: office.StationRow) -> list[tuple[int, str, str | None]]:
    return [(t.id, t.at.astimezone(today_at(0).tzinfo).strftime("%H:%M"), t.text) for t in row.help_texts]


def test_the_office_sees_every_text_of_an_open_request_oldest_first_with_its_time(day):
    db, first, second, own = day
    sid = first.polling_station_id
    a = _ask(db, first, "Printer kapot", 10, 2)
    b = _ask(db, first, "Ook twee leden weg", 10, 12)
    c = _ask(db, first, None, 10, 20)  # asked again without typing anything
    other = _ask(db, second, "Sleutel kwijt", 10, 5)

    row = _row(db, own, sid)
    assert _texts(row) == [
        (a, "10:02", "Printer kapot"),
        (b, "10:12", "Ook twee leden weg"),
        (c, "10:20", None),
    ]
    assert row.help_request_id == c  # the latest: the one the office hands back when it handles them
    assert row.snapshot.need_help_at == today_at(10, 2)  # open since the first
    row2 = _row(db, own, second.polling_station_id)
    assert _texts(row2) == [(other, "10:05", "Sleutel kwijt")] and row2.help_request_id == other
    assert all(r.help_texts == () for r in office.overview(db, own, GR, OWN).stations if not r.need_help)
    view = office.overview(db, own, GR, OWN, now=today_at(11))
    assert view.help_requests == 2 and len([a for a in view.alerts if a.rule is Rule.HELP]) == 2

    detail = office.station_detail(db, own, sid).row  # the map's detail shows the same request
    assert _texts(detail) == _texts(row) and detail.help_request_id == c


def test_handling_ends_every_text_and_the_next_request_starts_afresh(day):
    db, first, _, own = day
    sid = first.polling_station_id
    a = _ask(db, first, "Printer kapot", 10, 2)
    b = _ask(db, first, "Ook twee leden weg", 10, 12)
    with pytest.raises(Conflict):  # the office saw only the first text: not closed unread
        office.handle_help_request(db, own, sid, request_id=a, client_submission_id=_cid())
    assert _audits(db, "help_handled") == 0

    cid = _cid()
    done = office.handle_help_request(
        db, own, sid, request_id=b, note="Monteur komt", client_submission_id=cid
    )
    again = office.handle_help_request(
        db, own, sid, request_id=b, note="Monteur komt", client_submission_id=cid
    )
    assert again.duplicate and again.id == done.id and done.request_id == b
    assert _audits(db, "help_handled") == 1
    entry = db.scalars(select(AuditLog).where(AuditLog.action == "help_handled")).one()
    assert entry.before == {  # every text this handling ended, not only the latest
        "need_help": True,
        "request_id": b,
        "text": "Ook twee leden weg",
        "earlier": [{"request_id": a, "text": "Printer kapot"}],
    }
    db.expire_all()
    state = db.get(StationState, sid)
    assert state is not None and (state.need_help, state.need_help_at) == (False, None)
    row = _row(db, own, sid)
    assert not row.need_help and row.help_texts == () and row.help_request_id is None
    with pytest.raises(Conflict):  # both texts ended at once: nothing left to handle
        office.handle_help_request(db, own, sid, request_id=a, client_submission_id=_cid())

    c = _ask(db, first, "Stembus vol", 13, 0)  # a new request: only its own text
    row = _row(db, own, sid)
    assert _texts(row) == [(c, "13:00", "Stembus vol")] and row.snapshot.need_help_at == today_at(13)
    chair.withdraw_help(db, first, sid, client_submission_id=_cid(), now=today_at(13, 5))
    d = _ask(db, first, "Toch nog hulp", 13, 10)  # after the chair withdrew it, too
    assert _texts(_row(db, own, sid)) == [(d, "13:10", "Toch nog hulp")]


def test_the_texts_are_those_of_the_request_as_it_was_read(day):
    """The texts are read after the stations (a second query): the request is the one the first read
    saw, also when the chair asks again or it is handled in between (help signals are only added)."""
    db, first, _, own = day
    sid = first.polling_station_id
    a = _ask(db, first, "Printer kapot", 10, 2)
    _ask(db, first, "Ook twee leden weg", 10, 12)
    assert [t.id for t in station_state.open_help_texts(db, {sid: a})[sid]] == [a]
    handled = office.handle_help_request(db, own, sid, client_submission_id=_cid())
    assert [t.text for t in station_state.open_help_texts(db, {sid: handled.request_id})[sid]] == [
        "Printer kapot",
        "Ook twee leden weg",
    ]
    assert station_state.open_help_texts(db, {}) == {}


def test_the_texts_cost_a_query_only_when_a_station_needs_help(day):
    db, first, _, own = day
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        office.overview(db, own, GR, OWN)
        quiet = len(statements)
        _ask(db, first, "Printer kapot", 10, 2)
        statements.clear()
        office.overview(db, own, GR, OWN)
        asking = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert asking == quiet + 1
