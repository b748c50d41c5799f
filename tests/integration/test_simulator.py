"""The election-day simulator against a real PostgreSQL with the demo loaded: preparing a day (who may,
which elections, synthetic stations for --stations N) and replaying it through the chair and office
services (counts equal the official per-station results, turnout never decreases, everything audited,
the same seed gives the same day)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.domain.access import SYSTEM, Actor, Role
from app.domain.errors import NotAllowed
from app.services import practice, simulator
from app.storage.models import AuditLog, PollingStation
from etl import simulation as sources

WMW = "GM0668"


@pytest.fixture(scope="module")
def wmw():
    path = sources.source_file(WMW)
    return sources.station_results(path)[1], sources.list_names(path)


def _stations(db, election_id: str) -> int:
    query = select(func.count()).select_from(PollingStation)
    return db.scalar(
        query.where(PollingStation.election_id == election_id, PollingStation.municipality_code == WMW)
    )


def test_the_simulator_refuses_a_real_election_unless_allowed_and_a_non_admin(demo_db, wmw):
    results, _ = wmw
    with pytest.raises(NotAllowed):
        simulator.prepare(demo_db, SYSTEM, "GR2026", WMW, results)
    office = Actor(role=Role.OFFICE, name="office", user_id=1, municipality_code=WMW)
    with pytest.raises(NotAllowed):
        simulator.prepare(demo_db, office, "GR2026", WMW, results, allow_real=True)
    other = Actor(role=Role.ADMIN, name="admin Haarlem", user_id=2, municipality_code="GM0392")
    with pytest.raises(NotAllowed):
        simulator.prepare(demo_db, other, "GR2026", WMW, results, allow_real=True)


def test_prepare_plans_the_stations_of_the_election_in_a_practice_election(demo_db, wmw):
    results, names = wmw
    eid = practice.start_practice(demo_db, SYSTEM, WMW, issue_codes=False).election_id
    day = simulator.prepare(demo_db, SYSTEM, eid, WMW, results, seed=3, list_names=names)
    assert sorted(day.station_ids) == sorted(r.number for r in results)
    assert day.config.counting_method == "DSO" and day.config.turnout_moments
    again = simulator.prepare(demo_db, SYSTEM, eid, WMW, results, seed=3, list_names=names)
    assert simulator.plans_equal([day], [again])
    assert (
        demo_db.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "simulation_started")
        )
        == 2
    )


def test_stations_n_sets_up_synthetic_stations_through_setup(demo_db, wmw):
    results, names = wmw
    eid = practice.start_practice(demo_db, SYSTEM, WMW, issue_codes=False).election_id
    seen = []
    day = simulator.prepare(
        demo_db, SYSTEM, eid, WMW, results, stations=60, list_names=names, progress=seen.append
    )
    assert _stations(demo_db, eid) == 60 and len(day.station_ids) == 60
    assert seen and seen[-1] == 60 - 21  # only the missing ones were added
    added = (
        select(func.count())
        .select_from(AuditLog)
        .where(AuditLog.action == "station_added", AuditLog.election_id == eid)
    )
    assert demo_db.scalar(added) == 60 - 21
    assert _stations(demo_db, "GR2026") == 21


def test_replay_keeps_the_simulated_clock_stops_at_until_and_goes_on_after_a_refusal(demo_db_url, wmw):
    from sqlalchemy.orm import Session

    from app.domain import simulation as sim
    from app.domain.errors import Conflict
    from app.storage.db import make_engine

    results, _ = wmw
    events = sim.plan_day(results, sim.DayConfig(seed=1))
    day = simulator.Prepared(
        "OEF2026GM0668", WMW, 1, {r.number: r.number for r in results}, events, sim.DayConfig()
    )
    now = [0.0]
    done: list[tuple[float, int]] = []

    def apply(_db, _actor, _prepared, event):
        done.append((now[0], event.at))
        if event.kind == sim.SIGNAL:
            raise Conflict("refused", key="error.conflict")

    def sleep(seconds: float) -> None:
        now[0] += seconds

    engine = make_engine(demo_db_url)
    stats = simulator.replay(
        lambda: Session(engine),
        SYSTEM,
        [day],
        start=12 * 3600,
        until=22 * 3600,
        speed=60,
        apply=apply,
        sleep=sleep,
        monotonic=lambda: now[0],
    )
    engine.dispose()
    assert all(at < 22 * 3600 for _, at in done) and len(done) == sum(1 for e in events if e.at < 22 * 3600)
    for real, at in done:
        if at > 12 * 3600:  # on the clock: a simulated minute per real second
            assert real >= (at - 12 * 3600) / 60
        else:  # the morning catches up at once
            assert real == 0
    assert stats.refused == sum(1 for e in events if e.kind == sim.SIGNAL and e.at < 22 * 3600) > 0
    assert stats.done + stats.refused == len(done)
    assert simulator.speed_for(15) == 64
