"""The office overview's turnout figure (app/services/office.latest_turnout): one moment's, never a mix."""

import datetime as dt

from app.domain.alerts import StationSnapshot
from app.services.office import latest_turnout

DAY = dt.date(2026, 3, 18)


def _station(n: int, opens: str = "07:30", closes: str = "21:00") -> StationSnapshot:
    return StationSnapshot(
        n, n, f"S{n}", DAY, dt.time.fromisoformat(opens), dt.time.fromisoformat(closes), turnout_moments=()
    )


def test_a_moment_counts_as_complete_when_every_station_open_at_it_reported():
    """A bijzonder station open 07:30–16:00 is not waited for at 17:45; one opening at 12:00 is not
    waited for at 10:00."""
    snaps = [_station(1), _station(2), _station(3, closes="16:00"), _station(4, opens="12:00")]
    per_moment = {"10:00": (3, 300), "13:45": (4, 800), "17:45": (3, 900)}
    shown, coming = latest_turnout(snaps, per_moment, electorate=10_000)
    assert shown is not None and shown.complete and coming is None
    assert (shown.moment.moment, shown.expected, shown.moment.permille) == ("17:45", 3, 90)


def test_the_figure_stays_at_the_last_complete_moment_while_the_next_comes_in():
    snaps = [_station(n) for n in (1, 2, 3)]
    shown, coming = latest_turnout(snaps, {"10:00": (3, 300), "13:45": (1, 250)}, electorate=1_000)
    assert shown is not None and (shown.moment.moment, shown.moment.permille, shown.complete) == (
        "10:00",
        300,
        True,
    )
    assert coming is not None and (
        coming.moment.moment,
        coming.moment.stations_reported,
        coming.complete,
    ) == (
        "13:45",
        1,
        False,
    )


def test_before_any_moment_is_complete_the_latest_is_shown_as_partial():
    snaps = [_station(n) for n in (1, 2, 3)]
    shown, coming = latest_turnout(snaps, {"10:00": (2, 200)}, electorate=1_000)
    assert shown is not None and not shown.complete and coming is None
    assert latest_turnout(snaps, {}, electorate=1_000) == (None, None)
