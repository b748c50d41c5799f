"""Polling stations: their kinds and their opening hours (Kieswet J 1, J 4a, J 30).

A station is open from 07:30 to 21:00. A *bijzonder* station may keep other hours, chosen for its
location (a railway station opens early, a shopping centre closes at 18:00), but is open at least 8
consecutive hours and closes no later than 21:00. A *mobiel* station is at several locations during the
day, each for a time; it may open before 07:30 and close before 21:00, never later. When the closing time
is reached the chair announces it and admits only the voters present (J 30): no station closes after
21:00. See https://www.kiesraad.nl/verkiezingen/tweede-kamer/stembureaus/openingstijden.

:func:`check_station_hours` checks one opening and closing time, :func:`check_station_periods` the
location/time rows of one station (a mobiel station's locations, or a station closed for a while during
the day, which the "Waar is mijn stemlokaal" lists give as several rows). Each rule has a code, a
severity and a Dutch and English text (the first paragraph of its docstring is the Dutch one):

* ``error``: hours that cannot be used on the day (closing not after opening, closing after 21:00, rows
  of one station that overlap in time). Always refused.
* ``warning``: hours that do not fit the station's kind (a regulier station not open 07:30–21:00, a
  bijzonder station open less than 8 consecutive hours). Refused when entered in Stemdag; recorded as a
  warning, with the file's hours, when an official station list says so (paper leads: published lists
  label stations with other hours ``regulier`` now and then).

Times are local wall-clock times of the election day; seconds count, so everything is whole seconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


REGULIER = "regulier"
BIJZONDER = "bijzonder"
MOBIEL = "mobiel"
STATION_TYPES = (REGULIER, BIJZONDER, MOBIEL)

OPENS = dt.time(7, 30)
"""A station opens at 07:30 (Kieswet J 1)."""
CLOSES = dt.time(21, 0)
"""A station closes at 21:00, and no station later (Kieswet J 1, J 4a)."""
BIJZONDER_MINIMUM_HOURS = 8
"""A bijzonder station is open at least 8 consecutive hours (Kieswet J 1)."""

Period = tuple[dt.time, dt.time]

# The codes of the rules (below, in the order they are checked).
OPENS_BEFORE_CLOSES = "station_hours.opens_before_closes"
CLOSE_NO_LATER_THAN_2100 = "station_hours.close_no_later_than_2100"
ROWS_DO_NOT_OVERLAP = "station_hours.rows_do_not_overlap"
REGULIER_IS_0730_2100 = "station_hours.regulier_is_0730_2100"
BIJZONDER_NEEDS_8_CONSECUTIVE_HOURS = "station_hours.bijzonder_needs_8_consecutive_hours"


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _hhmm(t: dt.time) -> str:
    return t.strftime("%H:%M:%S") if t.second else t.strftime("%H:%M")


def describe(periods: Sequence[Period]) -> str:
    """``[(07:30, 12:00), (13:00, 21:00)]`` → ``"07:30–12:00, 13:00–21:00"``."""
    return ", ".join(f"{_hhmm(a)}–{_hhmm(b)}" for a, b in periods)


def merge(periods: Sequence[Period]) -> list[Period]:
    """The stretches a station is open without a break: periods sorted, and those that overlap or touch
    joined. Periods whose closing is not after their opening are left out."""
    out: list[Period] = []
    for start, end in sorted(p for p in periods if _seconds(p[1]) > _seconds(p[0])):
        if out and _seconds(start) <= _seconds(out[-1][1]):
            if _seconds(end) > _seconds(out[-1][1]):
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def station_day(periods: Sequence[Period]) -> Period:
    """The opening and closing time of a station with these rows: the earliest opening and the latest
    closing (a mobiel station opens at its first location and closes at its last)."""
    if not periods:
        raise ValueError("a station day needs at least one period")
    return min(p[0] for p in periods), max(p[1] for p in periods)


# ----------------------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Finding:
    field: str
    params: Mapping[str, str]
    row: int | None = None


_Check = Callable[[str | None, Sequence[Period]], list[_Finding]]


@dataclass(frozen=True)
class HoursRule:
    """One rule: its code, severity, Dutch text (first paragraph of its docstring), English text."""

    code: str
    severity: Severity
    text_nl: str
    text_en: str
    check: _Check


HOURS_RULES: dict[str, HoursRule] = {}


def _rule(code: str, severity: Severity, text_en: str) -> Callable[[_Check], _Check]:
    def register(check: _Check) -> _Check:
        doc = inspect.getdoc(check) or ""
        HOURS_RULES[code] = HoursRule(code, severity, " ".join(doc.split("\n\n")[0].split()), text_en, check)
        return check

    return register


@_rule(
    OPENS_BEFORE_CLOSES,
    Severity.ERROR,
    "The closing time ({closes}) must be after the opening time ({opens}).",
)
def _opens_before_closes(kind: str | None, periods: Sequence[Period]) -> list[_Finding]:
    """De sluitingstijd ({closes}) moet na de openingstijd ({opens}) liggen.

    Every kind, every row: opening before closing, on the same day."""
    return [
        _Finding("closes_at", {"opens": _hhmm(a), "closes": _hhmm(b)}, i)
        for i, (a, b) in enumerate(periods)
        if _seconds(b) <= _seconds(a)
    ]


@_rule(
    CLOSE_NO_LATER_THAN_2100,
    Severity.ERROR,
    "A polling station closes at 21:00 at the latest (Kieswet J 1, J 4a); here it closes at {closes}.",
)
def _close_no_later_than_2100(kind: str | None, periods: Sequence[Period]) -> list[_Finding]:
    """Een stembureau sluit uiterlijk om 21:00 uur (Kieswet J 1, J 4a); hier sluit het om {closes}.

    Every kind, every row: closing no later than 21:00."""
    return [
        _Finding("closes_at", {"opens": _hhmm(a), "closes": _hhmm(b)}, i)
        for i, (a, b) in enumerate(periods)
        if _seconds(b) > _seconds(CLOSES)
    ]


@_rule(
    ROWS_DO_NOT_OVERLAP,
    Severity.ERROR,
    "The rows of one polling station overlap in time ({hours}): a station is at one place at a time. "
    "Two stations have a number each.",
)
def _rows_do_not_overlap(kind: str | None, periods: Sequence[Period]) -> list[_Finding]:
    """De rijen van één stembureau overlappen in tijd ({hours}): een stembureau is op één plek tegelijk.
    Twee stembureaus hebben elk een eigen nummer.

    Every kind: the location/time rows of one station do not overlap (one may end when the next
    starts). The finding names the later row."""
    findings = []
    latest: int | None = None  # the row that ends last among those that start earlier
    for i in sorted(range(len(periods)), key=lambda i: (_seconds(periods[i][0]), _seconds(periods[i][1]))):
        start, end = periods[i]
        if _seconds(end) <= _seconds(start):
            continue  # (opens_before_closes)
        if latest is not None and _seconds(start) < _seconds(periods[latest][1]):
            findings.append(_Finding("opens_at", {"hours": describe([periods[latest], periods[i]])}, i))
        if latest is None or _seconds(end) > _seconds(periods[latest][1]):
            latest = i
    return findings


@_rule(
    REGULIER_IS_0730_2100,
    Severity.WARNING,
    "A regular polling station is open from 07:30 to 21:00 (Kieswet J 1); here: {hours}. "
    "A station with other hours is of the type 'bijzonder'.",
)
def _regulier_is_0730_2100(kind: str | None, periods: Sequence[Period]) -> list[_Finding]:
    """Een regulier stembureau is open van 07:30 tot 21:00 uur (Kieswet J 1); hier: {hours}. Een
    stembureau met andere openingstijden is van het type 'bijzonder'.

    Kind regulier: one stretch, from 07:30 to 21:00."""
    if kind != REGULIER:
        return []
    stretches = merge(periods)
    if stretches == [(OPENS, CLOSES)]:
        return []
    opens_differ = not stretches or stretches[0][0] != OPENS
    return [_Finding("opens_at" if opens_differ else "closes_at", {"hours": describe(periods)})]


@_rule(
    BIJZONDER_NEEDS_8_CONSECUTIVE_HOURS,
    Severity.WARNING,
    "A special polling station (bijzonder) is open at least 8 consecutive hours (Kieswet J 1); "
    "here: {hours}.",
)
def _bijzonder_needs_8_consecutive_hours(kind: str | None, periods: Sequence[Period]) -> list[_Finding]:
    """Een bijzonder stembureau is ten minste 8 uur aaneengesloten open (Kieswet J 1); hier:
    {hours}.

    Kind bijzonder: the longest stretch without a break lasts at least 8 hours."""
    if kind != BIJZONDER:
        return []
    longest = max((_seconds(b) - _seconds(a) for a, b in merge(periods)), default=0)
    if longest >= BIJZONDER_MINIMUM_HOURS * 3600:
        return []
    return [_Finding("closes_at", {"hours": describe(periods)})]


# ----------------------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class HoursProblem:
    """One finding: the rule's code and severity, the field it is shown at (``opens_at`` or
    ``closes_at``), the values filled into its text, and the row it concerns (an index into the periods
    checked; ``None`` when it concerns the station as a whole)."""

    code: str
    severity: Severity
    field: str
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)
    row: int | None = None

    @property
    def rule(self) -> HoursRule:
        return HOURS_RULES[self.code]

    @property
    def text_nl(self) -> str:
        return self.rule.text_nl.format(**self.params)

    @property
    def text_en(self) -> str:
        return self.rule.text_en.format(**self.params)

    def text(self, lang: str = "nl") -> str:
        return self.text_nl if lang == "nl" else self.text_en

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def check_station_periods(kind: str | None, periods: Sequence[Period]) -> tuple[HoursProblem, ...]:
    """Every problem with the location/time rows of one station of ``kind`` (``regulier``,
    ``bijzonder``, ``mobiel``; ``None`` when unknown: only the rules for every kind apply). Errors come
    first; when a row is unusable the rules of the kind are not applied (they would only repeat it)."""
    if kind is not None and kind not in STATION_TYPES:
        raise ValueError(f"not a kind of polling station: {kind!r}")
    problems: list[HoursProblem] = []
    for rule in HOURS_RULES.values():
        if rule.severity is Severity.WARNING and problems:
            break
        for finding in rule.check(kind, periods):
            problems.append(
                HoursProblem(rule.code, rule.severity, finding.field, finding.params, finding.row)
            )
    return tuple(problems)


def check_station_hours(kind: str | None, opens: dt.time, closes: dt.time) -> tuple[HoursProblem, ...]:
    """Every problem with a station of ``kind`` open from ``opens`` to ``closes``."""
    return check_station_periods(kind, [(opens, closes)])
