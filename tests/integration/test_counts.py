"""The count service against the real database: what it refuses to check, and that a refusal loses
nothing the chair typed."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import delete, func, select, update

from app.domain.errors import InvalidInput
from app.services import auth, chair, counts
from app.storage.chair_models import CountDraft, CountVersion
from app.storage.models import Candidate, ElectionMunicipality, PoliticalGroup, PollingStation
from app.ui.texts import CATALOGUE
from etl.demo import demo_code
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
