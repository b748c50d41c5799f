"""The simulation clock (migration 0005, ``app/services/clock.py``) against the demo database: while a
simulator's clock is fresh, the office's time-based alerts follow the simulated time of day; a stale or
finished clock, or a clock of a real election the run was not allowed into, leaves the real time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.orm import Session

from app.domain.access import SYSTEM
from app.domain.alerts import Rule
from app.services import auth, clock, office, practice
from app.storage import rls
from app.storage.models import Base, Election
from app.storage.simulation_models import SimulationClock
from etl.demo import DEMO_ELECTION_ID as GR
from etl.demo import DEMO_PASSWORD

TZ = ZoneInfo("Europe/Amsterdam")
OWN, OTHER = "GM0392", "GM0268"  # Haarlem, Nijmegen


def _today_at(db: Session, election_id: str, hh: int, mm: int) -> dt.datetime:
    day = db.get(Election, election_id).election_date
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=TZ)


def _set_clock(
    db: Session,
    election_id: str,
    code: str,
    at: dt.datetime,
    *,
    allow_real: bool = True,
    age: dt.timedelta = dt.timedelta(0),
    finished: bool = False,
) -> None:
    """A simulation clock row as the simulator writes it (``updated_at`` ``age`` ago, on the DB clock)."""
    db.execute(
        delete(SimulationClock).where(
            SimulationClock.election_id == election_id, SimulationClock.municipality_code == code
        )
    )
    updated = db.scalar(select(func.now())) - age
    db.add(
        SimulationClock(
            election_id=election_id,
            municipality_code=code,
            simulated_now=at,
            speed=64.0,
            allow_real=allow_real,
            updated_at=updated,
            finished_at=updated if finished else None,
        )
    )
    db.commit()


@pytest.fixture
def haarlem(demo_db):
    return demo_db, auth.sign_in_staff(demo_db, "office.haarlem", DEMO_PASSWORD)


def _not_open(view: office.Overview) -> set[int]:
    return {a.station_id for a in view.alerts if a.rule == Rule.NOT_OPEN}


def test_the_not_open_alert_follows_the_simulated_clock(haarlem):
    db, own = haarlem
    _set_clock(db, GR, OWN, _today_at(db, GR, 7, 29))
    before = office.overview(db, own, GR, OWN)
    assert before.simulated and before.now.strftime("%H:%M") == "07:29"
    assert before.now.date() == db.get(Election, GR).election_date
    assert _not_open(before) == set() and before.not_open_after_opening == 0

    _set_clock(db, GR, OWN, _today_at(db, GR, 7, 31))
    after = office.overview(db, own, GR, OWN)
    assert after.simulated and after.now.strftime("%H:%M") == "07:31"
    assert after.stations_total > 0 and after.stations_open == 0
    assert _not_open(after) == {row.station_id for row in after.stations}
    assert after.not_open_after_opening == after.stations_total
    late = next(a for a in after.alerts if a.rule == Rule.NOT_OPEN)
    assert late.params["late"] == 1
    # The station detail (map) runs on the same clock.
    detail = office.station_detail(db, own, after.stations[0].station_id)
    assert detail.row.state.value == "not_opened"


def test_a_stale_or_finished_clock_falls_back_to_real_time(haarlem):
    db, own = haarlem
    at = _today_at(db, GR, 7, 31)
    _set_clock(db, GR, OWN, at, age=dt.timedelta(minutes=3))
    stale = office.overview(db, own, GR, OWN)
    real = dt.datetime.now(TZ)
    assert not stale.simulated and abs(stale.now - real) < dt.timedelta(seconds=30)
    assert clock.reading(db, GR, OWN) is not None  # the row is there, only too old

    _set_clock(db, GR, OWN, at, age=dt.timedelta(seconds=90))  # within ~2 minutes: still running
    assert office.overview(db, own, GR, OWN).simulated

    _set_clock(db, GR, OWN, at, finished=True)
    assert not office.overview(db, own, GR, OWN).simulated


def test_a_real_election_ignores_a_clock_the_run_was_not_allowed_to_write(haarlem):
    db, own = haarlem
    _set_clock(db, GR, OWN, _today_at(db, GR, 7, 31), allow_real=False)
    view = office.overview(db, own, GR, OWN)
    assert not view.simulated
    assert not clock.clock_for(db, GR, OWN).simulated


def test_a_practice_election_follows_its_clock_and_the_wipe_removes_it(haarlem):
    db, _ = haarlem
    eid = practice.start_practice(db, SYSTEM, OWN, issue_codes=False).election_id
    _set_clock(db, eid, OWN, _today_at(db, eid, 13, 47), allow_real=False)
    assert clock.clock_for(db, eid, OWN).simulated
    assert clock.now_for(db, eid, OWN).strftime("%H:%M") == "13:47"
    assert not clock.clock_for(db, GR, OWN).simulated  # the real election of the same municipality
    practice.wipe_practice(db, SYSTEM, OWN, eid)
    db.commit()
    assert clock.reading(db, eid, OWN) is None


def test_an_explicit_now_is_never_simulated(haarlem):
    db, own = haarlem
    _set_clock(db, GR, OWN, _today_at(db, GR, 7, 31))
    fixed = _today_at(db, GR, 7, 0)
    view = office.overview(db, own, GR, OWN, now=fixed)
    assert view.now == fixed and not view.simulated and not _not_open(view)


def test_row_level_security_keeps_a_clock_in_its_municipality(haarlem):
    db, _ = haarlem
    _set_clock(db, GR, OWN, _today_at(db, GR, 7, 31))
    rls.scope_session(db, OTHER)
    try:
        assert clock.reading(db, GR, OWN) is None
        assert db.scalar(select(func.count()).select_from(SimulationClock)) == 0
    finally:
        db.rollback()
        rls.scope_session(db, None)
    rls.scope_session(db, OWN)
    try:
        assert clock.reading(db, GR, OWN) is not None
    finally:
        db.rollback()
        rls.scope_session(db, None)
    policies = db.scalar(text("SELECT count(*) FROM pg_policies WHERE tablename = 'simulation_clock'"))
    assert policies == 2


def test_the_table_matches_its_class(db_url):
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = [d for d in compare_metadata(context, Base.metadata) if "simulation_clock" in repr(d)]
    finally:
        engine.dispose()
    assert diffs == []
