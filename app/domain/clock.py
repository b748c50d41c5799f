"""Which clock the election office's live view runs on: the real one, or a simulator's.

The simulator (``stemdag simulate``, the live demo, practice elections) replays a compressed day and
stamps every report with the *simulated* time; it also keeps a simulation clock per election and
municipality (table ``simulation_clock``). The office's time-based rules (not open at opening time,
silent for N minutes, turnout against a past election at the same time of day) must then look at that
simulated time, or what the office sees does not match the day being replayed.

Rules (:func:`office_clock`):

* A simulation clock counts only for a practice election, or for a run that was explicitly allowed into
  a real election (``--allow-real``: the demo). A real election is never affected otherwise.
* It counts only while it runs: not finished, and written within :data:`STALE_AFTER` (real time, as the
  database measures it). A simulator that stopped or died leaves a clock that goes stale by itself.
* Otherwise the real time.

Pure: no clock is read here; the caller passes the real time and what it read from the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: A simulation clock not advanced for this long (real time) no longer counts.
STALE_AFTER = dt.timedelta(minutes=2)
#: How far a clock may seem to be written in the future (the database's clock moving between reads).
SKEW = dt.timedelta(seconds=5)


@dataclass(frozen=True)
class ClockReading:
    """One ``simulation_clock`` row as read, with the database's time of reading."""

    simulated_now: dt.datetime
    updated_at: dt.datetime
    read_at: dt.datetime
    """the database's real time when the row was read (``updated_at`` is on the same clock)"""
    finished: bool
    election_is_practice: bool
    allow_real: bool


@dataclass(frozen=True)
class OfficeClock:
    """The office's "now", and whether it is a simulated time (shown as such, never as real)."""

    now: dt.datetime
    simulated: bool = False


def may_simulate(election_is_practice: bool, allow_real: bool) -> bool:
    """A simulated clock is allowed for a practice election, or a run explicitly allowed into a real one."""
    return election_is_practice or allow_real


def is_fresh(reading: ClockReading, max_age: dt.timedelta = STALE_AFTER) -> bool:
    """The clock was advanced within ``max_age`` of reading it (and is not finished)."""
    if reading.finished:
        return False
    age = reading.read_at - reading.updated_at
    return -SKEW <= age <= max_age


def office_clock(
    real_now: dt.datetime, reading: ClockReading | None, *, max_age: dt.timedelta = STALE_AFTER
) -> OfficeClock:
    """The simulated time when a fresh simulation clock may apply, else ``real_now``. The simulated time
    is given in ``real_now``'s time zone (the office shows wall-clock times)."""
    if reading is None or not may_simulate(reading.election_is_practice, reading.allow_real):
        return OfficeClock(real_now)
    if not is_fresh(reading, max_age):
        return OfficeClock(real_now)
    now = reading.simulated_now
    if real_now.tzinfo is not None and now.tzinfo is not None:
        now = now.astimezone(real_now.tzinfo)
    return OfficeClock(now, simulated=True)
