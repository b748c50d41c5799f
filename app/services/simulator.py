"""The election-day simulator: replays a planned day (``app.domain.simulation``) through the same
services as the forms, signed in as each station's chair and as the municipality's office staff.

- :func:`prepare` checks who may run it (an administrator of the municipality), refuses a real
  election unless told otherwise (only practice and demo elections are simulated into), sets up extra
  synthetic stations for ``--stations N`` through ``app.services.setup``, and plans the day.
- :func:`replay` runs the events in time order: at ``speed`` simulated seconds per real second, or as
  fast as the database allows. Every event is one service call in its own transaction, with a
  ``client_submission_id`` derived from (election, station, seed, event), so running the same day again
  changes nothing.
- Each station's chair is an :class:`Actor` with role CHAIR for that station, issued by
  :func:`chair_actor` (audited, like a sign-in); the office is a staff account ``simulator.<gm####>``
  without a password (it can never sign in), issued by :func:`office_actor`.

The sources (osv4-3 results, the intraday curve) are read by ``etl.simulation``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import simulation as sim
from app.domain.access import Actor, Role
from app.domain.errors import InvalidInput, NotAllowed, NotFound, StemdagError
from app.domain.ids import municipality_code as normalise_municipality
from app.services import audit, authz, setup
from app.storage.models import (
    Election,
    ElectionMunicipality,
    Municipality,
    PoliticalGroup,
    PollingStation,
    StaffUser,
)

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
    count_ids: dict[int, Any] = field(default_factory=dict)  # station number → id of its latest count


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
    config = sim.DayConfig(
        seed=seed,
        turnout_moments=tuple(election.turnout_moments or ()),
        counting_method=part.counting_method,
        election_kind=election.kind,
        low_stock_threshold=election.low_stock_threshold,
        checklist_keys=tuple(item["key"] for item in (election.checklist_items or []) if "key" in item),
        curve=curve,
    )
    events = sim.plan_day(chosen, config)
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
    return Prepared(election.id, code, seed, station_ids, events, config)


# --- replaying ------------------------------------------------------------------------------------------


def _actor_for(db: Session, issuer: Actor, prepared: Prepared, event: sim.Event) -> Actor:
    if event.by_office:
        if prepared.office is None:
            prepared.office = office_actor(db, issuer, prepared.municipality_code)
        return prepared.office
    chair = prepared.chairs.get(event.station)
    if chair is None:
        chair = chair_actor(db, issuer, prepared.station_ids[event.station])
        prepared.chairs[event.station] = chair
    return chair


_SERVICE_MODULES = ("app.services.chair", "app.services.counts")


def _service(name: str) -> Callable[..., Any]:
    """A use case of the chair and office services (issue 3) by name."""
    import importlib

    for module_name in _SERVICE_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        fn = getattr(module, name, None)
        if fn is not None:
            return fn
    raise LookupError(f"no service {name} in {', '.join(_SERVICE_MODULES)}")


SERVICES = (
    "submit_opening",
    "report_members",
    "report_stock",
    "report_signal",
    "submit_turnout",
    "raise_incident",
    "submit_closing",
    "submit_count",
    "accept_count",
    "return_count",
)


def missing_services() -> list[str]:
    """The use cases the simulator needs that are not there (empty when all are)."""
    missing = []
    for name in SERVICES:
        try:
            _service(name)
        except LookupError:
            missing.append(name)
    return missing


def perform(
    db: Session, actor: Actor, prepared: Prepared, station_id: int, event: sim.Event, client_id: str
) -> Any:
    """The service call of one event (the same call the form makes)."""
    p = event.payload
    kind = event.kind
    if kind == sim.OPENING:
        return _service("submit_opening")(
            db, actor, station_id, list(p["checklist"]), client_submission_id=client_id
        )
    if kind == sim.MEMBERS:
        return _service("report_members")(db, actor, station_id, p["present"], client_submission_id=client_id)
    if kind == sim.STOCK:
        return _service("report_stock")(
            db, actor, station_id, p["ballots_remaining"], client_submission_id=client_id
        )
    if kind == sim.SIGNAL:
        return _service("report_signal")(db, actor, station_id, p["signal"], client_submission_id=client_id)
    if kind == sim.TURNOUT:
        return _service("submit_turnout")(
            db, actor, station_id, p["moment"], p["admitted_voters"], client_submission_id=client_id
        )
    if kind == sim.INCIDENT:
        return _service("raise_incident")(
            db, actor, station_id, p["category"], p["description"], client_submission_id=client_id
        )
    if kind == sim.CLOSING:
        return _service("submit_closing")(db, actor, station_id, client_submission_id=client_id)
    if kind in (sim.COUNT, sim.COUNT_CORRECTED):
        result = _service("submit_count")(
            db, actor, station_id, dict(p["form"]), dict(p["explanations"]), client_submission_id=client_id
        )
        prepared.count_ids[event.station] = getattr(result, "id", result)
        return result
    if kind == sim.COUNT_RETURNED:
        return _service("return_count")(
            db, actor, prepared.count_ids[event.station], p["reason"], client_submission_id=client_id
        )
    if kind == sim.COUNT_ACCEPTED:
        return _service("accept_count")(
            db, actor, prepared.count_ids[event.station], client_submission_id=client_id
        )
    raise ValueError(f"unknown event kind {kind!r}")


def apply_event(db: Session, issuer: Actor, prepared: Prepared, event: sim.Event) -> Any:
    """Do one event through its service, as the station's chair (or the office)."""
    actor = _actor_for(db, issuer, prepared, event)
    station_id = prepared.station_ids[event.station]
    client_id = submission_id(prepared, event.station, event.key)
    return perform(db, actor, prepared, station_id, event, client_id)


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
) -> ReplayStats:
    """Replay the days (one per municipality) together, in time order, up to ``until``.

    ``speed`` is simulated seconds per real second (``None``: as fast as possible). Events before
    ``start`` are done at once (the day catches up), then the clock runs from ``start``. A service
    that refuses an event (a :class:`StemdagError`) is counted and the day goes on. ``apply`` replaces
    :func:`apply_event` (tests of the clock)."""
    do = apply or apply_event
    merged: list[tuple[sim.Event, Prepared]] = sorted(
        ((e, p) for p in days for e in p.events if e.at < until), key=lambda ep: ep[0].sort_key()
    )
    stats = ReplayStats()
    t0 = monotonic()
    with session_factory() as db:
        for event, prepared in merged:
            if should_stop and should_stop():
                break
            if speed and event.at > start:
                due = t0 + (event.at - start) / speed
                while (wait := due - monotonic()) > 0:
                    if should_stop and should_stop():
                        return stats
                    sleep(min(wait, 0.5))
            try:
                do(db, issuer, prepared, event)
                stats.done += 1
                stats.by_kind[event.kind] = stats.by_kind.get(event.kind, 0) + 1
            except StemdagError as err:
                db.rollback()
                stats.refused += 1
                if len(stats.problems) < 50:
                    stats.problems.append(
                        f"{sim.clock(event.at)} {prepared.municipality_code} station {event.station} "
                        f"{event.kind}: {type(err).__name__} {err.message_key} {err}"
                    )
            if on_event:
                on_event(event, len(merged))
    return stats


def speed_for(day_minutes: float, start: int = 7 * sim.HOUR, until: int = 23 * sim.HOUR) -> float:
    """The speed at which the day from ``start`` to ``until`` passes in ``day_minutes`` real minutes."""
    return (until - start) / max(day_minutes * 60, 1)


def plans_equal(a: Iterable[Prepared], b: Iterable[Prepared]) -> bool:
    return [p.events for p in a] == [p.events for p in b]
