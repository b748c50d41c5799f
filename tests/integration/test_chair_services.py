"""Chair reports and the count lifecycle against the real database (issue 3)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from app.domain.errors import Conflict, InvalidInput, NotAllowed
from app.services import auth, chair, counts
from app.storage.chair_models import CountListVotes, CountVersion, Incident, StationState, TurnoutReport
from app.storage.models import AuditLog, PollingStation
from etl.demo import DEMO_PASSWORD, demo_code
from tests.chair_day import today_at

OWN = "GM0392"
AFTERNOON = today_at(14, 0)  # 10:00 and 13:45 have come (the rules depend on the time of day)
EVENING = today_at(21, 5)  # after closing time


def _cid() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def ctx(demo_db):
    actor = auth.sign_in_chair(demo_db, demo_code(OWN, 1))
    return demo_db, actor, actor.polling_station_id


def _audits(db, action: str) -> int:
    return db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == action))


def _open(db, actor, sid):
    items = [i["key"] for i in chair.station_overview(db, actor, sid).checklist_items]
    return chair.submit_opening(db, actor, sid, items, client_submission_id=_cid())


def _spread(votes: int, candidates: int) -> list[int]:
    """``votes`` over the first (at most five) candidates, as uneven as a real count: they add up."""
    used = min(candidates, 5)
    shares = [votes // used] * used
    shares[0] += votes - sum(shares)
    return shares + [0] * (candidates - used)


def _form(db, actor, sid, *, a=100, d=100, blank=0, extra=0):
    """A count of ``a`` poll cards, D = ``d``, ``blank`` blank votes, ``extra`` more ballots than
    poll cards; all votes on list 1. Lists and candidates come from the chair's own count setup: under
    decentral counting (DSO) list 1's votes are spread over its candidates and its list total filled
    in (F.401-F.403 hold); under central counting (CSO) the lists only."""
    setup = counts.count_setup(db, actor, sid)
    groups = []
    for info in sorted(setup.lists, key=lambda li: li.number):
        votes = a - blank + extra if info.number == 1 else 0
        group = {"number": info.number, "total": votes}
        if setup.counting_method == "DSO":
            group["candidate_votes"] = _spread(votes, len(info.candidates))
            group["candidates_total"] = votes
        groups.append(group)
    h = a + extra
    return {
        "poll_card_count": a,
        "proxy_certificate_count": 0,
        "total_admitted_voters_count": d,
        "political_group_votes": groups,
        "votes_candidates_count": a - blank + extra,
        "blank_votes_count": blank,
        "invalid_votes_count": 0,
        "total_votes_cast_count": h,
        "admitted_voters_equal_votes_cast": d == h,
        "votes_cast_greater_than_admitted_voters": h > d,
        "votes_cast_smaller_than_admitted_voters": h < d,
        "more_ballots_count": max(0, h - d),
        "fewer_ballots_count": max(0, d - h),
        "difference_completely_accounted_for_yes": d != h,
    }


def test_opening_is_stored_once_under_retry_with_one_audit_row_and_state(ctx):
    db, actor, sid = ctx
    items = [i["key"] for i in chair.station_overview(db, actor, sid).checklist_items]
    cid = _cid()
    first = chair.submit_opening(db, actor, sid, items, client_submission_id=cid)
    again = chair.submit_opening(db, actor, sid, items, client_submission_id=cid)
    assert again.id == first.id and again.duplicate and not first.duplicate
    assert _audits(db, "station_opened") == 1
    assert db.get(StationState, sid).status == "open"


def test_opening_needs_every_checklist_item(ctx):
    db, actor, sid = ctx
    with pytest.raises(InvalidInput) as err:
        chair.submit_opening(db, actor, sid, [], client_submission_id=_cid())
    assert err.value.field.startswith("checklist.")


def test_too_few_members_is_stored_with_a_warning_and_a_problem_state(ctx):
    db, actor, sid = ctx
    _open(db, actor, sid)
    result = chair.report_members(db, actor, sid, 2, client_submission_id=_cid())
    assert result.warnings == ("chair.warning.too_few_members",)
    assert db.get(StationState, sid).status == "problem"
    with pytest.raises(InvalidInput):
        chair.report_members(db, actor, sid, 8, client_submission_id=_cid())


def test_stock_and_signals_update_the_state(ctx):
    db, actor, sid = ctx
    _open(db, actor, sid)
    assert chair.report_stock(db, actor, sid, 10, client_submission_id=_cid()).warnings == (
        "chair.warning.low_stock",
    )
    chair.report_signal(db, actor, sid, "long", client_submission_id=_cid())
    chair.report_signal(db, actor, sid, "need_help", client_submission_id=_cid())
    state = db.get(StationState, sid)
    assert (state.ballots_left, state.low_stock, state.queue, state.need_help) == (10, True, "long", True)


def test_decreasing_turnout_is_refused_with_a_clear_message_and_a_correction_is_a_new_row(ctx):
    db, actor, sid = ctx
    chair.submit_turnout(
        db,
        actor,
        sid,
        "10:00",
        120,
        poll_card_count=110,
        proxy_certificate_count=10,
        client_submission_id=_cid(),
        now=AFTERNOON,
    )
    with pytest.raises(InvalidInput) as err:
        chair.submit_turnout(db, actor, sid, "13:45", 100, client_submission_id=_cid(), now=AFTERNOON)
    assert err.value.message_key == "chair.error.turnout_decreased"
    from app.ui.texts import error_text

    assert "120" in error_text(err.value, "nl") and "10:00" in error_text(err.value, "en")
    fixed = chair.submit_turnout(
        db, actor, sid, "10:00", 90, correction_reason="typefout", client_submission_id=_cid(), now=AFTERNOON
    )
    rows = db.scalars(
        select(TurnoutReport).where(TurnoutReport.polling_station_id == sid).order_by(TurnoutReport.id)
    ).all()
    assert [r.total_admitted_voters_count for r in rows] == [120, 90]
    assert rows[1].supersedes_id == rows[0].id and rows[1].is_correction and fixed.id == rows[1].id
    chair.submit_turnout(db, actor, sid, "13:45", 100, client_submission_id=_cid(), now=AFTERNOON)
    assert db.get(StationState, sid).last_turnout_admitted_voters == 100


def test_a_chair_of_another_station_is_refused_and_logged(ctx):
    db, actor, _sid = ctx
    other = db.scalar(
        select(PollingStation.id).where(PollingStation.municipality_code == OWN, PollingStation.number == 2)
    )
    before = _audits(db, "access_refused")
    with pytest.raises(NotAllowed):
        chair.submit_turnout(db, actor, other, "10:00", 5, client_submission_id=_cid(), now=AFTERNOON)
    db.rollback()
    assert _audits(db, "access_refused") == before + 1


def test_incident_with_hostile_text_is_kept_verbatim_and_office_replies_are_visible(ctx):
    db, actor, sid = ctx
    hostile = "<script>alert(1)</script> **bold** '; DROP TABLE incident; --"
    result = chair.raise_incident(
        db, actor, sid, "technical", hostile, severity="high", client_submission_id=_cid()
    )
    assert db.get(Incident, result.id).text == hostile
    assert db.get(StationState, sid).open_incidents_high == 1
    [view] = chair.my_incidents(db, actor, sid)
    assert view.text == hostile and view.status == "open"


def test_count_blocked_on_errors_warnings_need_explanations_and_corrections_are_versions(ctx):
    db, actor, sid = ctx
    setup = counts.count_setup(db, actor, sid)
    assert setup.counting_method == "DSO" and all(li.candidates for li in setup.lists)  # per candidate
    _open(db, actor, sid)
    with pytest.raises(Conflict):  # not closed yet
        counts.submit_count(db, actor, sid, _form(db, actor, sid), {}, client_submission_id=_cid())
    chair.submit_closing(db, actor, sid, client_submission_id=_cid(), now=EVENING)
    bad = {**_form(db, actor, sid), "total_admitted_voters_count": 99}  # A+B != D
    bad.update(
        admitted_voters_equal_votes_cast=False,
        votes_cast_greater_than_admitted_voters=True,
        more_ballots_count=1,
        difference_completely_accounted_for_yes=True,
    )
    with pytest.raises(InvalidInput) as err:
        counts.submit_count(db, actor, sid, bad, {}, client_submission_id=_cid())
    assert err.value.message_key == "count.blocked" and "F.201" in err.value.params["codes"]
    warned = _form(db, actor, sid, blank=10)  # W.201: blank >= 3% of H
    assert counts.check_count(db, actor, sid, warned).codes == ("W.201",)
    with pytest.raises(InvalidInput) as err:
        counts.submit_count(db, actor, sid, warned, {}, client_submission_id=_cid())
    assert err.value.message_key == "count.unexplained" and err.value.field == "blank_votes_count"
    cid = _cid()
    v1 = counts.submit_count(db, actor, sid, warned, {"W.201": "<b>nageteld</b>"}, client_submission_id=cid)
    assert counts.submit_count(
        db, actor, sid, warned, {"W.201": "x"}, client_submission_id=cid
    ) == counts.CountResult(v1.id, 1, "submitted", True)
    assert _audits(db, "count_submitted") == 1
    stored = db.get(CountVersion, v1.id)
    first = next(g for g in stored.political_group_votes if g["number"] == 1)
    assert first["total"] == first["candidates_total"] == sum(first["candidate_votes"]) == 90
    assert len([c for c in first["candidate_votes"] if c]) > 1  # spread over several candidates
    assert (
        db.scalar(
            select(func.count()).select_from(CountListVotes).where(CountListVotes.count_version_id == v1.id)
        )
        >= 1
    )

    office = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
    with pytest.raises(InvalidInput):
        counts.return_count(db, office, v1.id, "  ")
    returned = counts.return_count(db, office, v1.id, "Lijst 1 opnieuw tellen")
    assert returned.status == "returned" and db.get(StationState, sid).status == "count_returned"
    [view] = counts.my_count_versions(db, actor, sid)
    assert view.returned_reason == "Lijst 1 opnieuw tellen"

    v2 = counts.submit_count(db, actor, sid, _form(db, actor, sid), {}, client_submission_id=_cid())
    assert v2.version == 2
    versions = db.scalars(
        select(CountVersion).where(CountVersion.polling_station_id == sid).order_by(CountVersion.version)
    ).all()
    assert [(v.version, v.status, v.blank_votes_count) for v in versions] == [
        (1, "returned", 10),
        (2, "submitted", 0),
    ]
    with pytest.raises(Conflict):
        counts.accept_count(db, office, v1.id)
    assert counts.accept_count(db, office, v2.id).status == "accepted"
    assert counts.accept_count(db, office, v2.id).duplicate
    assert _audits(db, "count_accepted") == 1 and _audits(db, "count_corrected") == 1
    assert db.get(StationState, sid).status == "count_accepted"
    with pytest.raises(Conflict):
        counts.submit_count(db, actor, sid, _form(db, actor, sid), {}, client_submission_id=_cid())


def test_office_of_another_municipality_cannot_review(ctx):
    db, actor, sid = ctx
    _open(db, actor, sid)
    chair.submit_closing(db, actor, sid, client_submission_id=_cid(), now=EVENING)
    v1 = counts.submit_count(db, actor, sid, _form(db, actor, sid), {}, client_submission_id=_cid())
    nijmegen = auth.sign_in_staff(db, "office.nijmegen", DEMO_PASSWORD)
    with pytest.raises(NotAllowed):
        counts.accept_count(db, nijmegen, v1.id)
    with pytest.raises(NotAllowed):
        counts.return_count(db, actor, v1.id, "chair may not")


def test_f402_f403_dso_candidate_votes_must_add_up_to_the_list_total(ctx):
    db, actor, sid = ctx
    _open(db, actor, sid)
    chair.submit_closing(db, actor, sid, client_submission_id=_cid(), now=EVENING)
    form = _form(db, actor, sid)
    first = form["political_group_votes"][0]
    first["candidate_votes"] = [first["candidate_votes"][0] - 1, *first["candidate_votes"][1:]]  # one short
    checked = counts.check_count(db, actor, sid, form)
    assert checked.codes == ("F.402",)
    assert checked.for_field("political_group_votes.1.candidate_votes.1")
    with pytest.raises(InvalidInput) as err:
        counts.submit_count(db, actor, sid, form, {}, client_submission_id=_cid())
    assert (
        err.value.message_key == "count.blocked"
        and err.value.field == "political_group_votes.1.candidates_total"
    )
    first["candidate_votes"][0] += 1
    first["candidates_total"] = first["total"] - 1  # list total differs from the candidates and from E.1
    assert set(counts.check_count(db, actor, sid, form).codes) == {"F.402", "F.403"}
    first["candidates_total"] = first["total"]
    assert counts.submit_count(db, actor, sid, form, {}, client_submission_id=_cid()).version == 1


def test_cso_station_counts_per_list_only(demo_db):
    db = demo_db
    actor = auth.sign_in_chair(db, demo_code("GM0268", 1))  # Nijmegen counts centrally
    sid = actor.polling_station_id
    setup = counts.count_setup(db, actor, sid)
    assert setup.counting_method == "CSO" and setup.lists and not any(li.candidates for li in setup.lists)
    _open(db, actor, sid)
    chair.submit_closing(db, actor, sid, client_submission_id=_cid(), now=EVENING)
    form = _form(db, actor, sid)
    assert all("candidate_votes" not in g for g in form["political_group_votes"])
    assert counts.check_count(db, actor, sid, form).codes == ()
    per_candidate = _form(db, actor, sid)
    per_candidate["political_group_votes"][0].update(candidate_votes=[100], candidates_total=100)
    with pytest.raises(InvalidInput) as err:
        counts.submit_count(db, actor, sid, per_candidate, {}, client_submission_id=_cid())
    assert err.value.message_key == "error.candidate_votes_under_cso"
    db.rollback()
    v1 = counts.submit_count(db, actor, sid, form, {}, client_submission_id=_cid())
    stored = db.get(CountVersion, v1.id)
    assert stored.counting_method == "CSO" and stored.votes_candidates_count == 100
    first = next(g for g in stored.political_group_votes if g["number"] == 1)
    assert (first["total"], first["candidate_votes"]) == (100, None)


def test_turnout_for_a_moment_that_has_not_come_is_refused_and_nothing_is_stored(ctx):
    db, actor, sid = ctx
    morning = today_at(11, 34)
    for moment in ("13:45", "21:00"):
        with pytest.raises(InvalidInput) as err:
            chair.submit_turnout(db, actor, sid, moment, 150, client_submission_id=_cid(), now=morning)
        assert (err.value.field, err.value.message_key) == ("moment", "chair.error.turnout_future")
        db.rollback()
    assert not db.scalars(select(TurnoutReport).where(TurnoutReport.polling_station_id == sid)).all()
    chair.submit_turnout(db, actor, sid, "10:00", 150, client_submission_id=_cid(), now=morning)
    late = chair.submit_turnout(db, actor, sid, "13:45", 300, client_submission_id=_cid(), now=EVENING)
    assert late.late  # a late report is still accepted
    assert db.get(StationState, sid).last_turnout_moment == "13:45"


def _closing_audit(db, sid):
    return db.scalars(
        select(AuditLog)
        .where(AuditLog.action == "station_closed", AuditLog.polling_station_id == sid)
        .order_by(AuditLog.id.desc())
    ).first()


def test_closing_stores_the_time_entered_not_now(ctx):
    db, actor, sid = ctx
    _open(db, actor, sid)
    chair.submit_closing(
        db, actor, sid, closed_at=today_at(21, 0), client_submission_id=_cid(), now=today_at(21, 12)
    )
    assert db.get(StationState, sid).closed_at == today_at(21, 0)
    assert "early_reason" not in _closing_audit(db, sid).after


def test_closing_in_the_morning_is_refused_unless_confirmed_early_with_a_reason(ctx):
    db, actor, sid = ctx
    _open(db, actor, sid)
    morning = today_at(11, 34)
    with pytest.raises(InvalidInput) as err:  # 21:00 entered at 11:34: in the future
        chair.submit_closing(
            db, actor, sid, closed_at=today_at(21, 0), client_submission_id=_cid(), now=morning
        )
    assert (err.value.field, err.value.message_key) == ("closed_at", "chair.error.closing_future")
    db.rollback()
    with pytest.raises(InvalidInput) as err:  # now, before the closing time, not confirmed
        chair.submit_closing(db, actor, sid, client_submission_id=_cid(), now=morning)
    assert (err.value.field, err.value.message_key) == ("closed_at", "chair.error.closing_early")
    from app.ui.texts import error_text

    assert "Het stembureau sluit om 21:00" in error_text(err.value, "nl")
    db.rollback()
    with pytest.raises(InvalidInput) as err:  # confirmed without a reason
        chair.submit_closing(
            db, actor, sid, early=True, early_reason=" ", client_submission_id=_cid(), now=morning
        )
    assert err.value.field == "early_reason"
    db.rollback()
    assert db.get(StationState, sid).closed_at is None
    chair.submit_closing(
        db,
        actor,
        sid,
        early=True,
        early_reason="Brand in het gebouw",
        client_submission_id=_cid(),
        now=morning,
    )
    assert db.get(StationState, sid).closed_at == morning
    after = _closing_audit(db, sid).after
    assert (after["early"], after["early_reason"], after["closes_at"]) == (
        True,
        "Brand in het gebouw",
        "21:00",
    )


def test_a_bijzonder_station_closes_at_its_own_time(ctx):
    db, actor, sid = ctx
    _open(db, actor, sid)
    db.get(PollingStation, sid).closes_at = dt.time(16, 0)
    db.commit()
    four = today_at(16, 0)
    chair.submit_closing(db, actor, sid, client_submission_id=_cid(), now=four + dt.timedelta(minutes=2))
    assert db.get(StationState, sid).closed_at == four + dt.timedelta(minutes=2)


def test_help_request_is_open_until_the_chair_withdraws_it(ctx):
    """ "Vraag om hulp" keeps the chair's text and makes the station a problem; "Hulp niet meer nodig"
    ends it (stored, audited with the request it ends, idempotent) and the status is computed again."""
    db, actor, sid = ctx
    _open(db, actor, sid)
    first = chair.report_signal(
        db, actor, sid, "need_help", note="Extra potloden nodig", client_submission_id=_cid()
    )
    db.expire_all()
    state = db.get(StationState, sid)
    assert (state.need_help, state.status) == (True, "problem") and state.need_help_at == first.reported_at
    second = chair.report_signal(
        db, actor, sid, "need_help", note="En stempassen", client_submission_id=_cid()
    )
    db.expire_all()
    assert db.get(StationState, sid).need_help_at == first.reported_at  # open since the first request
    info = chair.station_overview(db, actor, sid)
    assert info.help is not None and info.help.open and info.help.id == second.id
    assert info.help.text == "En stempassen" and info.need_help_at == first.reported_at

    cid = _cid()
    withdrawn = chair.withdraw_help(db, actor, sid, client_submission_id=cid)
    again = chair.withdraw_help(db, actor, sid, client_submission_id=cid)  # a double click
    assert again.duplicate and again.id == withdrawn.id and not withdrawn.duplicate
    assert _audits(db, "help_withdrawn") == 1
    entry = db.scalars(select(AuditLog).where(AuditLog.action == "help_withdrawn")).one()
    assert entry.before == {"need_help": True, "request_id": second.id, "text": "En stempassen"}
    assert entry.after == {"need_help": False, "request_id": second.id}
    db.expire_all()
    state = db.get(StationState, sid)
    assert (state.need_help, state.need_help_at, state.status) == (False, None, "open")
    info = chair.station_overview(db, actor, sid)
    assert info.help is not None and not info.help.open and info.help.by_chair and info.need_help_at is None
    with pytest.raises(Conflict):  # nothing open to withdraw
        chair.withdraw_help(db, actor, sid, client_submission_id=_cid())
    assert _audits(db, "help_withdrawn") == 1


def test_help_can_be_asked_before_opening_and_only_withdrawn_by_the_stations_own_chair(ctx):
    db, actor, sid = ctx
    chair.report_signal(db, actor, sid, "need_help", note="Sleutel past niet", client_submission_id=_cid())
    db.expire_all()
    assert db.get(StationState, sid).status == "problem"  # not opened yet, yet it needs help
    other = auth.sign_in_chair(db, demo_code(OWN, 2))
    with pytest.raises(NotAllowed):
        chair.withdraw_help(db, other, sid, client_submission_id=_cid())
    db.expire_all()
    assert db.get(StationState, sid).need_help and _audits(db, "help_withdrawn") == 0
    chair.withdraw_help(db, actor, sid, client_submission_id=_cid())
    db.expire_all()
    assert db.get(StationState, sid).status == "not_opened"


def test_text_that_cannot_be_stored_is_refused_at_its_field_and_nothing_is_stored(ctx):
    """A NUL character (PostgreSQL's text cannot hold it) or another control character in a chair's or
    the office's text is refused naming the field; before, the page said only "something went wrong"."""
    from app.services import office

    db, actor, sid = ctx
    _open(db, actor, sid)
    incidents_before = db.scalar(select(func.count()).select_from(Incident))
    with pytest.raises(InvalidInput) as incident:
        chair.raise_incident(
            db, actor, sid, "other", "De deur klemt\x00 sinds 8 uur", client_submission_id=_cid()
        )
    assert (incident.value.field, incident.value.message_key) == ("text", "error.text_characters")
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Incident)) == incidents_before
    with pytest.raises(InvalidInput) as members:
        chair.report_members(db, actor, sid, 4, names=["Jan\x1b[31m"], client_submission_id=_cid())
    assert members.value.field == "names"
    db.rollback()
    with pytest.raises(InvalidInput) as draft:
        counts.save_count_draft(db, actor, sid, {}, {"W.201": "Veel blanco\x00"})
    assert draft.value.field == "explanation.W.201"
    db.rollback()

    result = chair.raise_incident(db, actor, sid, "other", "Printer kapot", client_submission_id=_cid())
    staff = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
    with pytest.raises(InvalidInput) as reply:
        office.reply_incident(db, staff, result.id, "We komen\x00", client_submission_id=_cid())
    assert reply.value.field == "reply"
    db.rollback()
    with pytest.raises(InvalidInput) as assignee:
        office.assign_incident(db, staff, result.id, "x" * 201)
    assert (assignee.value.field, assignee.value.params["limit"]) == ("assignee", 200)
