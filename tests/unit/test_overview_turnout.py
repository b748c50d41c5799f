"""The office overview's turnout figure (app/services/office.latest_turnout): one moment's, never a mix,
that neither drops at the next moment's first report nor stays behind for one station that misses a
moment, and keeps the voters of a station that closed early."""

import datetime as dt
from zoneinfo import ZoneInfo

from app.domain.alerts import StationSnapshot
from app.services.office import latest_turnout

DAY = dt.date(2026, 3, 18)
TZ = ZoneInfo("Europe/Amsterdam")


def _station(n: int, *, closed: str | None = None, last: str | None = None, admitted: int | None = None):
    return StationSnapshot(
        n,
        n,
        f"S{n}",
        DAY,
        dt.time(7, 30),
        dt.time(21, 0) if closed is None else dt.time.fromisoformat(closed),
        closed_at=None
        if closed is None
        else dt.datetime.combine(DAY, dt.time.fromisoformat(closed), tzinfo=TZ),
        admitted_voters=admitted,
        turnout_moments=(),
        last_turnout_moment=last,
    )


def test_the_figure_stays_at_10_00_until_13_45_has_as_many_stations():
    snaps = [_station(n) for n in (1, 2, 3)]
    shown, coming = latest_turnout(snaps, {"10:00": (3, 300), "13:45": (1, 250)}, electorate=1_000)
    assert shown is not None and (shown.moment.moment, shown.moment.permille, shown.complete) == (
        "10:00",
        300,
        True,
    )
    assert coming is not None and (coming.moment.moment, coming.moment.stations_reported) == ("13:45", 1)
    shown, coming = latest_turnout(snaps, {"10:00": (3, 300), "13:45": (3, 700)}, electorate=1_000)
    assert shown is not None and shown.moment.moment == "13:45" and coming is None


def test_one_station_that_never_reports_a_moment_does_not_hold_the_figure_back():
    """49 of 50 stations report 10:00 and one never does: the figure is 10:00's (49 of 50), and it moves to
    13:45 once 49 stations have reported that; it never shows one station's 13:45."""
    snaps = [_station(n) for n in range(1, 51)]
    shown, coming = latest_turnout(snaps, {"10:00": (49, 4_900), "13:45": (1, 250)}, electorate=50_000)
    assert shown is not None and (shown.moment.moment, shown.moment.stations_reported, shown.expected) == (
        "10:00",
        49,
        50,
    )
    assert coming is not None and coming.moment.moment == "13:45"
    shown, _ = latest_turnout(snaps, {"10:00": (49, 4_900), "13:45": (49, 12_000)}, electorate=50_000)
    assert shown is not None and shown.moment.moment == "13:45"


def test_a_station_closed_early_counts_at_later_moments_with_its_last_report():
    """A bijzonder station closed at 16:00 after reporting 300 at 13:45: at 17:45 its 300 voters still
    count (leaving them out made the turnout go down), and the moment counts as complete."""
    snaps = [_station(1), _station(2), _station(3, closed="16:00", last="13:45", admitted=300)]
    per_moment = {"13:45": (3, 700), "17:45": (2, 600)}
    shown, coming = latest_turnout(snaps, per_moment, electorate=10_000)
    assert shown is not None and coming is None
    assert (shown.moment.moment, shown.moment.stations_reported, shown.moment.admitted_voters) == (
        "17:45",
        3,
        900,
    )
    assert shown.complete


def test_nothing_reported_yet():
    assert latest_turnout([_station(1)], {}, electorate=1_000) == (None, None)
