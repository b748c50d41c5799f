"""Rules for the chair's reports during the day (issue 3). Pure Python: no database, no Streamlit.

- Members present: 3 to 7 including the chair. More than 7 (or fewer than 1) is not a count of members
  (error); fewer than 3 is stored and shown as a warning to the chair and an alert for the office.
- Turnout is cumulative: a count may not be lower than the count at an earlier moment, nor higher than
  the count at a later moment already reported, and a moment reported again is a correction. Each of
  these is refused unless the report is marked as a correction with a reason.
- A report made more than :data:`LATE_AFTER` after its moment is accepted and marked late; a report for
  a moment more than :data:`FUTURE_TOLERANCE` ahead is refused (a count "so far" of a moment to come).
- A station is reported closed at a time that has come (at most :data:`FUTURE_TOLERANCE` ahead), and not
  before its own closing time (21:00, a *bijzonder* station its own) unless the chair confirms closing
  early and gives the reason.
- Ballot papers left at or below the election's threshold is low stock.
- Incident category and severity, queue indication and help request come from fixed lists.
- A request for help stays open until the chair withdraws it or the office marks it handled: both are a
  ``need_help`` signal with the value :data:`HELP_CLOSED` (a request has none).
- A station has a problem (:func:`has_problem`, the one predicate of the station's status for the chair
  and of the office's map) when it asks for help, or, once open, with too few members, low stock or an
  open incident.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from app.domain import inputs
from app.domain.errors import InvalidInput

MIN_MEMBERS, MAX_MEMBERS, MIN_MEMBERS_PRESENT = 3, 7, 1
LATE_AFTER = dt.timedelta(minutes=30)
OPENING_GRACE = dt.timedelta(minutes=0)
#: How far ahead of now a time reported may be (clocks of tablets and servers differ a little).
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
MAX_TEXT = 2000

INCIDENT_CATEGORIES = (
    "ballot_shortage",
    "member_absent",
    "voter_issue",
    "accessibility",
    "technical",
    "disturbance",
    "other",
)
# Names other clients use for the same categories (the simulator's plan, older forms).
CATEGORY_ALIASES = {"ballots": "ballot_shortage", "equipment": "technical", "voter": "voter_issue"}
SEVERITIES = ("low", "medium", "high")
QUEUE_LEVELS = ("none", "short", "long")
# A signal as a client names it → (kind, value) as stored.
SIGNALS: dict[str, tuple[str, str | None]] = {
    "none": ("queue", "none"),
    "quiet": ("queue", "none"),
    "short": ("queue", "short"),
    "busy": ("queue", "short"),
    "long": ("queue", "long"),
    "very_busy": ("queue", "long"),
    "need_help": ("need_help", None),
}
#: The kind of a help signal: a request (value None), or its end (value :data:`HELP_CLOSED`): withdrawn
#: by the chair ("Hulp niet meer nodig") or handled by the office.
HELP = "need_help"
HELP_CLOSED = "none"

_MOMENT = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")


def check_members_present(present: object) -> bool:
    """Members present including the chair: a whole number 1..7. Returns True when it is too few
    (fewer than 3: a warning for the chair, an alert for the office); raises InvalidInput otherwise."""
    if isinstance(present, bool) or not isinstance(present, int):
        raise InvalidInput("members: not a whole number", field="present_count", key="chair.error.members")
    if not MIN_MEMBERS_PRESENT <= present <= MAX_MEMBERS:
        raise InvalidInput(
            f"members: {present} is not 1 to {MAX_MEMBERS}",
            field="present_count",
            key="chair.error.members",
            value=present,
        )
    return present < MIN_MEMBERS


def normalise_moment(value: str, moments: list[str] | tuple[str, ...]) -> str:
    """``"10.00"``/``"10:00"`` → ``"10:00"``, which must be one of the election's turnout moments."""
    match = _MOMENT.match(str(value or "").strip())
    moment = f"{int(match.group(1)):02d}:{match.group(2)}" if match else None
    if moment is None or moment not in {normalise_moment_text(m) for m in moments}:
        raise InvalidInput(
            f"turnout moment {value!r} is not one of {list(moments)}",
            field="moment",
            key="chair.error.moment",
            value=str(value),
        )
    return moment


def normalise_moment_text(value: str) -> str:
    match = _MOMENT.match(str(value).strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else str(value)


def check_count_value(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 999_999_999:
        raise InvalidInput(
            f"{field}: not a whole number of 0 or more", field=field, key="error.count_not_integer"
        )
    return value


def check_turnout_split(
    total: int, poll_cards: int | None, proxies: int | None, voter_cards: int | None, *, municipal: bool
) -> None:
    """When the split is given, stempassen + volmachtbewijzen (+ kiezerspassen) must be the total;
    a municipal election (GR) has no kiezerspassen."""
    if municipal and voter_cards:
        raise InvalidInput(
            "no voter cards at GR", field="voter_card_count", key="error.voter_cards_at_municipal_election"
        )
    parts = (poll_cards, proxies, voter_cards)
    if all(p is None for p in parts):
        return
    if sum(p or 0 for p in parts) != total:
        raise InvalidInput(
            "the split does not add up to the total",
            field="total_admitted_voters_count",
            key="chair.error.turnout_split_gr" if municipal else "chair.error.turnout_split",
            total=total,
            parts=sum(p or 0 for p in parts),
        )


def check_turnout_sequence(
    moment: str,
    total: int,
    reported: Mapping[str, int],
    *,
    is_correction: bool,
    reason: str | None,
) -> None:
    """Cumulative counts may not go down. ``reported`` maps each moment already reported to its latest
    total. Refused (InvalidInput on ``total_admitted_voters_count``) when the total is below an earlier
    moment's, above a later moment's, or the moment was reported already, unless ``is_correction`` with a
    non-blank ``reason``. A correction without a reason is refused on ``correction_reason``."""
    if is_correction:
        if not (reason or "").strip():
            raise InvalidInput(
                "a correction needs a reason", field="correction_reason", key="chair.error.reason"
            )
        return
    if moment in reported:
        raise InvalidInput(
            f"moment {moment} already reported",
            field="total_admitted_voters_count",
            key="chair.error.turnout_again",
            moment=moment,
            previous=reported[moment],
        )
    for other, value in sorted(reported.items()):
        if other < moment and total < value:
            raise InvalidInput(
                f"turnout {total} at {moment} is lower than {value} at {other}",
                field="total_admitted_voters_count",
                key="chair.error.turnout_decreased",
                moment=other,
                previous=value,
                value=total,
            )
        if other > moment and total > value:
            raise InvalidInput(
                f"turnout {total} at {moment} is higher than {value} at the later {other}",
                field="total_admitted_voters_count",
                key="chair.error.turnout_above_later",
                moment=other,
                previous=value,
                value=total,
            )


def is_late(moment: str, reported_at_local: dt.datetime) -> bool:
    """A turnout report is late when made more than :data:`LATE_AFTER` after its moment (on the
    election day the report belongs to: see :func:`election_day`)."""
    return reported_at_local > moment_on(moment, reported_at_local) + LATE_AFTER


#: Counting starts at 21:00, when every station has closed (DESIGN.md): a station that closed earlier
#: (a *bijzonder* station's own hours, or closing early) is closed, not counting, until then.
COUNTING_STARTS = dt.time(21, 0)

#: The election night runs on past midnight (counting, late reports): until this time a moment belongs
#: to the day before.
NIGHT_ENDS = dt.time(6, 0)


def election_day(now_local: dt.datetime) -> dt.date:
    """The election day that local time ``now_local`` belongs to: before :data:`NIGHT_ENDS` it is
    still the night of the day before."""
    day = now_local.date()
    return day - dt.timedelta(days=1) if now_local.time() < NIGHT_ENDS else day


def on_election_day(at: dt.time, now_local: dt.datetime) -> dt.datetime:
    """Time of day ``at`` on the election day of ``now_local`` (a time before :data:`NIGHT_ENDS` is in
    the night after it), in ``now_local``'s time zone."""
    day = election_day(now_local)
    if at < NIGHT_ENDS:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, at.replace(second=0, microsecond=0), tzinfo=now_local.tzinfo)


def moment_on(moment: str, day_local: dt.datetime) -> dt.datetime:
    """The turnout moment ``"HH:MM"`` on the election day of ``day_local`` (:func:`on_election_day`)."""
    hours, minutes = (int(p) for p in moment.split(":"))
    return on_election_day(dt.time(hours, minutes), day_local)


def moment_has_come(moment: str, now_local: dt.datetime) -> bool:
    """The moment is at most :data:`FUTURE_TOLERANCE` after ``now_local`` (on its election day)."""
    return moment_on(moment, now_local) <= now_local + FUTURE_TOLERANCE


def check_turnout_moment_has_come(moment: str, now_local: dt.datetime) -> None:
    """Turnout is the count of admitted voters *so far*: a moment more than :data:`FUTURE_TOLERANCE`
    after now has not come yet and is refused (InvalidInput on ``moment``)."""
    if not moment_has_come(moment, now_local):
        raise InvalidInput(
            f"turnout moment {moment} has not come yet",
            field="moment",
            key="chair.error.turnout_future",
            moment=moment,
        )


def check_closing_time(
    closed_at_local: dt.datetime,
    now_local: dt.datetime,
    closes_at: dt.time,
    *,
    early: bool,
    reason: str | None,
) -> str | None:
    """The station is reported closed at ``closed_at_local``: not more than :data:`FUTURE_TOLERANCE`
    after now (InvalidInput on ``closed_at``), and not before the station's own closing time
    ``closes_at`` (on the election day, :func:`election_day`) unless ``early`` is confirmed (else
    InvalidInput on ``closed_at``) with a non-blank ``reason`` (else InvalidInput on ``early_reason``).
    Returns the reason of an early closing (as typed, trimmed), None when the station closed on time."""
    if closed_at_local > now_local + FUTURE_TOLERANCE:
        raise InvalidInput("closed in the future", field="closed_at", key="chair.error.closing_future")
    closes = on_election_day(closes_at, closed_at_local)
    if closed_at_local.replace(second=0, microsecond=0) >= closes:
        return None
    text = f"{closes_at:%H:%M}"
    if not early:
        raise InvalidInput(
            f"closing before {text} not confirmed",
            field="closed_at",
            key="chair.error.closing_early",
            closes=text,
        )
    clean = clean_text(reason, "early_reason", required=False)
    if clean is None:
        raise InvalidInput(
            "an early closing needs a reason",
            field="early_reason",
            key="chair.error.early_reason",
            closes=text,
        )
    return clean


def opened_late(opened_at_local: dt.datetime, opens_at: dt.time) -> bool:
    """The station opened after its opening time (07:30 for a regular station)."""
    return (
        opened_at_local.time().replace(microsecond=0)
        > (dt.datetime.combine(opened_at_local.date(), opens_at) + OPENING_GRACE).time()
    )


def is_low_stock(ballots_left: int, threshold: int) -> bool:
    """Ballot papers left at or below the election's threshold is low stock: the chair is told "at
    {n} or fewer the office is alerted" (``chair.stock.threshold``). The one predicate for the
    station's status, the office's A.LOW_STOCK alert and the map (:mod:`app.domain.alerts`)."""
    return ballots_left <= threshold


def normalise_category(value: str) -> str:
    text = str(value or "").strip().lower()
    text = CATEGORY_ALIASES.get(text, text)
    if text not in INCIDENT_CATEGORIES:
        raise InvalidInput("category", field="category", key="chair.error.category", value=str(value))
    return text


def normalise_severity(value: str) -> str:
    text = str(value or "").strip().lower()
    if text not in SEVERITIES:
        raise InvalidInput("severity", field="severity", key="chair.error.severity", value=str(value))
    return text


def normalise_signal(value: str) -> tuple[str, str | None]:
    key = str(value or "").strip().lower()
    if key not in SIGNALS:
        raise InvalidInput("signal", field="signal", key="chair.error.signal", value=str(value))
    return SIGNALS[key]


def clean_text(value: str | None, field: str, *, required: bool, max_length: int = MAX_TEXT) -> str | None:
    """User text as typed (never interpreted), without surrounding blanks; at most ``max_length``
    characters, and none that cannot be stored (:func:`app.domain.inputs.text`: a NUL, other control
    characters)."""
    return inputs.text(
        value,
        field,
        max_length=max_length,
        required=required,
        required_key="chair.error.text_required",
        too_long_key="chair.error.text_too_long",
    )


def has_problem(
    *,
    opened: bool,
    members_present: int | None,
    low_stock: bool,
    need_help: bool,
    open_incidents: int,
) -> bool:
    """The one "problem" predicate of a station that has not closed, for the chair's status
    (:func:`station_status`) and the office's map (:func:`app.domain.alerts.map_state`): it asks for
    help (also before opening: a locked building is a reason to ask), or it is open with too few members
    (fewer than 3), low stock (:func:`is_low_stock`) or an open incident of any severity."""
    if need_help:
        return True
    if not opened:
        return False
    too_few = members_present is not None and members_present < MIN_MEMBERS
    return too_few or low_stock or open_incidents > 0


def station_status(
    *,
    opened: bool,
    closed: bool,
    members_present: int | None,
    low_stock: bool,
    need_help: bool,
    open_high_incidents: int,
    count_status: str | None,
    open_other_incidents: int = 0,
) -> str:
    """The station's status for the chair: the count's status once there is a count; ``counting``
    after closing; ``problem`` when :func:`has_problem` (a help request; open with too few members, low
    stock or an open incident: ``open_high_incidents`` + ``open_other_incidents`` of medium and low
    severity); else ``open`` or ``not_opened``."""
    if count_status:
        return f"count_{count_status}"
    if closed:
        return "counting"
    if has_problem(
        opened=opened,
        members_present=members_present,
        low_stock=low_stock,
        need_help=need_help,
        open_incidents=open_high_incidents + open_other_incidents,
    ):
        return "problem"
    return "open" if opened else "not_opened"
