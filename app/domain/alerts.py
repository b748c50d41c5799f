"""Alert rules of the election office's live view, and the state of a station on the map.

Pure functions over a :class:`StationSnapshot` (what the latest-state table says about one station at
one moment). Each rule returns the alerts it raises, empty when all is well; :func:`alerts_for` runs
them all. No clock is read here: ``now`` is always passed in (tests and replays stay deterministic).

Rules (codes as shown to staff):

* ``A.NOT_OPEN``  the station has not reported open at or after its opening time (07:30 by default).
* ``A.LOW_STOCK`` ballot papers remaining at or below the election's ``low_stock_threshold``
  (:func:`app.domain.reports.is_low_stock`, as the station's status and the map).
* ``A.MEMBERS``   fewer than 3 members present (a station needs 3 to 7 including the chair).
* ``A.SILENT``    an open station has not reported the turnout of a moment ``silent_minutes`` minutes
  after that moment (chairs report at the turnout moments and are quiet in between, so silence
  between moments is normal); in an election without turnout moments: no report at all for
  ``silent_minutes`` minutes.
* ``A.INCIDENT``  the station has open incidents; one alert per severity, the level following it.
* ``A.HELP``      the chair asked for help and neither withdrew it nor had it marked handled by the
  office: critical, with the chair's text (params ``text``, None when none was typed), at any time of
  the day (also before opening and while counting).

A station's state on the map (:func:`map_state`) is "problem" by the same predicate as the chair's status
(:func:`app.domain.reports.has_problem`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.reports import COUNTING_STARTS, has_problem, is_low_stock, normalise_moment_text

MIN_MEMBERS = 3


class Level(StrEnum):
    """How urgent an alert is (ordered: critical first)."""

    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"


LEVEL_ORDER = {Level.CRITICAL: 0, Level.WARNING: 1, Level.INFO: 2}


class Rule(StrEnum):
    NOT_OPEN = "A.NOT_OPEN"
    LOW_STOCK = "A.LOW_STOCK"
    MEMBERS = "A.MEMBERS"
    SILENT = "A.SILENT"
    INCIDENT = "A.INCIDENT"
    HELP = "A.HELP"


class MapState(StrEnum):
    """A station's state on the map (always shown with a label and a symbol, never by colour alone)."""

    NOT_OPENED = "not_opened"
    OPEN = "open"
    PROBLEM = "problem"
    CLOSED = "closed"
    COUNTING = "counting"
    COUNT_SUBMITTED = "count_submitted"
    COUNT_ACCEPTED = "count_accepted"


#: The symbol beside each state (shape as well as colour, WCAG 1.4.1).
STATE_SYMBOL: dict[MapState, str] = {
    MapState.NOT_OPENED: "○",
    MapState.OPEN: "●",
    MapState.PROBLEM: "▲",
    MapState.CLOSED: "■",
    MapState.COUNTING: "◆",
    MapState.COUNT_SUBMITTED: "◇",
    MapState.COUNT_ACCEPTED: "✓",
}

#: Severity of an incident → level of its alert; an unknown severity is a warning.
SEVERITY_LEVEL: dict[str, Level] = {
    "critical": Level.CRITICAL,
    "high": Level.CRITICAL,
    "medium": Level.WARNING,
    "low": Level.INFO,
}


@dataclass(frozen=True)
class StationSnapshot:
    """What is known of one station now (one row of the latest-state table, plus its settings)."""

    station_id: int
    number: int
    name: str
    election_date: dt.date
    opens_at: dt.time = dt.time(7, 30)
    closes_at: dt.time = dt.time(21, 0)
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    last_report_at: dt.datetime | None = None
    members_present: int | None = None
    ballots_remaining: int | None = None
    admitted_voters: int | None = None
    #: status of the latest count version: None, "submitted", "returned", "accepted"
    count_status: str | None = None
    #: open incidents per severity (``{"high": 1}``)
    open_incidents: Mapping[str, int] = field(default_factory=dict)
    #: the election's turnout moments ("HH:MM") and the latest one this station reported
    turnout_moments: tuple[str, ...] = ()
    last_turnout_moment: str | None = None
    #: an open request for help: since when, and the chair's text (as typed; None when none)
    need_help: bool = False
    need_help_at: dt.datetime | None = None
    help_text: str | None = None


@dataclass(frozen=True)
class Alert:
    rule: Rule
    level: Level
    station_id: int
    station_number: int
    station_name: str
    #: since when the condition holds (for "newest first")
    since: dt.datetime
    params: Mapping[str, object] = field(default_factory=dict)


def _local(s: StationSnapshot, at: dt.time, tz: dt.tzinfo | None) -> dt.datetime:
    return dt.datetime.combine(s.election_date, at, tzinfo=tz)


def _alert(s: StationSnapshot, rule: Rule, level: Level, since: dt.datetime, **params: object) -> Alert:
    return Alert(rule, level, s.station_id, s.number, s.name, since, params)


def is_open(s: StationSnapshot) -> bool:
    return s.opened_at is not None and s.closed_at is None


def not_open_at_opening_time(s: StationSnapshot, now: dt.datetime) -> list[Alert]:
    """A.NOT_OPEN: at or after the opening time the station has not reported open."""
    opening = _local(s, s.opens_at, now.tzinfo)
    if s.opened_at is None and s.closed_at is None and now >= opening and now.date() == s.election_date:
        late = int((now - opening).total_seconds() // 60)
        return [
            _alert(
                s, Rule.NOT_OPEN, Level.CRITICAL, opening, opens_at=s.opens_at.strftime("%H:%M"), late=late
            )
        ]
    return []


def low_stock(s: StationSnapshot, threshold: int, now: dt.datetime) -> list[Alert]:
    """A.LOW_STOCK: an open station reports as many ballot papers as the election's threshold or fewer."""
    if (
        s.ballots_remaining is not None
        and is_low_stock(s.ballots_remaining, threshold)
        and s.closed_at is None
    ):
        since = s.last_report_at or s.opened_at or now
        return [
            _alert(
                s, Rule.LOW_STOCK, Level.WARNING, since, remaining=s.ballots_remaining, threshold=threshold
            )
        ]
    return []


def too_few_members(s: StationSnapshot, now: dt.datetime) -> list[Alert]:
    """A.MEMBERS: an open station reports fewer than 3 members present."""
    if s.members_present is not None and s.members_present < MIN_MEMBERS and s.closed_at is None:
        since = s.last_report_at or s.opened_at or now
        return [
            _alert(s, Rule.MEMBERS, Level.CRITICAL, since, present=s.members_present, minimum=MIN_MEMBERS)
        ]
    return []


@functools.lru_cache(maxsize=4096)
def _moment_at(day: dt.date, moment: str, tz: dt.tzinfo | None) -> tuple[str, dt.datetime | None]:
    """A turnout moment as written (``"9:00"``) in its normal form and as a time on ``day``; None for a
    moment that is not a time (never overdue). The same few moments for every station of an election:
    worked out once, not for each of 10,000 stations on every refresh."""
    moment = normalise_moment_text(moment)
    try:
        hours, minutes = (int(x) for x in moment.split(":"))
        return moment, dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=tz)
    except ValueError:
        return moment, None


def silent(s: StationSnapshot, now: dt.datetime, minutes: int) -> list[Alert]:
    """A.SILENT: an open station has not reported the turnout of the latest moment that passed
    ``minutes`` minutes ago or more (params: ``moment``, ``minutes`` since it). Without turnout moments:
    it has sent nothing for ``minutes`` minutes (params: ``minutes`` of silence, no ``moment``)."""
    if not is_open(s):
        return []
    if s.turnout_moments:
        limit = now - dt.timedelta(minutes=minutes)
        overdue = [
            (when, m)
            for m, when in (_moment_at(s.election_date, raw, now.tzinfo) for raw in s.turnout_moments)
            if when is not None
            and when <= limit
            and (s.last_turnout_moment is None or s.last_turnout_moment < m)
        ]
        if not overdue:
            return []
        when, moment = max(overdue)
        late = int((now - when).total_seconds() // 60)
        return [_alert(s, Rule.SILENT, Level.WARNING, when, moment=moment, minutes=late, limit=minutes)]
    last = s.last_report_at or s.opened_at
    assert last is not None
    if now - last >= dt.timedelta(minutes=minutes):
        quiet = int((now - last).total_seconds() // 60)
        return [_alert(s, Rule.SILENT, Level.WARNING, last, minutes=quiet, limit=minutes)]
    return []


def open_incidents(s: StationSnapshot, now: dt.datetime) -> list[Alert]:
    """A.INCIDENT: one alert per severity that has open incidents, the level following the severity."""
    since = s.last_report_at or now
    return [
        _alert(s, Rule.INCIDENT, SEVERITY_LEVEL.get(sev, Level.WARNING), since, severity=sev, count=n)
        for sev, n in sorted(s.open_incidents.items())
        if n > 0
    ]


def asks_for_help(s: StationSnapshot, now: dt.datetime) -> list[Alert]:
    """A.HELP: the chair asked for help (critical), with the chair's text; until the chair withdraws the
    request or the office marks it handled. Raised whatever the time of day (before opening, while
    counting): a request for help is always answered."""
    if not s.need_help:
        return []
    since = s.need_help_at or s.last_report_at or now
    return [_alert(s, Rule.HELP, Level.CRITICAL, since, text=s.help_text)]


def alerts_for(
    s: StationSnapshot, now: dt.datetime, *, low_stock_threshold: int, silent_minutes: int
) -> list[Alert]:
    """Every alert of one station."""
    return [
        *asks_for_help(s, now),
        *not_open_at_opening_time(s, now),
        *too_few_members(s, now),
        *low_stock(s, low_stock_threshold, now),
        *silent(s, now, silent_minutes),
        *open_incidents(s, now),
    ]


def all_alerts(
    snapshots: Iterable[StationSnapshot], now: dt.datetime, *, low_stock_threshold: int, silent_minutes: int
) -> list[Alert]:
    """The alerts of all stations, newest first (then most urgent, then by station number)."""
    out = [
        a
        for s in snapshots
        for a in alerts_for(s, now, low_stock_threshold=low_stock_threshold, silent_minutes=silent_minutes)
    ]
    out.sort(key=lambda a: (LEVEL_ORDER[a.level], a.station_number))
    out.sort(key=lambda a: a.since, reverse=True)
    return out


def map_state(s: StationSnapshot, now: dt.datetime, *, low_stock_threshold: int) -> MapState:
    """The state shown on the map. A station that has not closed and has a problem
    (:func:`app.domain.reports.has_problem`, the predicate of the chair's status too: a request for help;
    open with an open incident, too few members or low stock) is "problem", which outranks plain "open"
    and "not opened"; a closed station is "closed" until counting starts at 21:00
    (:data:`app.domain.reports.COUNTING_STARTS`, also for a *bijzonder* station that closed earlier),
    then "counting", and then the count's progress is shown (a returned count is counted again)."""
    if s.count_status == "accepted":
        return MapState.COUNT_ACCEPTED
    if s.count_status == "submitted":
        return MapState.COUNT_SUBMITTED
    if s.count_status == "returned":
        return MapState.COUNTING
    if s.closed_at is not None:
        return MapState.COUNTING if now >= _local(s, COUNTING_STARTS, now.tzinfo) else MapState.CLOSED
    if has_problem(
        opened=s.opened_at is not None,
        members_present=s.members_present,
        low_stock=s.ballots_remaining is not None and is_low_stock(s.ballots_remaining, low_stock_threshold),
        need_help=s.need_help,
        open_incidents=sum(n for n in s.open_incidents.values() if n > 0),
    ):
        return MapState.PROBLEM
    return MapState.OPEN if s.opened_at is not None else MapState.NOT_OPENED
