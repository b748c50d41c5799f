"""The count service against the real database: what it refuses to check, and that a refusal loses
nothing the chair typed."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import delete, func, select, update

from app.domain.errors import Conflict, InvalidInput
from app.services import auth, chair, counts
from app.storage.chair_models import CountDraft, CountVersion, StationState
from app.storage.models import AuditLog, Candidate, ElectionMunicipality, PoliticalGroup, PollingStation
from app.ui.texts import CATALOGUE
from etl.demo import demo_code
from tests import chair_day as day
from tests.chair_day import today_at

HAARLEM = "GM0392"  # counts decentrally (DSO) in the demo, its candidates loaded
EVENING = today_at(21, 5)


def _cid() -> str:
    return str(uuid.uuid4())


def _per_list_form(setup: counts.CountSetup, *, d: int = 100) -> dict:
    """A consistent count with every vote on list 1, per list only (no candidate columns)."""
    groups = [{"number": li.number, "total": d if li.number == 1 else 0} for li in setup.lists]
    return {
        "poll_card_count": d,
        "proxy_certificate_count": 0,
        "total_admitted_voters_count": d,
        "political_group_votes": groups,
        "votes_candidates_count": d,
        "blank_votes_count": 0,
        "invalid_votes_count": 0,
        "total_votes_cast_count": d,
        "admitted_voters_equal_votes_cast": True,
    }


def test_dso_without_candidates_is_not_checked_as_cso(demo_db):
    """A station at a decentral count (DSO) counts per candidate (N 10-1), and F.401-F.403 check each
    list total against its candidates. While the election's candidate lists are not loaded the count is
    refused with a message saying so, not silently checked as a central count (CSO) per list; the draft
    the chair typed is kept."""
    db = demo_db
    actor = auth.sign_in_chair(db, demo_code(HAARLEM, 1))
    sid = actor.polling_station_id
    station = db.get(PollingStation, sid)
    assert station is not None
    groups = select(PoliticalGroup.id).where(
        PoliticalGroup.election_id == station.election_id, PoliticalGroup.municipality_code == HAARLEM
    )
    assert counts.count_setup(db, actor, sid).counting_method == "DSO"
    db.execute(delete(Candidate).where(Candidate.political_group_id.in_(groups)))  # not loaded (yet)
    db.commit()
    setup = counts.count_setup(db, actor, sid)
    assert setup.counting_method == "DSO" and setup.lists and not any(li.candidates for li in setup.lists)
    assert setup.candidates_missing  # the page tells the chair before anything is typed
    items = [i["key"] for i in chair.station_overview(db, actor, sid).checklist_items]
    chair.submit_opening(db, actor, sid, items, client_submission_id=_cid())
    chair.submit_closing(db, actor, sid, client_submission_id=_cid(), now=EVENING)

    form = _per_list_form(setup)
    counts.save_count_draft(db, actor, sid, form)  # what the chair typed is kept

    # per list (before: checked as CSO, accepted) and with candidate columns (before: no candidate check)
    with_candidates = _per_list_form(setup)
    with_candidates["political_group_votes"][0].update(candidate_votes=[100], candidates_total=100)
    for typed in (form, with_candidates):
        with pytest.raises(InvalidInput) as err:
            counts.check_count(db, actor, sid, typed)
        assert err.value.message_key == "count.no_candidates"
        db.rollback()
        with pytest.raises(InvalidInput) as err:
            counts.submit_count(db, actor, sid, typed, {}, client_submission_id=_cid())
        assert err.value.message_key == "count.no_candidates"
        assert err.value.field == "political_group_votes"
        db.rollback()

    nl, en = CATALOGUE["count.no_candidates"]
    assert "kandidatenlijsten" in nl and "nog niet geladen" in nl and "verkiezingsbureau" in nl
    assert "candidate lists" in en and "not been loaded" in en and "election office" in en
    # nothing was stored, and the draft is still there for when the lists are loaded
    assert (
        db.scalar(
            select(func.count()).select_from(CountVersion).where(CountVersion.polling_station_id == sid)
        )
        == 0
    )
    draft = db.get(CountDraft, sid)
    assert draft is not None and draft.form["poll_card_count"] == 100
    kept = counts.count_setup(db, actor, sid).draft
    assert kept is not None and kept.form["political_group_votes"][0]["total"] == 100

    # the same count is fine as such: under central counting (CSO) it is checked per list and stored
    db.execute(
        update(ElectionMunicipality)
        .where(
            ElectionMunicipality.election_id == station.election_id,
            ElectionMunicipality.municipality_code == HAARLEM,
        )
        .values(counting_method="CSO")
    )
    db.commit()
    assert not counts.count_setup(db, actor, sid).candidates_missing
    assert counts.check_count(db, actor, sid, form).codes == ()
    assert counts.submit_count(db, actor, sid, form, {}, client_submission_id=_cid()).version == 1


# --- the office's review: the whole proces-verbaal, and reopening an accepted count ---------------------


def _office(db):
    from etl.demo import DEMO_PASSWORD

    return auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)


def _audits(db, action: str, version_id: int) -> list[AuditLog]:
    return list(
        db.scalars(
            select(AuditLog)
            .where(AuditLog.action == action, AuditLog.entity_id == str(version_id))
            .order_by(AuditLog.id)
        )
    )


def test_count_review_shows_the_whole_proces_verbaal_and_what_changed(demo_db):
    """Per list with its name, under DSO each list's candidates with their names, the boxes of the form
    (no C at a municipal election), the warnings with their official text and the chair's explanation;
    a correction shows what differs from the version before and every version."""
    db = demo_db
    actor, sid = day.sign_in(db, HAARLEM, 1)
    day.open_station(db, actor, sid)
    day.close_station(db, actor, sid)
    first = day.submit_count(db, actor, sid, [60, 30], blank=4)  # 4 blank of 94: W.201
    office = _office(db)
    counts.return_count(db, office, first, "Lijst 2 lijkt te laag; tel opnieuw.")

    review = counts.count_review(db, office, first)
    assert review.counting_method == "DSO" and review.election_kind == "GR"
    assert list(review.boxes) == ["A", "B", "D", "E", "F", "G", "H", "I", "J"]  # no C at a GR election
    assert review.boxes["D"] == 94 and review.boxes["F"] == 4 and review.boxes["H"] == 94
    assert review.compare == "equal" and review.explained is None
    groups = {
        g.number: g
        for g in db.scalars(select(PoliticalGroup).where(PoliticalGroup.municipality_code == HAARLEM))
    }
    lists = {li.number: li for li in review.lists}
    assert set(lists) == set(groups) and lists[1].name == groups[1].name
    assert lists[1].total == 60 and lists[2].total == 30 and lists[1].candidates_total == 60
    first_candidate = lists[1].candidates[0]
    assert first_candidate.number == 1 and first_candidate.votes == 60 and first_candidate.name
    assert sum(c.votes for c in lists[2].candidates) == 30
    (warning,) = review.warnings
    assert warning.code == "W.201" and warning.explanation == "Nageteld, klopt"
    assert "blanco" in warning.text_nl and "blank" in warning.text_en
    assert review.previous_version is None and review.differences == ()
    assert review.status == "returned" and not review.reviewable and not review.reopenable

    second = day.submit_count(db, actor, sid, [60, 34])  # corrected: list 2 and no blank votes
    review = counts.count_review(db, office, second)
    assert review.version == 2 and review.previous_version == 1 and review.reviewable
    changed = {(d.box, d.list_number, d.candidate_number): (d.before, d.after) for d in review.differences}
    assert changed[("list", 2, None)] == (30, 34)
    assert changed[("candidates_total", 2, None)] == (30, 34)
    assert changed[("candidate", 2, 1)] == (30, 34)
    assert changed[("F", None, None)] == (4, 0)
    assert ("list", 1, None) not in changed and ("D", None, None) not in changed  # 94 both times
    assert review.warnings == ()
    assert [(v.version, v.status) for v in review.versions] == [(2, "submitted"), (1, "returned")]
    assert review.versions[1].returned_reason == "Lijst 2 lijkt te laag; tel opnieuw."
    # the first version is still what was reported (paper leads), and is no longer the one to review
    assert counts.count_review(db, office, first).boxes["F"] == 4
    assert not counts.count_review(db, office, first).is_latest


def test_office_reopens_an_accepted_count_and_the_chair_corrects_it_as_a_new_version(demo_db):
    """Accepted is not final: when the paper proces-verbaal turns out to differ, the office reopens the
    count with a reason. The version goes back to the chair as returned (its figures as reported), in one
    transaction with its audit row, which keeps who accepted it; the chair submits version 2. Reopening
    needs a reason, is idempotent, and applies to the latest accepted version only."""
    db = demo_db
    actor, sid = day.sign_in(db, HAARLEM, 1)
    day.open_station(db, actor, sid)
    day.close_station(db, actor, sid)
    first = day.submit_count(db, actor, sid, [70, 29], blank=1)
    office = _office(db)

    with pytest.raises(Conflict) as err:  # submitted, not accepted: returned as usual, not reopened
        counts.reopen_count(db, office, first, "Papier wijkt af.")
    assert err.value.message_key == "count.not_reopenable"
    db.rollback()
    counts.accept_count(db, office, first)
    assert db.get(StationState, sid).count_status == "accepted"
    with pytest.raises(InvalidInput) as err:
        counts.reopen_count(db, office, first, "   ")
    assert err.value.field == "reason"
    db.rollback()
    assert db.get(CountVersion, first).status == "accepted"  # nothing changed

    reopened = counts.reopen_count(db, office, first, "Het papieren proces-verbaal wijkt af bij lijst 2.")
    assert (reopened.status, reopened.version, reopened.duplicate) == ("returned", 1, False)
    db.expire_all()
    row = db.get(CountVersion, first)
    assert row.status == "returned" and row.returned_reason.startswith("Het papieren")
    assert (row.total_votes_cast_count, row.blank_votes_count) == (100, 1)  # the figures as reported
    state = db.get(StationState, sid)
    assert (state.count_status, state.status) == ("returned", "count_returned")
    (audit_row,) = _audits(db, "count_reopened", first)
    assert audit_row.before["status"] == "accepted" and audit_row.before["reviewed_by"]
    assert audit_row.after["status"] == "returned" and audit_row.after["reason"].startswith("Het papieren")
    assert len(_audits(db, "count_accepted", first)) == 1  # the acceptance it undid stays in the log

    again = counts.reopen_count(db, office, first, "Het papieren proces-verbaal wijkt af bij lijst 2.")
    assert again.duplicate and again.status == "returned"
    assert len(_audits(db, "count_reopened", first)) == 1  # stored once

    # the chair sees it returned with the reason, and corrects it as version 2
    setup = counts.count_setup(db, actor, sid)
    assert setup.latest.status == "returned" and setup.latest.returned_reason.startswith("Het papieren")
    second = day.submit_count(db, actor, sid, [70, 30])
    assert db.get(CountVersion, second).version == 2
    counts.accept_count(db, office, second)
    # version 1 is returned already: asking again changes nothing, and version 2 stays accepted
    assert counts.reopen_count(db, office, first, "nog eens").duplicate
    db.expire_all()
    assert db.get(CountVersion, second).status == "accepted"
    assert [v.status for v in counts.count_review(db, office, second).versions] == ["accepted", "returned"]
    nl, en = CATALOGUE["count.not_reopenable"]
    assert "heropend" in nl and "reopened" in en

    # a version the office returned without accepting it is not "reopened already": refused, not a retry
    other, other_sid = day.sign_in(db, HAARLEM, 2)
    day.open_station(db, other, other_sid)
    day.close_station(db, other, other_sid)
    returned = day.submit_count(db, other, other_sid, [71, 29])
    counts.return_count(db, office, returned, "Lijst 1 klopt niet.")
    assert counts.return_count(db, office, returned, "Lijst 1 klopt niet.").duplicate  # a retry
    with pytest.raises(Conflict) as never_accepted:
        counts.reopen_count(db, office, returned, "Papier wijkt af.")
    assert never_accepted.value.message_key == "count.not_reopenable"
