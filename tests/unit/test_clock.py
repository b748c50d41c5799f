"""Which clock the office runs on (app.domain.clock): a fresh simulation clock of a practice election or
of a run explicitly allowed into a real one, else the real time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from app.domain.clock import STALE_AFTER, ClockReading, is_fresh, may_simulate, office_clock

TZ = ZoneInfo("Europe/Amsterdam")
REAL = dt.datetime(2026, 3, 18, 9, 5, tzinfo=TZ)
SIMULATED = dt.datetime(2026, 3, 18, 13, 47, tzinfo=dt.UTC) - dt.timedelta(hours=1)  # 13:47 local


def _reading(age: dt.timedelta = dt.timedelta(seconds=3), **kw) -> ClockReading:
    values = {
        "simulated_now": SIMULATED,
        "updated_at": REAL - age,
        "read_at": REAL,
        "finished": False,
        "election_is_practice": True,
        "allow_real": False,
    }
    values.update(kw)
    return ClockReading(**values)


def test_no_clock_is_the_real_time():
    clock = office_clock(REAL, None)
    assert clock.now == REAL and not clock.simulated


def test_a_fresh_clock_of_a_practice_election_is_the_simulated_time_in_local_wall_clock():
    clock = office_clock(REAL, _reading())
    assert clock.simulated and clock.now == SIMULATED
    assert clock.now.tzinfo == TZ and clock.now.strftime("%H:%M") == "13:47"


def test_a_real_election_follows_a_clock_only_when_the_run_was_allowed_into_it():
    assert not office_clock(REAL, _reading(election_is_practice=False)).simulated
    assert office_clock(REAL, _reading(election_is_practice=False, allow_real=True)).simulated
    assert may_simulate(True, False) and may_simulate(False, True) and not may_simulate(False, False)


@pytest.mark.parametrize(
    ("age", "fresh"),
    [
        (dt.timedelta(0), True),
        (STALE_AFTER - dt.timedelta(seconds=1), True),
        (STALE_AFTER, True),
        (STALE_AFTER + dt.timedelta(seconds=1), False),
        (dt.timedelta(hours=5), False),
        (-dt.timedelta(seconds=2), True),  # written a moment "after" reading: the same clock moving on
        (-dt.timedelta(minutes=10), False),  # from the future: not trusted
    ],
)
def test_a_stale_clock_falls_back_to_real_time(age, fresh):
    reading = _reading(age=age)
    assert is_fresh(reading) is fresh
    clock = office_clock(REAL, reading)
    assert clock.simulated is fresh
    assert clock.now == (SIMULATED if fresh else REAL)


def test_a_finished_clock_is_the_real_time():
    assert not office_clock(REAL, _reading(finished=True)).simulated


def test_max_age_is_configurable():
    reading = _reading(age=dt.timedelta(seconds=30))
    assert not office_clock(REAL, reading, max_age=dt.timedelta(seconds=10)).simulated
    assert office_clock(REAL, reading, max_age=dt.timedelta(minutes=1)).simulated
