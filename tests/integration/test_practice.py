"""Practice elections: start a copy of a municipality's stations and lists, never mixed with the real
election, and wipe it in one transaction (audited; the audit log keeps its rows)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.domain.access import SYSTEM, Actor, Role
from app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.services import auth, practice
from app.storage.models import AuditLog, Election, PoliticalGroup, PollingStation, StationAccessCode

WMW = "GM0668"


def _stations(db, election_id: str) -> int:
    query = select(func.count()).select_from(PollingStation)
    return db.scalar(
        query.where(PollingStation.election_id == election_id, PollingStation.municipality_code == WMW)
    )


def test_start_copies_stations_and_lists_into_a_practice_election_with_codes(demo_db):
    result = practice.start_practice(demo_db, SYSTEM, WMW)
    assert result.election_id.startswith("OEF") and result.election_id.endswith(WMW)
    assert result.source_election_id == "GR2026"
    election = demo_db.get(Election, result.election_id)
    assert election.is_practice and election.kind == "GR"
    assert result.stations == _stations(demo_db, "GR2026") == _stations(demo_db, result.election_id) == 21
    lists = select(func.count()).select_from(PoliticalGroup)
    assert demo_db.scalar(lists.where(PoliticalGroup.election_id == result.election_id)) == result.lists > 0
    # A chair signs in with the practice code and lands in the practice election, not the real one.
    actor = auth.sign_in_chair(demo_db, result.codes[1])
    assert actor.election_id == result.election_id
    assert practice.find_practice(demo_db, SYSTEM, WMW) == result.election_id
    with pytest.raises(Conflict):
        practice.start_practice(demo_db, SYSTEM, WMW)


def test_a_practice_election_is_never_mixed_with_a_real_one(demo_db):
    eid = practice.start_practice(demo_db, SYSTEM, WMW, issue_codes=False).election_id
    with pytest.raises(Conflict):
        practice.require_same_kind(demo_db, eid, "GR2026")
    practice.require_same_kind(demo_db, "GR2026", "GR2026")
    with pytest.raises(Conflict):
        practice.start_practice(demo_db, SYSTEM, "GM0392", source_election_id=eid)
    with pytest.raises(InvalidInput):
        practice.wipe_practice(demo_db, SYSTEM, WMW, election_id="GR2026")
    assert _stations(demo_db, "GR2026") == 21


def test_wipe_deletes_the_practice_and_its_data_in_one_transaction_and_is_audited(demo_db):
    result = practice.start_practice(demo_db, SYSTEM, WMW)
    eid = result.election_id
    auth.sign_in_chair(demo_db, result.codes[2])  # practice activity in the audit log
    audit_before = demo_db.scalar(
        select(func.count()).select_from(AuditLog).where(AuditLog.election_id == eid)
    )
    wiped = practice.wipe_practice(demo_db, SYSTEM, WMW)
    assert wiped.election_id == eid and wiped.rows_deleted["polling_station"] == 21
    assert demo_db.get(Election, eid) is None
    assert _stations(demo_db, eid) == 0
    codes_left = (
        select(func.count())
        .select_from(StationAccessCode)
        .join(PollingStation, PollingStation.id == StationAccessCode.polling_station_id)
    )
    assert demo_db.scalar(codes_left.where(PollingStation.election_id == eid)) == 0
    assert _stations(demo_db, "GR2026") == 21  # the real election is untouched
    actions = demo_db.scalars(select(AuditLog.action).where(AuditLog.election_id == eid)).all()
    assert "practice_started" in actions and "practice_wiped" in actions
    assert len(actions) == audit_before + 1  # append-only: nothing of the practice left the log
    with pytest.raises(NotFound):
        practice.wipe_practice(demo_db, SYSTEM, WMW)
    # and a new practice can be started after the wipe
    assert practice.start_practice(demo_db, SYSTEM, WMW, issue_codes=False).election_id == eid


def test_only_an_admin_of_the_municipality_starts_or_wipes(demo_db):
    other = Actor(role=Role.ADMIN, name="admin Haarlem", user_id=1, municipality_code="GM0392")
    office = Actor(role=Role.OFFICE, name="office WMW", user_id=2, municipality_code=WMW)
    for actor in (other, office):
        with pytest.raises(NotAllowed):
            practice.start_practice(demo_db, actor, WMW)
    own = Actor(role=Role.ADMIN, name="admin WMW", user_id=3, municipality_code=WMW)
    eid = practice.start_practice(demo_db, own, WMW, issue_codes=False).election_id
    with pytest.raises(NotAllowed):
        practice.wipe_practice(demo_db, other, WMW)
    assert practice.wipe_practice(demo_db, own, WMW).election_id == eid


def test_another_municipality_cannot_join_a_practice_election_and_block_its_wipe(demo_db):
    from app.services import admin
    from etl.demo import DEMO_PASSWORD

    eid = practice.start_practice(demo_db, SYSTEM, WMW, issue_codes=False).election_id
    haarlem_admin = auth.sign_in_staff(demo_db, "admin.haarlem", DEMO_PASSWORD)
    with pytest.raises(Conflict) as err:
        admin.save_election_municipality(
            demo_db, haarlem_admin, eid, "GM0392", electorate=1000, counting_method="CSO", council_size=39
        )
    assert err.value.message_key == "admin.practice_not_shared"
    demo_db.rollback()
    assert practice.wipe_practice(demo_db, SYSTEM, WMW).election_id == eid
