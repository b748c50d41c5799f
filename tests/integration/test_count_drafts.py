"""The count form's draft (migration 0008): what a chair typed survives a reload, stays with the
station, is refused when it does not fit the form, and is gone once the version is submitted."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from app.domain.errors import Conflict, InvalidInput, NotAllowed
from app.services import auth, chair, counts
from app.storage import rls
from app.storage.chair_models import CountDraft
from app.storage.models import AuditLog, PollingStation
from etl.demo import DEMO_PASSWORD, demo_code
from tests.chair_day import today_at
from tests.integration.test_chair_services import _form, _open

OWN = "GM0392"
EVENING = today_at(21, 5)


@pytest.fixture
def ctx(demo_db):
    actor = auth.sign_in_chair(demo_db, demo_code(OWN, 1))
    return demo_db, actor, actor.polling_station_id


def _partial() -> dict:
    return {
        "poll_card_count": 120,
        "proxy_certificate_count": None,
        "total_admitted_voters_count": None,
        "admitted_voters_equal_votes_cast": True,
        "political_group_votes": [
            {"number": 1, "total": 40, "candidate_votes": [30, None, 10], "candidates_total": 40},
            {"number": 2, "total": None, "candidate_votes": [], "candidates_total": None},
        ],
    }


def test_a_draft_is_kept_for_the_next_version_and_replaced_not_added(ctx):
    db, actor, sid = ctx
    assert counts.count_setup(db, actor, sid).draft is None
    audit_rows = db.scalar(select(func.count()).select_from(AuditLog))
    kept = counts.save_count_draft(db, actor, sid, _partial(), {"W.201": "nageteld <b>"})
    assert kept.version == 1
    draft = counts.count_setup(db, actor, sid).draft
    assert draft is not None and draft.version == 1
    assert draft.form["poll_card_count"] == 120 and draft.form["total_admitted_voters_count"] is None
    assert draft.form["admitted_voters_equal_votes_cast"] is True
    assert draft.form["votes_cast_greater_than_admitted_voters"] is False  # every box is in the draft
    assert draft.form["political_group_votes"][0]["candidate_votes"] == [30, None, 10]
    assert draft.explanations == {"W.201": "nageteld <b>"}  # as typed; the page renders it inert
    counts.save_count_draft(db, actor, sid, {**_partial(), "poll_card_count": 121})
    assert db.scalar(select(func.count()).select_from(CountDraft)) == 1
    assert counts.count_setup(db, actor, sid).draft.form["poll_card_count"] == 121
    assert counts.count_setup(db, actor, sid).draft.explanations == {}
    # a draft is not a report: nothing in the audit log
    assert db.scalar(select(func.count()).select_from(AuditLog)) == audit_rows


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"poll_card_count": -1}, "poll_card_count"),
        ({"blank_votes_count": "12"}, "blank_votes_count"),
        ({"blank_votes_count": 1.5}, "blank_votes_count"),
        ({"admitted_voters_equal_votes_cast": "yes"}, "admitted_voters_equal_votes_cast"),
        ({"political_group_votes": [{"number": "1"}]}, "political_group_votes"),
        ({"political_group_votes": [{"number": 3, "total": -5}]}, "political_group_votes.3.total"),
        (
            {"political_group_votes": [{"number": 2, "candidate_votes": [1, True]}]},
            "political_group_votes.2.candidate_votes.2",
        ),
        ({"political_group_votes": [{"number": 1}] * (counts.MAX_DRAFT_LISTS + 1)}, "political_group_votes"),
    ],
)
def test_a_draft_that_does_not_fit_the_form_is_refused_naming_the_field_and_the_kept_one_stays(
    ctx, change, field
):
    db, actor, sid = ctx
    counts.save_count_draft(db, actor, sid, _partial())
    with pytest.raises(InvalidInput) as err:
        counts.save_count_draft(db, actor, sid, {**_partial(), **change})
    db.rollback()
    assert err.value.field == field
    assert counts.count_setup(db, actor, sid).draft.form["poll_card_count"] == 120


def test_a_draft_explanation_must_be_a_warning_code_and_not_too_long(ctx):
    db, actor, sid = ctx
    with pytest.raises(InvalidInput):
        counts.save_count_draft(db, actor, sid, _partial(), {"F.201": "x"})
    with pytest.raises(InvalidInput) as err:
        counts.save_count_draft(db, actor, sid, _partial(), {"W.201": "x" * 2001})
    assert err.value.message_key == "chair.error.text_too_long"
    db.rollback()
    assert counts.count_setup(db, actor, sid).draft is None


def test_a_chair_cannot_keep_or_see_a_draft_of_another_station(ctx, demo_db):
    db, actor, _sid = ctx
    other = db.scalar(
        select(PollingStation.id).where(PollingStation.municipality_code == OWN, PollingStation.number == 2)
    )
    with pytest.raises(NotAllowed):
        counts.save_count_draft(db, actor, other, _partial())
    db.rollback()
    other_chair = auth.sign_in_chair(db, demo_code(OWN, 2))
    counts.save_count_draft(db, other_chair, other, _partial())
    with pytest.raises(NotAllowed):
        counts.count_setup(db, actor, other)
    db.rollback()
    # row-level security: another municipality's scope does not see the draft at all
    rls.scope_session(db, "GM0268")
    assert db.scalar(select(func.count()).select_from(CountDraft)) == 0
    rls.scope_session(db, OWN)
    assert db.scalar(select(func.count()).select_from(CountDraft)) == 1
    rls.scope_session(db, None)


def test_submitting_the_count_deletes_its_draft_in_the_same_transaction_and_a_returned_count_starts_anew(
    ctx,
):
    db, actor, sid = ctx
    _open(db, actor, sid)
    chair.submit_closing(db, actor, sid, client_submission_id=str(uuid.uuid4()), now=EVENING)
    counts.save_count_draft(db, actor, sid, _partial())
    form = _form(db, actor, sid)
    # refused: the draft stays
    with pytest.raises(InvalidInput):
        counts.submit_count(
            db, actor, sid, {**form, "total_admitted_voters_count": 99}, {}, client_submission_id=uuid.uuid4()
        )
    db.rollback()
    assert counts.count_setup(db, actor, sid).draft is not None
    v1 = counts.submit_count(db, actor, sid, form, {}, client_submission_id=uuid.uuid4())
    assert db.scalar(select(func.count()).select_from(CountDraft)) == 0
    assert counts.count_setup(db, actor, sid).draft is None
    # a draft typed for version 1 elsewhere (another device, after v1 was sent) is not offered for v2
    db.add(
        CountDraft(
            polling_station_id=sid,
            election_id=actor.election_id,
            municipality_code=OWN,
            version=1,
            form=_partial(),
            explanations={},
        )
    )
    db.commit()
    assert counts.count_setup(db, actor, sid).draft is None
    office = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
    counts.return_count(db, office, v1.id, "Lijst 1 opnieuw tellen")
    assert counts.save_count_draft(db, actor, sid, _partial()).version == 2
    assert counts.count_setup(db, actor, sid).draft.version == 2
    v2 = counts.submit_count(db, actor, sid, form, {}, client_submission_id=uuid.uuid4())
    counts.accept_count(db, office, v2.id)
    with pytest.raises(Conflict):
        counts.save_count_draft(db, actor, sid, _partial())
