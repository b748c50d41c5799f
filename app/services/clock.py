"""The office's "now": the simulated time of a running simulator (practice election or the live demo),
else the real time. One place for every time-based view of the office (alerts, map states, turnout
against a past election at the same time of day); the rules are in ``app.domain.clock``.

Reads one row (``simulation_clock``, by primary key, under the caller's row-level security) with the
database's time of reading, so that freshness is measured on one clock: the one that wrote the row.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from app.domain.clock import STALE_AFTER, ClockReading, OfficeClock, office_clock
from app.storage import fastpath
from app.storage.models import Election
from app.storage.simulation_models import SimulationClock

TZ = ZoneInfo("Europe/Amsterdam")

_READ = select(
    SimulationClock.simulated_now,
    SimulationClock.updated_at,
    func.statement_timestamp(),
    SimulationClock.finished_at.is_not(None),
    Election.is_practice,
    SimulationClock.allow_real,
).join(Election, Election.id == SimulationClock.election_id)
#: One municipality's clock (asked for by every office screen at every refresh: a prepared statement).
_READ_ONE = _READ.where(
    SimulationClock.election_id == bindparam("election_id"),
    SimulationClock.municipality_code == bindparam("municipality_code"),
)


def reading(db: Session, election_id: str, municipality_code: str) -> ClockReading | None:
    """The election's simulation clock for the municipality, as read now; ``None`` when there is none."""
    rows = fastpath.select_rows(
        db, _READ_ONE, {"election_id": election_id, "municipality_code": municipality_code}
    )
    if not rows:
        return None
    simulated_now, updated_at, read_at, finished, is_practice, allow_real = rows[0]
    return ClockReading(
        simulated_now, updated_at, read_at, bool(finished), bool(is_practice), bool(allow_real)
    )


def clock_for(
    db: Session,
    election_id: str,
    municipality_code: str,
    *,
    real_now: dt.datetime | None = None,
    max_age: dt.timedelta = STALE_AFTER,
) -> OfficeClock:
    """The office's clock for this election and municipality (simulated or real)."""
    real = real_now or dt.datetime.now(TZ)
    return office_clock(real, reading(db, election_id, municipality_code), max_age=max_age)


def now_for(db: Session, election_id: str, municipality_code: str) -> dt.datetime:
    """The office's "now" for this election and municipality: simulated while a simulator runs."""
    return clock_for(db, election_id, municipality_code).now
