"""The latest-state table (``station_state``): one row per station, kept up to date in the same
transaction as each report. Services call :func:`lock` (the row, made when missing, locked FOR UPDATE:
reports of one station are serialised), change fields, then :func:`finish` (status and timestamps).
The office services call :func:`refresh_incidents` after changing an incident's status.

A request for help sets ``need_help`` (and ``need_help_at``, since when); it is cleared, and the status
computed again, when the chair withdraws it or the office marks it handled. The request itself is every
``need_help`` request row of ``station_signal`` since its last end (:func:`open_help_texts`: a chair may
ask again while it is open, each with a text); the latest help row is :func:`latest_help`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.domain import reports
from app.storage.chair_models import Incident, StationSignal, StationState
from app.storage.models import PollingStation


def ensure(db: Session, station: PollingStation) -> None:
    """Make the station's row when it is missing (the first report of the station)."""
    db.execute(
        insert(StationState)
        .values(
            polling_station_id=station.id,
            election_id=station.election_id,
            municipality_code=station.municipality_code,
        )
        .on_conflict_do_nothing(index_elements=["polling_station_id"])
    )


def lock(db: Session, station: PollingStation) -> StationState:
    ensure(db, station)
    state = db.scalar(
        select(StationState)
        .where(StationState.polling_station_id == station.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert state is not None
    return state


# The fields the status is computed from (see :func:`status_of`).
STATUS_FIELDS = (
    "opened_at",
    "closed_at",
    "members_present",
    "low_stock",
    "need_help",
    "open_incidents_high",
    "open_incidents_medium",
    "open_incidents_low",
    "count_status",
)


def status_of(values: Mapping[str, Any]) -> str:
    """The station's status from the values of :data:`STATUS_FIELDS` (a row or a mapping)."""
    return reports.station_status(
        opened=values["opened_at"] is not None,
        closed=values["closed_at"] is not None,
        members_present=values["members_present"],
        low_stock=bool(values["low_stock"]),
        need_help=bool(values["need_help"]),
        open_high_incidents=values["open_incidents_high"] or 0,
        open_other_incidents=(values["open_incidents_medium"] or 0) + (values["open_incidents_low"] or 0),
        count_status=values["count_status"],
    )


def refresh_incidents(db: Session, state: StationState) -> None:
    """Recount the station's incidents that are not resolved, per severity."""
    rows = dict(
        db.execute(
            select(Incident.severity, func.count())
            .where(Incident.polling_station_id == state.polling_station_id, Incident.status != "resolved")
            .group_by(Incident.severity)
        ).all()
    )
    state.open_incidents_low = int(rows.get("low", 0))
    state.open_incidents_medium = int(rows.get("medium", 0))
    state.open_incidents_high = int(rows.get("high", 0))


def finish(state: StationState, now: dt.datetime, *, report: bool = True) -> None:
    state.status = status_of({f: getattr(state, f) for f in STATUS_FIELDS})
    if report:
        state.last_report_at = now
    state.updated_at = now


def refresh_after_incident_change(db: Session, station: PollingStation, now: dt.datetime) -> StationState:
    """For the office side: lock the station's state, recount open incidents, recompute the status."""
    state = lock(db, station)
    refresh_incidents(db, state)
    finish(state, now, report=False)
    return state


# --- requests for help -----------------------------------------------------------------------------------

#: The latest help signal of a station (``%(sid)s``): a request (value NULL) or its end.
LATEST_HELP_SQL = (
    "SELECT id, value, note, reported_at, actor_id, actor_name FROM station_signal"
    f" WHERE polling_station_id = %(sid)s AND kind = '{reports.HELP}' ORDER BY id DESC LIMIT 1"
)


@dataclass(frozen=True)
class HelpSignal:
    """The latest help signal of a station: the open request (``open``; ``text`` as the chair typed it,
    or None), or the end of the last one (``text``: the office's note, if any)."""

    id: int
    open: bool
    text: str | None
    at: dt.datetime
    actor_name: str | None
    #: the end of a request: withdrawn by the chair (True) or handled by the office (False)
    by_chair: bool

    @classmethod
    def of(cls, row: Any) -> HelpSignal:
        id_, value, note, at, actor_id, actor_name = row
        return cls(id_, value is None, note, at, actor_name, str(actor_id or "").startswith("station:"))


def latest_help(db: Session, station_id: int) -> HelpSignal | None:
    """The station's latest help signal, or None when it never asked for help."""
    row = db.execute(
        select(
            StationSignal.id,
            StationSignal.value,
            StationSignal.note,
            StationSignal.reported_at,
            StationSignal.actor_id,
            StationSignal.actor_name,
        )
        .where(StationSignal.polling_station_id == station_id, StationSignal.kind == reports.HELP)
        .order_by(StationSignal.id.desc())
        .limit(1)
    ).first()
    return HelpSignal.of(tuple(row)) if row is not None else None


@dataclass(frozen=True)
class HelpText:
    """One request of a station's open request for help: its ``station_signal`` id, when it came in and
    the chair's text as typed (None: asked without typing anything)."""

    id: int
    at: dt.datetime
    text: str | None


def open_help_texts(db: Session, latest: Mapping[int, int]) -> dict[int, tuple[HelpText, ...]]:
    """Per station of ``latest`` (station id → the id of the latest request the caller saw), every request
    of its open request for help, oldest first: the requests after its last end (withdrawn or handled) up
    to and including that latest one. Help signals are only ever added, so the answer is the request the
    caller saw, whenever it is asked (one query for all the stations, only for those that need help)."""
    if not latest:
        return {}
    found: dict[int, list[HelpText]] = {sid: [] for sid in latest}
    rows = db.execute(
        select(
            StationSignal.polling_station_id,
            StationSignal.id,
            StationSignal.value,
            StationSignal.note,
            StationSignal.reported_at,
        )
        .where(
            StationSignal.polling_station_id.in_(list(latest)),
            StationSignal.kind == reports.HELP,
            StationSignal.id <= max(latest.values()),
        )
        .order_by(StationSignal.polling_station_id, StationSignal.id)
    )
    for sid, id_, value, note, at in rows:
        if id_ > latest[sid]:
            continue  # came in after what the caller saw
        if value is not None:  # an end: what came before it is closed
            found[sid] = []
        else:
            found[sid].append(HelpText(id_, at, note))
    return {sid: tuple(texts) for sid, texts in found.items()}
