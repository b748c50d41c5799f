"""The election-day simulator: replays a planned day (``app.domain.simulation``) through the same
services as the forms, signed in as each station's chair and as the municipality's office staff.

- :func:`prepare` checks who may run it (an administrator of the municipality), refuses a real
  election unless told otherwise (only practice and demo elections are simulated into), sets up extra
  synthetic stations for ``--stations N`` through ``app.services.setup``, and plans the day.
- :func:`replay` runs the events in time order: at ``speed`` simulated seconds per real second, or as
  fast as the database allows. Every event is one service call in its own transaction, with a
  ``client_submission_id`` derived from (election, station, seed, event), so running the same day again
  changes nothing.
- While it replays, it keeps the simulation clock of each day (``simulation_clock``, :class:`DayClock`):
  reset when the replay begins, advanced at most about once per simulated minute, marked finished at
  the end. The office's time-based views follow it (``app/services/clock.py``).
- Each station's chair is an :class:`Actor` with role CHAIR for that station, issued by
  :func:`chair_actor` (audited, like a sign-in); the office is a staff account ``simulator.<gm####>``
  without a password (it can never sign in), issued by :func:`office_actor`.

The sources (osv4-3 results, the intraday curve) are read by ``etl.simulation``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.domain import access
from app.domain import simulation as sim
from app.domain.access import Actor, Role
from app.domain.errors import InvalidInput, NotAllowed, NotFound, StemdagError
from app.domain.ids import municipality_code as normalise_municipality
from app.services import audit, authz, chair, counts, setup
from app.storage.chair_models import CountVersion
from app.storage.models import (
    Candidate,
    Election,
    ElectionMunicipality,
    Municipality,
    PoliticalGroup,
    PollingStation,
    StaffUser,
)

TZ = zoneinfo.ZoneInfo("Europe/Amsterdam")
NAMESPACE = uuid.UUID("6f1d3c52-8a5e-4f7b-9c1e-5a8d2b7e4c10")
SIMULATOR_NAME = "Simulator"


@dataclass
class Prepared:
    """A planned day for one municipality, ready to replay."""

    election_id: str
    municipality_code: str
    seed: int
    station_ids: dict[int, int]  # station number → polling_station.id
    events: list[sim.Event]
    config: sim.DayConfig
    chairs: dict[int, Actor] = field(default_factory=dict)
    office: Actor | None = None
    count_ids: dict[int, tuple[int, int]] = field(default_factory=dict)
    """station number → (version, id) of the count version this run submitted last"""
    election_date: dt.date | None = None
    """the simulated day's date (the election's); ``None``: today"""
    allow_real: bool = False
    """the election is not a practice election and the run was explicitly allowed into it (the demo);
    only then does the office of a real election follow this run's simulation clock"""


@dataclass
class ReplayStats:
    done: int = 0
    skipped: int = 0
    refused: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def submission_id(prepared: Prepared, station: int, key: str) -> str:
    """The event's ``client_submission_id``: the same for the same day, station, seed and event."""
    name = f"{prepared.election_id}/{prepared.municipality_code}/{station}/{prepared.seed}/{key}"
    return str(uuid.uuid5(NAMESPACE, name))


# --- actors -------------------------------------------------------------------------------------------


def chair_actor(db: Session, actor: Actor, polling_station_id: int) -> Actor:
    """The chair of a station as the simulator acts for it (as ``auth.sign_in_chair`` would make it),
    issued to an administrator of the station's municipality and audited as a sign-in."""
    authz.require_role(db, actor, Role.ADMIN)
    station = db.get(PollingStation, polling_station_id)
    if station is None:
        raise NotFound("station", key="error.not_found")
    authz.require_municipality(db, actor, station.municipality_code)
    chair = Actor(
        role=Role.CHAIR,
        name=f"{station.number} {station.name} ({SIMULATOR_NAME})"[:200],
        municipality_code=station.municipality_code,
        election_id=station.election_id,
        polling_station_id=station.id,
        station_number=station.number,
    )
    audit.record(
        db,
        chair,
        "sign_in",
        entity="polling_station",
        entity_id=station.id,
        after={"simulated": True, "issued_by": actor.name},
    )
    return chair


def office_actor(db: Session, actor: Actor, municipality_code: str) -> Actor:
    """Office staff of the municipality as the simulator acts for it: the staff account
    ``simulator.<gm####>`` (made when missing, without a password: it can never sign in)."""
    authz.require_role(db, actor, Role.ADMIN)
    code = normalise_municipality(municipality_code)
    authz.require_municipality(db, actor, code)
    username = f"simulator.{code.lower()}"
    user = db.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        user = StaffUser(
            username=username,
            display_name=f"{SIMULATOR_NAME} ({code})",
            password_hash=None,
            role=Role.OFFICE.value,
            municipality_code=code,
            is_active=True,
        )
        db.add(user)
        db.flush()
        audit.record(
            db,
            actor,
            "user_added",
            entity="staff_user",
            entity_id=user.id,
            municipality_code=code,
            after={"username": username, "role": "office", "simulator": True, "password": None},
        )
    office = Actor(role=Role.OFFICE, name=user.display_name, user_id=user.id, municipality_code=code)
    audit.record(db, office, "sign_in", entity="staff_user", entity_id=user.id, after={"simulated": True})
    return office


# --- preparing a day ------------------------------------------------------------------------------------


def ensure_stations(
    db: Session,
    actor: Actor,
    election_id: str,
    municipality_code: str,
    results: Sequence[sim.StationResult],
    *,
    progress: Callable[[int], None] | None = None,
    batch: int = 500,
) -> dict[int, int]:
    """Make sure a station exists for every result (adds the missing ones through
    ``setup.upsert_station``, committing per batch). Returns station number → id."""
    authz.require_role(db, actor, Role.ADMIN)
    authz.require_municipality(db, actor, municipality_code)
    existing = dict(
        db.execute(
            select(PollingStation.number, PollingStation.id).where(
                PollingStation.election_id == election_id,
                PollingStation.municipality_code == municipality_code,
            )
        ).all()
    )
    missing = [r for r in results if r.number not in existing]
    for i, result in enumerate(missing, start=1):
        row = setup.upsert_station(
            db, actor, election_id, municipality_code, result.number, name=result.name[:300]
        )
        existing[result.number] = row.id
        if i % batch == 0:
            db.commit()
            if progress:
                progress(i)
    db.commit()
    if progress and missing:
        progress(len(missing))
    return {r.number: existing[r.number] for r in results}


def prepare(
    db: Session,
    actor: Actor,
    election_id: str,
    municipality_code: str,
    results: Sequence[sim.StationResult],
    *,
    seed: int = 0,
    stations: int | None = None,
    curve: tuple[tuple[int, Fraction], ...] = sim.DEFAULT_CURVE,
    allow_real: bool = False,
    list_names: Mapping[int, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Prepared:
    """Plan the day of ``municipality_code`` in ``election_id`` from ``results`` (a past election's
    per-station counts). With ``stations`` the day has that many stations (replicated from ``results``;
    missing stations are set up). Without it, the stations of the election that have a result."""
    authz.require_role(db, actor, Role.ADMIN)
    code = normalise_municipality(municipality_code)
    authz.require_municipality(db, actor, code)
    election = db.get(Election, election_id)
    if election is None or db.get(Municipality, code) is None:
        raise NotFound("election", key="error.not_found")
    part = db.get(ElectionMunicipality, (election.id, code))
    if part is None:
        raise NotFound("municipality not in election", key="simulator.no_stations")
    if not election.is_practice and not allow_real:
        raise NotAllowed(
            "the simulator writes only into practice or demo elections", key="simulator.real_election"
        )
    if stations is not None:
        if stations <= 0:
            raise InvalidInput("stations", field="stations", key="error.positive_integer")
        chosen = sim.replicate(results, stations)
        station_ids = ensure_stations(db, actor, election.id, code, chosen, progress=progress)
    else:
        numbers = dict(
            db.execute(
                select(PollingStation.number, PollingStation.id).where(
                    PollingStation.election_id == election.id, PollingStation.municipality_code == code
                )
            ).all()
        )
        chosen = [r for r in results if r.number in numbers]
        station_ids = {r.number: numbers[r.number] for r in chosen}
    if not chosen:
        raise NotFound("no stations", key="simulator.no_stations")
    known = set(
        db.scalars(
            select(PoliticalGroup.number).where(
                PoliticalGroup.election_id == election.id, PoliticalGroup.municipality_code == code
            )
        )
    )
    for number in sorted({n for r in chosen for n, _ in r.list_votes} - known):
        name = (list_names or {}).get(number) or f"Lijst {number}"
        setup.upsert_political_group(db, actor, election.id, code, number, name)
    groups = dict(
        db.execute(
            select(PoliticalGroup.number, PoliticalGroup.id).where(
                PoliticalGroup.election_id == election.id, PoliticalGroup.municipality_code == code
            )
        ).all()
    )
    lists = None
    if part.counting_method == "DSO":
        sizes = dict(
            db.execute(
                select(Candidate.political_group_id, func.count())
                .where(Candidate.political_group_id.in_(list(groups.values())))
                .group_by(Candidate.political_group_id)
            ).all()
        )
        if sizes:  # candidates set up: the plan is checked as the count service will check it
            lists = {number: int(sizes.get(gid, 0)) for number, gid in groups.items()}
    config = sim.DayConfig(
        seed=seed,
        turnout_moments=tuple(election.turnout_moments or ()),
        counting_method=part.counting_method,
        election_kind=election.kind,
        low_stock_threshold=election.low_stock_threshold,
        checklist_keys=tuple(item["key"] for item in (election.checklist_items or []) if "key" in item),
        curve=curve,
    )
    try:
        events = sim.plan_day(chosen, config, lists=lists)
    except ValueError as err:
        raise InvalidInput(str(err), field="results", key="simulator.bad_results", problem=str(err)) from None
    day = election.election_date
    first = min((e.at for e in events), default=0)
    last = max((e.at for e in events), default=0)
    midnight = dt.datetime.combine(day, dt.time(0, 0), tzinfo=TZ)
    begins, ends = midnight + dt.timedelta(seconds=first), midnight + dt.timedelta(seconds=last)
    window = access.election_access_window(
        election.access_from, election.access_until, election.election_date, TZ
    )
    if begins < window[0] or ends >= window[1]:
        raise NotAllowed(
            "the simulated day is outside the election's access window",
            key="simulator.outside_window",
            begins=f"{begins:%Y-%m-%d %H:%M}",
            ends=f"{ends:%Y-%m-%d %H:%M}",
        )
    audit.record(
        db,
        actor,
        "simulation_started",
        entity="election",
        entity_id=election.id,
        municipality_code=code,
        election_id=election.id,
        after={"seed": seed, "stations": len(chosen), "events": len(events)},
    )
    db.commit()
    return Prepared(
        election.id,
        code,
        seed,
        station_ids,
        events,
        config,
        election_date=day,
        allow_real=not election.is_practice,
    )


# --- replaying ------------------------------------------------------------------------------------------


def _actor_for(db: Session, issuer: Actor, prepared: Prepared, event: sim.Event) -> Actor:
    """The office or the station's chair; issued (and its sign-in audited and committed) on first use."""
    if event.by_office:
        if prepared.office is None:
            prepared.office = office_actor(db, issuer, prepared.municipality_code)
            db.commit()
        return prepared.office
    station_chair = prepared.chairs.get(event.station)
    if station_chair is None:
        station_chair = chair_actor(db, issuer, prepared.station_ids[event.station])
        db.commit()
        prepared.chairs[event.station] = station_chair
    return station_chair


def simulated_time(prepared: Prepared, at: int) -> dt.datetime:
    """The moment ``at`` (seconds after midnight) of the simulated day, on the election's date in
    Europe/Amsterdam (wall clock: 07:30 is 07:30 local, also on a day with a clock change)."""
    midnight = dt.datetime.combine(prepared.election_date or dt.date.today(), dt.time(0, 0), tzinfo=TZ)
    return midnight + dt.timedelta(seconds=at)


def _count_version_id(db: Session, prepared: Prepared, station_id: int, station: int, version: int) -> int:
    """The id of the station's count version ``version``: the one this run submitted, else the stored one
    (a day that is replayed again, or resumed after a stop, finds the versions it stored before)."""
    known = prepared.count_ids.get(station)
    if known is not None and known[0] == version:
        return known[1]
    found = db.scalar(
        select(CountVersion.id).where(
            CountVersion.polling_station_id == station_id, CountVersion.version == version
        )
    )
    if found is None:
        raise NotFound("count_version", key="error.not_found")
    return int(found)


def perform(
    db: Session, actor: Actor, prepared: Prepared, station_id: int, event: sim.Event, client_id: str
) -> Any:
    """The service call of one event (the same call the form makes), at the simulated time: every
    report carries the simulated clock, so the office's time-based alerts follow the simulated day."""
    p = event.payload
    kind = event.kind
    now = simulated_time(prepared, event.at)
    if kind == sim.OPENING:
        return chair.submit_opening(
            db, actor, station_id, list(p["checklist"]), client_submission_id=client_id, now=now
        )
    if kind == sim.MEMBERS:
        return chair.report_members(
            db, actor, station_id, int(p["present"]), client_submission_id=client_id, now=now
        )
    if kind == sim.STOCK:
        return chair.report_stock(
            db, actor, station_id, int(p["ballots_remaining"]), client_submission_id=client_id, now=now
        )
    if kind == sim.SIGNAL:
        return chair.report_signal(
            db, actor, station_id, str(p["signal"]), client_submission_id=client_id, now=now
        )
    if kind == sim.TURNOUT:
        return chair.submit_turnout(
            db,
            actor,
            station_id,
            str(p["moment"]),
            int(p["admitted_voters"]),
            poll_card_count=p.get("poll_card_count"),
            proxy_certificate_count=p.get("proxy_certificate_count"),
            voter_card_count=p.get("voter_card_count"),
            client_submission_id=client_id,
            now=now,
        )
    if kind == sim.INCIDENT:
        return chair.raise_incident(
            db,
            actor,
            station_id,
            str(p["category"]),
            str(p["description"]),
            severity=p.get("severity", "medium"),
            client_submission_id=client_id,
            now=now,
        )
    if kind == sim.CLOSING:
        return chair.submit_closing(db, actor, station_id, client_submission_id=client_id, now=now)
    if kind in (sim.COUNT, sim.COUNT_CORRECTED):
        result = counts.submit_count(
            db,
            actor,
            station_id,
            dict(p["form"]),
            dict(p["explanations"]),
            client_submission_id=client_id,
            now=now,
        )
        prepared.count_ids[event.station] = (result.version, result.id)
        return result
    if kind == sim.COUNT_RETURNED:
        version_id = _count_version_id(db, prepared, station_id, event.station, int(p["version"]))
        return counts.return_count(
            db, actor, version_id, str(p["reason"]), client_submission_id=client_id, now=now
        )
    if kind == sim.COUNT_ACCEPTED:
        version_id = _count_version_id(db, prepared, station_id, event.station, int(p["version"]))
        return counts.accept_count(db, actor, version_id, client_submission_id=client_id, now=now)
    raise ValueError(f"unknown event kind {kind!r}")


def apply_event(db: Session, issuer: Actor, prepared: Prepared, event: sim.Event) -> Any:
    """Do one event through its service, as the station's chair (or the office)."""
    actor = _actor_for(db, issuer, prepared, event)
    station_id = prepared.station_ids[event.station]
    client_id = submission_id(prepared, event.station, event.key)
    return perform(db, actor, prepared, station_id, event, client_id)


# --- the simulation clock -------------------------------------------------------------------------------

#: One row per day: inserted only for a municipality that takes part in the election (a plan of an unknown
#: election writes nothing); kept monotonic while running (several workers), reset when a replay begins.
_CLOCK_UPSERT = text(
    """
    INSERT INTO simulation_clock AS c
        (election_id, municipality_code, simulated_now, speed, allow_real, started_at, updated_at,
         finished_at)
    SELECT em.election_id, em.municipality_code, :simulated_now, :speed, :allow_real, now(), now(),
           CASE WHEN :finish THEN now() END
    FROM election_municipality em
    WHERE em.election_id = :election_id AND em.municipality_code = :municipality_code
    ON CONFLICT (election_id, municipality_code) DO UPDATE SET
        simulated_now = CASE WHEN :reset THEN EXCLUDED.simulated_now
                             ELSE GREATEST(c.simulated_now, EXCLUDED.simulated_now) END,
        speed = EXCLUDED.speed,
        allow_real = EXCLUDED.allow_real,
        started_at = CASE WHEN :reset THEN now() ELSE c.started_at END,
        updated_at = now(),
        finished_at = EXCLUDED.finished_at
    """
)


class DayClock:
    """The simulation clock of the days being replayed (``simulation_clock``, one row per election and
    municipality), so that the office sees the simulated time of day.

    Cheap: :meth:`advance` writes (one statement for all days, its own short transaction) only when the
    simulated minute moved on and at least ``min_interval`` real seconds passed since the last write, or
    as a heartbeat every ``heartbeat`` real seconds (a slow run stays fresh). Thread-safe (workers). A
    failing write does not stop the day: the clock is switched off (the office falls back to real time)."""

    def __init__(
        self,
        days: Sequence[Prepared],
        speed: float | None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        min_interval: float = 0.5,
        heartbeat: float = 30.0,
    ) -> None:
        self.days = list(days)
        self.speed = speed
        self.monotonic = monotonic
        self.min_interval = min_interval
        self.heartbeat = heartbeat
        self.at: float | None = None
        self.writes = 0
        self.problem: str | None = None
        self._minute = -1
        self._written: float | None = None
        self._lock = threading.Lock()

    def _write(self, db: Session, at: float, *, reset: bool = False, finish: bool = False) -> None:
        if self.problem is not None or not self.days:
            return
        params = [
            {
                "election_id": p.election_id,
                "municipality_code": p.municipality_code,
                "simulated_now": simulated_time(p, int(at)),
                "speed": self.speed,
                "allow_real": p.allow_real,
                "reset": reset,
                "finish": finish,
            }
            for p in self.days
        ]
        try:
            db.execute(_CLOCK_UPSERT, params)
            db.commit()
        except SQLAlchemyError as err:
            db.rollback()
            self.problem = f"simulation clock off: {type(err).__name__}"
            return
        self.writes += 1
        self._minute = int(at) // 60
        self._written = self.monotonic()

    def begin(self, db: Session, at: float) -> None:
        """Reset the clock to ``at`` (a new run: earlier runs of the day no longer count)."""
        with self._lock:
            self.at = at
            self._write(db, at, reset=True)

    def advance(self, db: Session, at: float) -> None:
        """The simulated day reached ``at`` (seconds after midnight); written when due."""
        with self._lock:
            if self.at is None or at > self.at:
                self.at = at
            since = None if self._written is None else self.monotonic() - self._written
            moved = int(self.at) // 60 > self._minute
            due = since is None or (moved and since >= self.min_interval) or since >= self.heartbeat
            if due:
                self._write(db, self.at)

    def finish(self, db: Session) -> None:
        """The run ended (or was stopped): the clock is marked finished; the office returns to real time."""
        with self._lock:
            if self.at is not None:
                self._write(db, self.at, finish=True)


def replay(
    session_factory: Callable[[], Session],
    issuer: Actor,
    days: Sequence[Prepared],
    *,
    start: int = 7 * sim.HOUR,
    until: int = 23 * sim.HOUR,
    speed: float | None = None,
    on_event: Callable[[sim.Event, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
    apply: Callable[[Session, Actor, Prepared, sim.Event], Any] | None = None,
    workers: int = 1,
) -> ReplayStats:
    """Replay the days (one per municipality) together, in time order, up to ``until``.

    ``speed`` is simulated seconds per real second (``None``: as fast as possible). Events before
    ``start`` are done at once (the day catches up), then the clock runs from ``start``. A service
    that refuses an event (a :class:`StemdagError`) is counted and the day goes on. ``apply`` replaces
    :func:`apply_event` (tests of the clock).

    ``workers`` (only without ``speed``): that many connections replay at once, each the events of its
    own share of the stations in time order (like many chairs at once: a load test). What is stored
    per station is the same as with one worker (the reports carry the simulated time); only the
    interleaving of stations, and so the row ids, differ."""
    do = apply or apply_event
    merged: list[tuple[sim.Event, Prepared]] = sorted(
        ((e, p) for p in days for e in p.events if e.at < until), key=lambda ep: ep[0].sort_key()
    )
    stats = ReplayStats()
    lock = threading.Lock()
    total = len(merged)
    day_clock = DayClock(days, speed, monotonic=monotonic)

    def run(share: list[tuple[sim.Event, Prepared]], t0: float) -> None:
        with session_factory() as db:
            for event, prepared in share:
                if should_stop and should_stop():
                    return
                if speed and event.at > start:
                    due = t0 + (event.at - start) / speed
                    while (wait := due - monotonic()) > 0:
                        if should_stop and should_stop():
                            return
                        sleep(min(wait, 0.5))
                        day_clock.advance(db, min(event.at, start + (monotonic() - t0) * speed))
                day_clock.advance(db, event.at)
                try:
                    do(db, issuer, prepared, event)
                    with lock:
                        stats.done += 1
                        stats.by_kind[event.kind] = stats.by_kind.get(event.kind, 0) + 1
                except StemdagError as err:
                    db.rollback()
                    with lock:
                        stats.refused += 1
                        if len(stats.problems) < 50:
                            stats.problems.append(
                                f"{sim.clock(event.at)} {prepared.municipality_code} station {event.station} "
                                f"{event.kind}: {type(err).__name__} {err.message_key} {err}"
                            )
                if on_event:
                    with lock:
                        on_event(event, total)

    with session_factory() as db:
        day_clock.begin(db, min([start, *(e.at for e, _ in merged[:1])]))
    try:
        _run_all(
            run, merged, days, session_factory, issuer, speed=speed, workers=workers, monotonic=monotonic
        )
    finally:
        with session_factory() as db:
            day_clock.finish(db)
        if day_clock.problem:
            stats.problems.append(day_clock.problem)
    return stats


def _run_all(
    run: Callable[[list[tuple[sim.Event, Prepared]], float], None],
    merged: list[tuple[sim.Event, Prepared]],
    days: Sequence[Prepared],
    session_factory: Callable[[], Session],
    issuer: Actor,
    *,
    speed: float | None,
    workers: int,
    monotonic: Callable[[], float],
) -> None:
    """Run the events: in one go, or (only without ``speed``) shared among ``workers`` threads."""
    if speed or workers <= 1:
        run(merged, monotonic())
        return
    # The office is one actor per municipality: issue it before the workers share it.
    with session_factory() as db:
        for prepared in days:
            if prepared.office is None and any(e.by_office for e in prepared.events):
                prepared.office = office_actor(db, issuer, prepared.municipality_code)
                db.commit()
    shares: list[list[tuple[sim.Event, Prepared]]] = [[] for _ in range(workers)]
    offsets = {p.municipality_code: i for i, p in enumerate(days)}
    for event, prepared in merged:
        shares[(event.station + offsets[prepared.municipality_code]) % workers].append((event, prepared))
    errors: list[BaseException] = []

    def guarded(share: list[tuple[sim.Event, Prepared]]) -> None:
        try:
            run(share, monotonic())
        except BaseException as err:  # re-raised in the caller's thread below
            errors.append(err)

    threads = [threading.Thread(target=guarded, args=(share,), daemon=True) for share in shares if share]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def speed_for(day_minutes: float, start: int = 7 * sim.HOUR, until: int = 23 * sim.HOUR) -> float:
    """The speed at which the day from ``start`` to ``until`` passes in ``day_minutes`` real minutes."""
    return (until - start) / max(day_minutes * 60, 1)


def plans_equal(a: Iterable[Prepared], b: Iterable[Prepared]) -> bool:
    return [p.events for p in a] == [p.events for p in b]
