"""The chair's home: the next task from the station's state and the time of day."""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from app.ui.chair import next_step

TZ = ZoneInfo("Europe/Amsterdam")


@dataclass
class Turnout:
    moment: str


@dataclass
class State:
    status: str = "open"
    opened_at: dt.datetime | None = dt.datetime(2026, 3, 18, 7, 25, tzinfo=TZ)
    closed_at: dt.datetime | None = None
    members_present: int | None = 3
    count_status: str | None = None
    closes_at: dt.time = dt.time(21, 0)
    turnout_moments: tuple[str, ...] = ("10:00", "13:45", "17:45", "21:00")
    turnout: list[Turnout] = field(default_factory=list)


def at(hh: int, mm: int) -> dt.datetime:
    return dt.datetime(2026, 3, 18, hh, mm, tzinfo=TZ)


def test_before_opening_the_opening():
    step = next_step(State(status="not_opened", opened_at=None, members_present=None), at(7, 0))
    assert step is not None and step.page == "chair_opening.py" and step.key.endswith("opening")


def test_open_without_members_asks_for_members_then_the_day():
    assert next_step(State(members_present=None), at(8, 0)).key.endswith("members")  # type: ignore[union-attr]
    assert next_step(State(), at(8, 0)).page == "chair_day.py"  # type: ignore[union-attr]


def test_the_latest_unreported_turnout_moment_that_has_passed():
    step = next_step(State(), at(14, 0))
    assert step is not None and step.page == "chair_turnout.py" and step.params == {"moment": "13:45"}
    step = next_step(State(turnout=[Turnout("10:00"), Turnout("13:45")]), at(14, 0))
    assert step is not None and step.page == "chair_day.py"
    assert next_step(State(turnout=[Turnout("13:45")]), at(13, 44)).page == "chair_day.py"  # type: ignore[union-attr]


def test_after_closing_time_close_and_count_then_wait_then_done():
    reported = [Turnout(m) for m in ("10:00", "13:45", "17:45", "21:00")]
    assert next_step(State(turnout=reported), at(21, 5)).key.endswith("closing")  # type: ignore[union-attr]
    closed = dict(turnout=reported, closed_at=at(21, 10), status="closed")
    assert next_step(State(**closed), at(21, 15)).key.endswith("count")  # type: ignore[union-attr]
    assert next_step(State(**closed, count_status="returned"), at(23, 0)).key.endswith("correct")  # type: ignore[union-attr]
    assert next_step(State(**closed, count_status="submitted"), at(23, 0)) is None
    assert next_step(State(**closed, count_status="accepted"), at(23, 0)) is None


def test_after_midnight_the_night_goes_on():
    night = at(21, 0) + dt.timedelta(hours=3, minutes=30)  # 00:30 the next day
    step = next_step(State(turnout=[Turnout("10:00"), Turnout("13:45"), Turnout("17:45")]), night)
    assert step is not None and step.params == {"moment": "21:00"}  # not "no moment due yet"
    reported = [Turnout(m) for m in ("10:00", "13:45", "17:45", "21:00")]
    assert next_step(State(turnout=reported), night).key.endswith("closing")  # type: ignore[union-attr]
