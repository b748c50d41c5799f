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


# --- acceptance: a whole day of West Maas en Waal (21 stations, DSO) in the demo ------------------------

ACTIONS = {  # event kind → the audit action its service writes
    "opening": ("station_opened",),
    "members": ("members_reported",),
    "stock": ("stock_reported",),
    "signal": ("signal_reported",),
    "turnout": ("turnout_reported", "turnout_corrected"),
    "incident": ("incident_raised",),
    "closing": ("station_closed",),
    "count": ("count_submitted",),
    "count_corrected": ("count_corrected",),
    "count_returned": ("count_returned",),
    "count_accepted": ("count_accepted",),
}


def _fast_day(url: str, seed: int = 5, workers: int = 1):
    """``stemdag simulate --election GR2026 --municipality GM0668 --allow-real --fast --seed N``, in
    process: prepare and replay against the database at ``url``."""
    from sqlalchemy.orm import sessionmaker

    from app.storage.db import make_engine

    path = sources.source_file(WMW)
    _, results = sources.station_results(path)
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as db:
        day = simulator.prepare(
            db, SYSTEM, "GR2026", WMW, results, seed=seed, allow_real=True, curve=sources.intraday_curve()
        )
    stats = simulator.replay(factory, SYSTEM, [day], workers=workers)
    return engine, day, stats


def _stored_day(db) -> dict[str, list]:
    """Everything the day stored, keyed by station number (ids left out), in a stable order."""
    from app.storage.chair_models import (
        CountVersion,
        Incident,
        MemberReport,
        StationOpening,
        StockReport,
        TurnoutReport,
    )

    numbers = dict(
        db.execute(
            select(PollingStation.id, PollingStation.number).where(PollingStation.election_id == "GR2026")
        ).all()
    )
    out: dict[str, list] = {}
    for model, columns in (
        (StationOpening, ("opened_at", "is_late", "checklist")),
        (MemberReport, ("present_count",)),
        (StockReport, ("ballots_left", "low_stock")),
        (TurnoutReport, ("moment", "total_admitted_voters_count", "poll_card_count", "is_late")),
        (Incident, ("category", "severity", "text", "status")),
        (
            CountVersion,
            ("version", "status", "political_group_votes", "total_votes_cast_count", "returned_reason"),
        ),
    ):
        rows = db.scalars(select(model).order_by(model.reported_at, model.id)).all()
        out[model.__tablename__] = sorted(
            ((numbers[r.polling_station_id], r.reported_at, *(getattr(r, c) for c in columns)) for r in rows),
            key=repr,
        )
    return out


@pytest.fixture(scope="module")
def wmw_day(pg_admin_uri, demo_template_db):
    """The demo database after a --fast day of West Maas en Waal (once for the acceptance tests)."""
    from tests.conftest import _fresh

    fresh = _fresh(pg_admin_uri, demo_template_db)
    url = next(fresh)
    engine, day, stats = _fast_day(url)
    from sqlalchemy.orm import Session

    with Session(engine) as db:
        yield db, day, stats
    engine.dispose()
    next(fresh, None)


def test_a_fast_day_stores_exactly_the_official_results_per_station_list_and_candidate(wmw_day):
    from app.storage.chair_models import CountListVotes, CountVersion
    from etl.parsers.osv import parse_osv

    db, _, stats = wmw_day
    assert stats.refused == 0, stats.problems
    assert stats.by_kind["count_returned"] >= 2  # a few counts were returned and corrected
    official = {c.station_number: c for c in parse_osv(sources.source_file(WMW)).counts if c.station_number}
    assert len(official) == 21
    accepted = {
        number: row
        for number, row in db.execute(
            select(PollingStation.number, CountVersion)
            .join(CountVersion, CountVersion.polling_station_id == PollingStation.id)
            .where(CountVersion.election_id == "GR2026", CountVersion.status == "accepted")
        ).all()
    }
    assert set(accepted) == set(official)
    for number, count in official.items():
        row = accepted[number]
        assert row.counting_method == "DSO"
        for name in (
            "poll_card_count",
            "proxy_certificate_count",
            "total_admitted_voters_count",
            "blank_votes_count",
            "invalid_votes_count",
            "total_votes_cast_count",
        ):
            assert getattr(row, name) == (getattr(count, name) or 0), (number, name)
        stored_lists = dict(
            db.execute(
                select(CountListVotes.political_group_number, CountListVotes.votes).where(
                    CountListVotes.count_version_id == row.id
                )
            ).all()
        )
        assert stored_lists == dict(count.list_votes), number
        stored_candidates = {
            (g["number"], i): votes
            for g in row.political_group_votes
            for i, votes in enumerate(g["candidate_votes"], start=1)
            if votes
        }
        assert stored_candidates and stored_candidates == {
            k: v for k, v in count.candidate_votes.items() if v
        }, number


def test_a_fast_day_turnout_never_decreases_per_station(wmw_day):
    from app.storage.chair_models import TurnoutReport

    db, _, _ = wmw_day
    series: dict[int, list[int]] = {}
    for station, _moment, value in db.execute(
        select(
            TurnoutReport.polling_station_id,
            TurnoutReport.moment,
            TurnoutReport.total_admitted_voters_count,
        )
        .where(TurnoutReport.election_id == "GR2026")
        .order_by(TurnoutReport.polling_station_id, TurnoutReport.moment, TurnoutReport.id)
    ):
        series.setdefault(station, []).append(value)
    assert len(series) == 21
    for values in series.values():
        assert len(values) == 4 and values == sorted(values)


def test_a_fast_day_every_action_is_in_the_audit_log_at_the_simulated_time(wmw_day):
    import datetime as dt

    from app.storage.chair_models import StationOpening

    db, day, stats = wmw_day
    assert stats.done == len(day.events) and stats.refused == 0
    rows = dict(
        db.execute(
            select(AuditLog.action, func.count())
            .where(AuditLog.election_id == "GR2026", AuditLog.municipality_code == WMW)
            .group_by(AuditLog.action)
        ).all()
    )
    for kind, actions in ACTIONS.items():
        assert sum(rows.get(a, 0) for a in actions) == stats.by_kind.get(kind, 0), kind
    assert sum(stats.by_kind.values()) == len(day.events)
    # The reports carry the simulated clock of the demo election's day (today).
    opened = db.scalars(select(StationOpening.opened_at).where(StationOpening.election_id == "GR2026")).all()
    local = [t.astimezone(simulator.TZ) for t in opened]
    assert all(t.date() == day.election_date for t in local)
    assert all(dt.time(7, 0) <= t.time() <= dt.time(8, 0) for t in local)


def test_the_same_seed_gives_the_same_day_twice(wmw_day, pg_admin_uri, demo_template_db):
    from sqlalchemy.orm import Session

    from tests.conftest import _fresh

    db, _, _ = wmw_day
    fresh = _fresh(pg_admin_uri, demo_template_db)
    url = next(fresh)
    engine, _, stats = _fast_day(url)
    try:
        with Session(engine) as other:
            assert stats.refused == 0
            assert _stored_day(other) == _stored_day(db)
    finally:
        engine.dispose()
        next(fresh, None)


def test_replaying_a_day_again_changes_nothing(wmw_day, demo_db_url):
    """A day replayed again (``make run`` twice in one day) stores nothing new: the same submission ids."""
    db, _, _ = wmw_day
    engine, _, first = _fast_day(demo_db_url)
    engine.dispose()
    engine, _, again = _fast_day(demo_db_url)
    from sqlalchemy.orm import Session

    with Session(engine) as other:
        assert again.refused == 0 and again.done == first.done
        assert _stored_day(other) == _stored_day(db)
    engine.dispose()


def test_the_demo_has_the_candidates_of_its_dso_lists_and_loading_again_changes_nothing(demo_db):
    from app.storage.models import Candidate, PoliticalGroup
    from etl.demo import load_demo

    def per_municipality() -> dict[str, int]:
        return dict(
            demo_db.execute(
                select(PoliticalGroup.municipality_code, func.count())
                .join(Candidate, Candidate.political_group_id == PoliticalGroup.id)
                .where(PoliticalGroup.election_id == "GR2026")
                .group_by(PoliticalGroup.municipality_code)
            ).all()
        )

    assert per_municipality() == {"GM0668": 251, "GM0392": 383, "GM0268": 376}
    name = demo_db.execute(
        select(Candidate.last_name, Candidate.initials)
        .join(PoliticalGroup, Candidate.political_group_id == PoliticalGroup.id)
        .where(PoliticalGroup.municipality_code == WMW, PoliticalGroup.number == 1, Candidate.number == 1)
    ).one()
    assert tuple(name) == ("Reuvers", "R.A.N.")
    audit_rows = demo_db.scalar(select(func.count()).select_from(AuditLog))
    load_demo(demo_db)
    assert per_municipality() == {"GM0668": 251, "GM0392": 383, "GM0268": 376}
    assert demo_db.scalar(select(func.count()).select_from(AuditLog)) == audit_rows


def test_several_workers_store_the_same_day(wmw_day, demo_db_url):
    """--workers N (a load test: many chairs at once) stores per station what one worker stores."""
    db, _, _ = wmw_day
    engine, day, stats = _fast_day(demo_db_url, workers=3)
    from sqlalchemy.orm import Session

    with Session(engine) as other:
        assert stats.refused == 0 and stats.done == len(day.events)
        assert _stored_day(other) == _stored_day(db)
    engine.dispose()


# --- the simulation clock: the office follows the simulated day -----------------------------------------


def test_replay_keeps_the_simulation_clock_that_the_office_follows(demo_db_url, wmw):
    """At speed, the clock is advanced as the day goes (at most about once per simulated minute), the
    office's "now" is the simulated time during the run, and the real time again once it finished."""
    import datetime as dt

    from sqlalchemy.orm import Session

    from app.domain import simulation as sim
    from app.services import clock
    from app.storage.db import make_engine
    from app.storage.models import Election
    from app.storage.simulation_models import SimulationClock

    results, _ = wmw
    engine = make_engine(demo_db_url)
    with Session(engine) as db:
        today = db.get(Election, "GR2026").election_date
    events = [e for e in sim.plan_day(results, sim.DayConfig(seed=1)) if e.at < 10 * 3600]
    day = simulator.Prepared(
        "GR2026",
        WMW,
        1,
        {r.number: r.number for r in results},
        events,
        sim.DayConfig(),
        election_date=today,
        allow_real=True,
    )
    now = [0.0]
    seen: list[tuple[int, dt.datetime, bool]] = []

    def apply(db, _actor, _prepared, event):
        office_clock = clock.clock_for(db, "GR2026", WMW)
        seen.append((event.at, office_clock.now, office_clock.simulated))

    def sleep(seconds: float) -> None:
        now[0] += seconds

    stats = simulator.replay(
        lambda: Session(engine),
        SYSTEM,
        [day],
        start=7 * 3600,
        until=10 * 3600,
        speed=60,
        apply=apply,
        sleep=sleep,
        monotonic=lambda: now[0],
    )
    assert stats.done == len(events) and not stats.problems
    assert all(simulated for _, _, simulated in seen)
    for at, office_now, _ in seen:
        lag = simulator.simulated_time(day, at) - office_now
        assert dt.timedelta(0) <= lag <= dt.timedelta(minutes=2), (sim.clock(at), office_now)
        assert office_now.date() == today
    with Session(engine) as db:
        row = db.get(SimulationClock, ("GR2026", WMW))
        assert row is not None and row.finished_at is not None and row.allow_real and row.speed == 60
        assert row.simulated_now == simulator.simulated_time(day, max(e.at for e in events))
        assert not clock.clock_for(db, "GR2026", WMW).simulated  # finished: the real time again
    engine.dispose()


def test_a_fast_day_leaves_a_finished_clock_on_its_last_simulated_minute(wmw_day):
    from app.services import clock
    from app.storage.simulation_models import SimulationClock

    db, day, stats = wmw_day
    row = db.get(SimulationClock, ("GR2026", WMW))
    assert row is not None and row.finished_at is not None and row.allow_real and row.speed is None
    assert row.simulated_now == simulator.simulated_time(day, max(e.at for e in day.events))
    assert not clock.clock_for(db, "GR2026", WMW).simulated
    assert not any("clock" in p for p in stats.problems)
