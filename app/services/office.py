"""The election office's live view (issue 4): read models over the latest-state table, incident triage,
the preliminary result with its provisional seat projection, the count review list and the exports.

Read models read ``station_state`` (one row per station, kept up to date by the chair services in the
same transaction as each report) joined to ``polling_station``: one query per overview. The UI caches
them for a few seconds per (election, municipality), shared by every viewer (``app/ui/office.py``).

Every function checks role and municipality (the stored row's, never an id from the page); the triage
use cases write the change, an ``incident_event`` row and the audit row in one transaction. Marking a
station's request for help handled (:func:`handle_help_request`) writes the help signal that ends it, the
latest-state row and the audit row in one transaction.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.config import ROOT
from app.domain import alerts as rules
from app.domain import inputs, reports
from app.domain import turnout as turnout_rules
from app.domain.access import Actor, Role
from app.domain.clock import OfficeClock
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.domain.seats import SeatAllocation, allocate_seats
from app.exports import office as office_exports
from app.services import audit, authz, clock
from app.storage import fastpath, station_state
from app.storage.chair_models import (
    CountListVotes,
    CountVersion,
    Incident,
    IncidentEvent,
    MemberReport,
    StationClosing,
    StationOpening,
    StationSignal,
    StationState,
    StockReport,
    TurnoutReport,
)
from app.storage.models import (
    Election,
    ElectionMunicipality,
    Municipality,
    PoliticalGroup,
    PollingStation,
    StaffUser,
)

TZ = ZoneInfo("Europe/Amsterdam")
HISTORY = ROOT / "data" / "history" / "gemeente_turnout.csv"
INTRADAY = ROOT / "data" / "intraday" / "press_turnout_points.csv"
OFFICE_ROLES = (Role.OFFICE, Role.ADMIN)
OPEN_INCIDENT_STATUSES = ("open", "acknowledged")
COUNTED_STATUSES = ("submitted", "accepted")
MAX_TEXT = 2000


# --- read models ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElectionContext:
    election_id: str
    election_name: str
    kind: str
    election_date: dt.date
    municipality_code: str
    municipality_name: str
    electorate: int | None
    council_size: int | None
    counting_method: str
    low_stock_threshold: int
    turnout_moments: tuple[str, ...]


@dataclass(frozen=True)
class StationRow:
    """One station as the office sees it now."""

    station_id: int
    number: int
    name: str
    station_type: str
    address: str | None
    latitude: float | None
    longitude: float | None
    state: rules.MapState
    snapshot: rules.StationSnapshot
    queue: str | None = None
    need_help: bool = False
    last_turnout_moment: str | None = None
    #: the open request for help: the ``station_signal`` id of its latest request (the one to hand to
    #: :func:`handle_help_request`; ``snapshot.help_text`` is that request's text)
    help_request_id: int | None = None
    #: every request of the open request for help, oldest first, each with its time and text: a chair may
    #: ask again while it is open ("printer kapot", then "ook twee leden weg"); handling it ends them all
    help_texts: tuple[station_state.HelpText, ...] = ()

    @property
    def open_incidents(self) -> int:
        return sum(self.snapshot.open_incidents.values())


@dataclass(frozen=True)
class Comparison:
    """The previous comparable election at the turnout moment shown (from the shipped history files)."""

    election_id: str
    final_permille: int | None
    #: its turnout at ``moment`` (interpolated between its published points); None without points there
    at_time_permille: int | None
    source: str  # "municipal" (this municipality's published points), "national", or "final" only
    #: the turnout moment compared at ("HH:MM"); None before any station reported turnout
    moment: str | None = None


@dataclass(frozen=True)
class Overview:
    context: ElectionContext
    now: dt.datetime
    stations: list[StationRow]
    alerts: list[rules.Alert]
    stations_total: int
    stations_open: int
    not_open_after_opening: int
    incidents_by_severity: dict[str, int]
    low_stock: int
    too_few_members: int
    silent: int
    counts_in: int
    counts_accepted: int
    #: municipal turnout at one moment (:func:`latest_turnout`): the moment with the most stations in
    #: it (the later on a tie); None before the first report. Never a mix of moments.
    turnout: HeadlineTurnout | None
    #: a later moment whose reports are still coming in (shown as progress), or None
    turnout_coming: HeadlineTurnout | None
    #: the previous comparable election at that same moment
    comparison: Comparison | None
    by_state: dict[str, int]
    simulated: bool = False
    """``now`` is a simulator's time of day (practice election or the live demo), not the real time"""
    #: stations with an open request for help (A.HELP)
    help_requests: int = 0

    @property
    def help_alerts(self) -> list[rules.Alert]:
        """The open requests for help (A.HELP), oldest first: the longest waiting on top."""
        return sorted((a for a in self.alerts if a.rule is rules.Rule.HELP), key=lambda a: a.since)


def authorise(db: Session | None, actor: Actor | None, election_id: str, municipality_code: str) -> Actor:
    """The office (or an admin) of this municipality. Costs no query unless it refuses."""
    checked = authz.require_role(db, actor, *OFFICE_ROLES)
    authz.require_municipality(db, checked, municipality_code)
    return checked


def _context(db: Session, election_id: str, municipality_code: str) -> ElectionContext:
    row = db.execute(
        select(
            Election.id,
            Election.name,
            Election.kind,
            Election.election_date,
            ElectionMunicipality.municipality_code,
            Municipality.name.label("municipality_name"),
            ElectionMunicipality.electorate,
            func.coalesce(ElectionMunicipality.council_size, Election.council_size).label("council_size"),
            ElectionMunicipality.counting_method,
            Election.low_stock_threshold,
            Election.turnout_moments,
        )
        .join(ElectionMunicipality, ElectionMunicipality.election_id == Election.id)
        .join(Municipality, Municipality.code == ElectionMunicipality.municipality_code)
        .where(Election.id == election_id, ElectionMunicipality.municipality_code == municipality_code)
    ).first()
    if row is None:
        raise NotFound("election_municipality", key="error.not_found")
    return ElectionContext(*row[:10], tuple(row.turnout_moments or ()))


def _snapshot(
    ps: PollingStation,
    st: StationState | None,
    election_date: dt.date,
    turnout_moments: tuple[str, ...],
    help_text: str | None = None,
) -> rules.StationSnapshot:
    base = rules.StationSnapshot(
        ps.id, ps.number, ps.name, election_date, ps.opens_at, ps.closes_at, turnout_moments=turnout_moments
    )
    if st is None:  # nothing reported yet
        return base
    incidents = {
        "high": st.open_incidents_high or 0,
        "medium": st.open_incidents_medium or 0,
        "low": st.open_incidents_low or 0,
    }
    return dataclasses.replace(
        base,
        opened_at=st.opened_at,
        closed_at=st.closed_at,
        last_report_at=st.last_report_at,
        members_present=st.members_present,
        ballots_remaining=st.ballots_left,
        admitted_voters=st.last_turnout_admitted_voters,
        count_status=st.count_status,
        open_incidents={k: v for k, v in incidents.items() if v},
        last_turnout_moment=st.last_turnout_moment,
        need_help=bool(st.need_help),
        need_help_at=st.need_help_at,
        help_text=help_text,
    )


_STATE_COLUMNS = (
    StationState.opened_at,
    StationState.closed_at,
    StationState.last_report_at,
    StationState.members_present,
    StationState.ballots_left,
    StationState.last_turnout_admitted_voters,
    StationState.count_status,
    StationState.open_incidents_high,
    StationState.open_incidents_medium,
    StationState.open_incidents_low,
    StationState.queue,
    StationState.need_help,
    StationState.need_help_at,
    StationState.last_turnout_moment,
)

#: The open request for help of a station that asks for it (the latest help signal, a request: its id and
#: the chair's text); looked up only for such stations (``need_help``), so it costs nothing otherwise.
_OPEN_HELP = (
    select(StationSignal.id.label("help_request_id"), StationSignal.note.label("help_text"))
    .where(
        StationSignal.polling_station_id == PollingStation.id,
        StationSignal.kind == reports.HELP,
        StationSignal.value.is_(None),
        StationState.need_help.is_(True),
    )
    .order_by(StationSignal.id.desc())
    .limit(1)
    .lateral("open_help")
)


_CONTEXT_COLUMNS = (
    Election.name.label("election_name"),
    Election.kind,
    Election.election_date,
    Municipality.name.label("municipality_name"),
    ElectionMunicipality.electorate,
    func.coalesce(ElectionMunicipality.council_size, Election.council_size).label("council_size"),
    ElectionMunicipality.counting_method,
    Election.low_stock_threshold,
    Election.turnout_moments,
)
#: Built once (bound parameters): the overview is asked for every few seconds by every office.
_STATIONS_QUERY = (
    select(
        PollingStation.id,
        PollingStation.number,
        PollingStation.name,
        PollingStation.station_type,
        PollingStation.address,
        PollingStation.latitude,
        PollingStation.longitude,
        PollingStation.opens_at,
        PollingStation.closes_at,
        *_STATE_COLUMNS,
        _OPEN_HELP.c.help_request_id,
        _OPEN_HELP.c.help_text,
        *_CONTEXT_COLUMNS,
    )
    .join(
        ElectionMunicipality,
        (ElectionMunicipality.election_id == PollingStation.election_id)
        & (ElectionMunicipality.municipality_code == PollingStation.municipality_code),
    )
    .join(Election, Election.id == PollingStation.election_id)
    .join(Municipality, Municipality.code == PollingStation.municipality_code)
    .outerjoin(StationState, StationState.polling_station_id == PollingStation.id)
    .outerjoin(_OPEN_HELP, true())
    .where(
        PollingStation.election_id == bindparam("election_id"),
        PollingStation.municipality_code == bindparam("municipality_code"),
    )
    .order_by(PollingStation.number)
)


def _load(
    db: Session, election_id: str, municipality_code: str, now: dt.datetime
) -> tuple[ElectionContext, list[StationRow]]:
    """The context and every station with its latest state: one query (two when there are no stations),
    and a second small one only when some station needs help (the texts of its open request)."""
    rows = fastpath.select_rows(
        db, _STATIONS_QUERY, {"election_id": election_id, "municipality_code": municipality_code}
    )
    if not rows:
        return _context(db, election_id, municipality_code), []
    r0 = rows[0]
    context = ElectionContext(
        election_id,
        r0.election_name,
        r0.kind,
        r0.election_date,
        municipality_code,
        r0.municipality_name,
        r0.electorate,
        r0.council_size,
        r0.counting_method,
        r0.low_stock_threshold,
        tuple(r0.turnout_moments or ()),
    )
    asking = {r.id: r.help_request_id for r in rows if r.help_request_id is not None}
    return context, _station_rows(rows, context, now, station_state.open_help_texts(db, asking))


def _station_rows(
    result: Sequence[Any],
    context: ElectionContext,
    now: dt.datetime,
    help_texts: dict[int, tuple[station_state.HelpText, ...]] | None = None,
) -> list[StationRow]:
    out: list[StationRow] = []
    help_texts = help_texts or {}
    threshold = context.low_stock_threshold
    for r in result:
        incidents = {
            k: v
            for k, v in (
                ("high", r.open_incidents_high),
                ("medium", r.open_incidents_medium),
                ("low", r.open_incidents_low),
            )
            if v
        }
        snap = rules.StationSnapshot(
            r.id,
            r.number,
            r.name,
            context.election_date,
            r.opens_at,
            r.closes_at,
            opened_at=r.opened_at,
            closed_at=r.closed_at,
            last_report_at=r.last_report_at,
            members_present=r.members_present,
            ballots_remaining=r.ballots_left,
            admitted_voters=r.last_turnout_admitted_voters,
            count_status=r.count_status,
            open_incidents=incidents,
            turnout_moments=context.turnout_moments,
            last_turnout_moment=r.last_turnout_moment,
            need_help=bool(r.need_help),
            need_help_at=r.need_help_at,
            help_text=r.help_text,
        )
        out.append(
            StationRow(
                r.id,
                r.number,
                r.name,
                r.station_type,
                r.address,
                r.latitude,
                r.longitude,
                rules.map_state(snap, now, low_stock_threshold=threshold),
                snap,
                r.queue,
                bool(r.need_help),
                r.last_turnout_moment,
                r.help_request_id,
                help_texts.get(r.id, ()),
            )
        )
    return out


def overview(
    db: Session,
    actor: Actor,
    election_id: str,
    municipality_code: str,
    *,
    now: dt.datetime | None = None,
    silent_minutes: int = 30,
) -> Overview:
    """Everything the overview, map and alerts pages show, from the latest-state table, at ``now``
    (default: the office's clock, ``app.services.clock``: a running simulator's time, else the real one)."""
    authorise(db, actor, election_id, municipality_code)
    office_now = OfficeClock(now) if now is not None else clock.clock_for(db, election_id, municipality_code)
    now = office_now.now
    context, stations = _load(db, election_id, municipality_code, now)
    snaps = [row.snapshot for row in stations]
    found = rules.all_alerts(
        snaps, now, low_stock_threshold=context.low_stock_threshold, silent_minutes=silent_minutes
    )
    by_rule: dict[rules.Rule, set[int]] = {}
    for a in found:
        by_rule.setdefault(a.rule, set()).add(a.station_id)
    severity = {"high": 0, "medium": 0, "low": 0}
    for s in snaps:
        for sev, n in s.open_incidents.items():
            severity[sev] = severity.get(sev, 0) + n
    by_state: dict[str, int] = {state.value: 0 for state in rules.MapState}
    for row in stations:
        by_state[row.state.value] += 1
    shown, coming = latest_turnout(snaps, _per_moment(db, election_id, municipality_code), context.electorate)
    return Overview(
        context,
        now,
        stations,
        found,
        len(stations),
        sum(1 for s in snaps if rules.is_open(s)),
        len(by_rule.get(rules.Rule.NOT_OPEN, ())),
        severity,
        len(by_rule.get(rules.Rule.LOW_STOCK, ())),
        len(by_rule.get(rules.Rule.MEMBERS, ())),
        len(by_rule.get(rules.Rule.SILENT, ())),
        sum(1 for s in snaps if s.count_status in COUNTED_STATUSES),
        sum(1 for s in snaps if s.count_status == "accepted"),
        shown,
        coming,
        comparison(
            context,
            shown.moment.moment if shown and shown.coverage_permille >= COMPARE_FROM_PERMILLE else None,
        ),
        by_state,
        office_now.simulated,
        help_requests=len(by_rule.get(rules.Rule.HELP, ())),
    )


#: The share of stations (permille) that must have reported the moment shown before the overview compares
#: it with the previous election at that moment: a figure of a few stations is not the municipality's.
COMPARE_FROM_PERMILLE = 900


def latest_turnout(
    snaps: Sequence[rules.StationSnapshot], per_moment: dict[str, tuple[int, int]], electorate: int | None
) -> tuple[HeadlineTurnout | None, HeadlineTurnout | None]:
    """(the figure to show, a later moment still coming in). The figure is one moment's, as
    :func:`turnout` gives it (per moment the stations that reported for it), never a mix of moments, with
    one addition: a station that has closed before the moment counts with its last report (it admits no
    more voters; a bijzonder station closed at 16:00 does not report 17:45, and leaving it out made the
    turnout go down).

    Shown is the moment with the most stations in it, the later on a tie: the figure stays at 10:00 until
    as many stations have reported 13:45 (it does not drop at 13:45's first report), and a station that
    never reports a moment does not hold the figure back for the rest of the day. A later moment with
    fewer stations in it is returned second, as progress."""
    heads = []
    for moment, (reported, admitted) in sorted(per_moment.items(), key=lambda item: _moment_minute(item[0])):
        at = _moment_minute(moment)
        carried = [
            s
            for s in snaps
            if s.closed_at is not None
            and s.last_turnout_moment is not None
            and s.admitted_voters is not None
            and _moment_minute(s.last_turnout_moment) < at
            and _minute(s.closed_at.astimezone(TZ).time()) <= at
        ]
        reported += len(carried)
        admitted += sum(s.admitted_voters or 0 for s in carried)
        heads.append(
            HeadlineTurnout(
                MomentTurnout(moment, reported, admitted, turnout_rules.permille(admitted, electorate)),
                len(snaps),
            )
        )
    if not heads:
        return None, None
    shown = max(heads, key=lambda h: (h.moment.stations_reported, _moment_minute(h.moment.moment)))
    return shown, (heads[-1] if heads[-1] is not shown else None)


def _moment_minute(moment: str) -> int:
    return turnout_rules.minute_of(moment) or 0


def _minute(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def latest_state_rows(db: Session, election_id: str, municipality_code: str | None = None) -> int:
    """A bare read of the latest-state table (the benchmark's baseline): how many rows."""
    q = select(StationState).where(StationState.election_id == election_id)
    if municipality_code:
        q = q.where(StationState.municipality_code == municipality_code)
    return len(db.scalars(q).all())


# --- turnout against history --------------------------------------------------------------------------


def _pct_to_permille(text: str) -> int | None:
    try:
        return int((Decimal(text.strip()) * 10).to_integral_value())
    except (InvalidOperation, ValueError):
        return None


@dataclass(frozen=True)
class PastElection:
    election_id: str
    date: dt.date
    electorate: int
    voters: int

    @property
    def final_permille(self) -> int | None:
        return turnout_rules.permille(self.voters, self.electorate)


@lru_cache(maxsize=1)
def _history() -> dict[str, list[PastElection]]:
    """Final turnout per municipality and past election (shipped file; public data)."""
    out: dict[str, list[PastElection]] = {}
    with HISTORY.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            try:
                electorate, voters = int(row["kiesgerechtigden"]), int(row["opkomst"])
            except (TypeError, ValueError):
                continue
            out.setdefault(row["gemeente_code"], []).append(
                PastElection(row["election"], dt.date.fromisoformat(row["date"]), electorate, voters)
            )
    for rows in out.values():
        rows.sort(key=lambda p: p.date)
    return out


@lru_cache(maxsize=1)
def _intraday() -> dict[tuple[str, str], list[turnout_rules.Point]]:
    """Published intraday turnout points: (election, area) → points; national ones under "Nederland"."""
    out: dict[tuple[str, str], list[turnout_rules.Point]] = {}
    with INTRADAY.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            minute = turnout_rules.minute_of(row["time_local"])
            pm = _pct_to_permille(row["turnout_pct"])
            if minute is None or pm is None:
                continue
            out.setdefault((row["election"], row["area"]), []).append(turnout_rules.Point(minute, pm))
    return out


def past_elections(context: ElectionContext) -> list[PastElection]:
    """This municipality's past elections before this one, oldest first."""
    return [p for p in _history().get(context.municipality_code, []) if p.date < context.election_date]


def intraday_points(election_id: str, municipality_name: str) -> tuple[list[turnout_rules.Point], str]:
    """The published points of a past election: this municipality's own, else national ones."""
    points = _intraday().get((election_id, municipality_name))
    if points:
        return points, "municipal"
    points = _intraday().get((election_id, "Nederland"))
    if points:
        return points, "national"
    return [], "final"


def comparison(context: ElectionContext, moment: str | None) -> Comparison | None:
    """The previous election of the same kind in this municipality, at the turnout moment ``moment``
    ("HH:MM", the one this election's figure is for; not the clock time, which may be hours later).
    Without a moment (nothing reported yet) only its end-of-day turnout."""
    same_kind = [p for p in past_elections(context) if p.election_id.startswith(context.kind)]
    if not same_kind:
        return None
    prev = same_kind[-1]
    points, source = intraday_points(prev.election_id, context.municipality_name)
    minute = turnout_rules.minute_of(moment) if moment else None
    at = turnout_rules.at_time(points, minute) if points and minute is not None else None
    if at is None and minute is not None and minute >= 21 * 60:
        at = prev.final_permille
    return Comparison(prev.election_id, prev.final_permille, at, source, moment)


@dataclass(frozen=True)
class MomentTurnout:
    moment: str
    stations_reported: int
    admitted_voters: int
    permille: int | None


@dataclass(frozen=True)
class HeadlineTurnout:
    """A moment's municipal turnout with the number of stations of the municipality (``expected``)."""

    moment: MomentTurnout
    expected: int

    @property
    def complete(self) -> bool:
        return self.moment.stations_reported >= max(self.expected, 1)

    @property
    def coverage_permille(self) -> int:
        return 1000 * self.moment.stations_reported // max(self.expected, 1)


@dataclass(frozen=True)
class StationCount:
    number: int
    name: str
    moment: str | None
    admitted_voters: int | None


@dataclass(frozen=True)
class TurnoutView:
    context: ElectionContext
    stations_total: int
    moments: list[MomentTurnout]
    stations: list[StationCount]
    past: list[PastElection]
    #: election id → (points, "municipal" / "national" / "final")
    past_points: dict[str, tuple[list[turnout_rules.Point], str]] = field(default_factory=dict)


# Per moment, each station's latest report for it (a correction replaces the earlier one), summed. Plain
# SQL through the fast path's prepared statements: the overview runs it on every refresh, and building
# the same query in the ORM cost 4x its run (planning it each time, and SQLAlchemy's own work, more).
_PER_MOMENT = (
    "SELECT moment, count(*), sum(total_admitted_voters_count) FROM ("
    " SELECT DISTINCT ON (polling_station_id, moment) moment, total_admitted_voters_count"
    " FROM turnout_report WHERE election_id = %(election_id)s AND municipality_code = %(municipality_code)s"
    " ORDER BY polling_station_id, moment, reported_at DESC, id DESC) latest GROUP BY moment"
)


def _per_moment(db: Session, election_id: str, municipality_code: str) -> dict[str, tuple[int, int]]:
    """Per turnout moment: (stations that reported for it, their admitted voters), each station's latest
    report for that moment (a correction replaces the earlier one)."""
    rows = fastpath.begin_run(
        db, _PER_MOMENT, {"election_id": election_id, "municipality_code": municipality_code}
    )
    return {moment: (int(n), int(total or 0)) for moment, n, total in rows}


def turnout(db: Session, actor: Actor, election_id: str, municipality_code: str) -> TurnoutView:
    """Municipal turnout at each reporting moment (per moment: the latest report of each station that
    reported for it), the per-station admitted-voter counts (counts, never a percentage) and the past
    elections of this municipality."""
    authorise(db, actor, election_id, municipality_code)
    context = _context(db, election_id, municipality_code)
    per_moment = _per_moment(db, election_id, municipality_code)
    moments = sorted(set(context.turnout_moments) | set(per_moment), key=lambda m: m)
    rows = [
        MomentTurnout(
            m,
            per_moment.get(m, (0, 0))[0],
            per_moment.get(m, (0, 0))[1],
            turnout_rules.permille(per_moment[m][1], context.electorate) if m in per_moment else None,
        )
        for m in moments
    ]
    stations = db.execute(
        select(
            PollingStation.number,
            PollingStation.name,
            StationState.last_turnout_moment,
            StationState.last_turnout_admitted_voters,
        )
        .outerjoin(StationState, StationState.polling_station_id == PollingStation.id)
        .where(
            PollingStation.election_id == election_id, PollingStation.municipality_code == municipality_code
        )
        .order_by(PollingStation.number)
    ).all()
    past = past_elections(context)
    past_points = {p.election_id: intraday_points(p.election_id, context.municipality_name) for p in past}
    return TurnoutView(
        context,
        len(stations),
        rows,
        [StationCount(n, name, m, a) for n, name, m, a in stations],
        past,
        past_points,
    )


# --- preliminary result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListResult:
    number: int
    name: str
    votes: int
    share_permille: int | None
    seats: int | None


@dataclass(frozen=True)
class ResultView:
    context: ElectionContext
    stations_total: int
    stations_counted: int
    stations_accepted: int
    lists: list[ListResult]
    total_votes: int
    blank: int
    invalid: int
    seats: SeatAllocation | None


def preliminary_result(db: Session, actor: Actor, election_id: str, municipality_code: str) -> ResultView:
    """Votes per list over the stations whose latest count is submitted or accepted, N of M stations,
    and the provisional seat projection (Kieswet chapter P) for the council size."""
    authorise(db, actor, election_id, municipality_code)
    context = _context(db, election_id, municipality_code)
    counted = (
        select(StationState.count_version_id)
        .where(
            StationState.election_id == election_id,
            StationState.municipality_code == municipality_code,
            StationState.count_status.in_(COUNTED_STATUSES),
        )
        .scalar_subquery()
    )
    votes = dict(
        db.execute(
            select(CountListVotes.political_group_number, func.sum(CountListVotes.votes))
            .where(
                CountListVotes.municipality_code == municipality_code,
                CountListVotes.count_version_id.in_(counted),
            )
            .group_by(CountListVotes.political_group_number)
        ).all()
    )
    blank, invalid = db.execute(
        select(
            func.coalesce(func.sum(CountVersion.blank_votes_count), 0),
            func.coalesce(func.sum(CountVersion.invalid_votes_count), 0),
        ).where(CountVersion.municipality_code == municipality_code, CountVersion.id.in_(counted))
    ).one()
    states = db.execute(
        select(StationState.count_status, func.count())
        .where(StationState.election_id == election_id, StationState.municipality_code == municipality_code)
        .group_by(StationState.count_status)
    ).all()
    by_status = {s: n for s, n in states}
    total_stations = db.scalar(
        select(func.count())
        .select_from(PollingStation)
        .where(
            PollingStation.election_id == election_id, PollingStation.municipality_code == municipality_code
        )
    )
    groups = db.execute(
        select(PoliticalGroup.number, PoliticalGroup.name)
        .where(
            PoliticalGroup.election_id == election_id, PoliticalGroup.municipality_code == municipality_code
        )
        .order_by(PoliticalGroup.number)
    ).all()
    total = sum(int(v or 0) for v in votes.values())
    seats: SeatAllocation | None = None
    if total > 0 and context.council_size:
        names = {n: f"{n}. {name}" for n, name in groups}
        seats = allocate_seats(
            {names.get(n, str(n)): int(votes.get(n) or 0) for n, _ in groups}, context.council_size
        )
    lists = []
    for n, name in groups:
        v = int(votes.get(n) or 0)
        share = (v * 2000 + total) // (2 * total) if total else None
        lists.append(
            ListResult(n, name, v, share, seats.seats_by_list().get(f"{n}. {name}") if seats else None)
        )
    return ResultView(
        context,
        int(total_stations or 0),
        sum(by_status.get(s, 0) for s in COUNTED_STATUSES),
        by_status.get("accepted", 0),
        lists,
        total,
        int(blank),
        int(invalid),
        seats,
    )


def share_fraction(votes: int, total: int) -> Fraction:
    return Fraction(votes, total) if total else Fraction(0)


# --- station detail --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One step of a station's day. ``kind``: opening, members, stock, queue, help (a request),
    help_withdrawn (by the chair), help_handled (by the office), turnout, incident, incident_<event>,
    closing, count, count_<status>. ``summary``: its facts as data (codes, numbers, times, texts as
    typed); the page turns them into a sentence in the interface language (``app.ui.office``)."""

    at: dt.datetime
    kind: str
    who: str | None
    summary: dict[str, Any]


@dataclass(frozen=True)
class StationDetail:
    @dataclass(frozen=True)
    class Stop:
        """One stop of a mobiel station (a location/time row), in local time, its place as typed or
        imported; ``current``: the station is there at the office's "now"."""

        starts_at: dt.datetime
        ends_at: dt.datetime
        location: str | None
        current: bool = False

    row: StationRow
    timeline: list[TimelineEntry]
    #: a mobiel station's stops in the order of the day (empty for a station of one location)
    stops: list[Stop] = field(default_factory=list)
    #: the office's "now" (simulated while a simulator runs) that ``Stop.current`` was judged by
    now: dt.datetime | None = None


def station_detail(db: Session, actor: Actor, polling_station_id: int) -> StationDetail:
    """A station's state and the timeline of every report, help request, incident step and count
    version, newest first."""
    authz.require_role(db, actor, *OFFICE_ROLES)
    station = db.get(PollingStation, polling_station_id)
    if station is None:
        raise NotFound("station", key="error.not_found")
    authz.require_municipality(db, actor, station.municipality_code)
    context = _context(db, station.election_id, station.municipality_code)
    now = clock.now_for(db, station.election_id, station.municipality_code)
    state = db.get(StationState, station.id)
    latest_help = station_state.latest_help(db, station.id) if state and state.need_help else None
    open_help = latest_help if latest_help is not None and latest_help.open else None
    snap = _snapshot(
        station,
        state,
        context.election_date,
        context.turnout_moments,
        open_help.text if open_help else None,
    )
    row = StationRow(
        station.id,
        station.number,
        station.name,
        station.station_type,
        station.address,
        station.latitude,
        station.longitude,
        rules.map_state(snap, now, low_stock_threshold=context.low_stock_threshold),
        snap,
        state.queue if state else None,
        bool(state.need_help) if state else False,
        state.last_turnout_moment if state else None,
        open_help.id if open_help else None,
        station_state.open_help_texts(db, {station.id: open_help.id})[station.id] if open_help else (),
    )
    sid = station.id
    entries: list[TimelineEntry] = []
    for o in db.scalars(select(StationOpening).where(StationOpening.polling_station_id == sid)):
        entries.append(
            TimelineEntry(
                o.reported_at, "opening", o.actor_name, {"opened_at": o.opened_at, "late": o.is_late}
            )
        )
    for m in db.scalars(select(MemberReport).where(MemberReport.polling_station_id == sid)):
        entries.append(TimelineEntry(m.reported_at, "members", m.actor_name, {"present": m.present_count}))
    for s in db.scalars(select(StockReport).where(StockReport.polling_station_id == sid)):
        entries.append(
            TimelineEntry(s.reported_at, "stock", s.actor_name, {"left": s.ballots_left, "low": s.low_stock})
        )
    for g in db.scalars(select(StationSignal).where(StationSignal.polling_station_id == sid)):
        if g.kind != reports.HELP:
            entries.append(TimelineEntry(g.reported_at, "queue", g.actor_name, {"value": g.value}))
        elif g.value is None:
            entries.append(TimelineEntry(g.reported_at, "help", g.actor_name, {"text": g.note}))
        else:
            by_chair = station_state.HelpSignal.of(
                (g.id, g.value, g.note, g.reported_at, g.actor_id, g.actor_name)
            ).by_chair
            kind = "help_withdrawn" if by_chair else "help_handled"
            entries.append(TimelineEntry(g.reported_at, kind, g.actor_name, {"text": g.note}))
    for t in db.scalars(select(TurnoutReport).where(TurnoutReport.polling_station_id == sid)):
        entries.append(
            TimelineEntry(
                t.reported_at,
                "turnout",
                t.actor_name,
                {
                    "moment": t.moment,
                    "admitted": t.total_admitted_voters_count,
                    "correction": t.is_correction,
                    "late": t.is_late,
                },
            )
        )
    for i in db.scalars(select(Incident).where(Incident.polling_station_id == sid)):
        entries.append(
            TimelineEntry(
                i.reported_at,
                "incident",
                i.actor_name,
                {"id": i.id, "category": i.category, "severity": i.severity, "text": i.text},
            )
        )
    for ev in db.scalars(select(IncidentEvent).where(IncidentEvent.polling_station_id == sid)):
        entries.append(
            TimelineEntry(
                ev.occurred_at,
                f"incident_{ev.kind}",
                ev.actor_name,
                {"id": ev.incident_id, "text": ev.text, "assigned_to": ev.assigned_to},
            )
        )
    for c in db.scalars(select(StationClosing).where(StationClosing.polling_station_id == sid)):
        entries.append(TimelineEntry(c.reported_at, "closing", c.actor_name, {"closed_at": c.closed_at}))
    for cv in db.scalars(select(CountVersion).where(CountVersion.polling_station_id == sid)):
        entries.append(
            TimelineEntry(
                cv.reported_at,
                "count",
                cv.actor_name,
                {"version": cv.version, "status": cv.status, "votes_cast": cv.total_votes_cast_count},
            )
        )
        if cv.reviewed_at is not None:
            entries.append(
                TimelineEntry(
                    cv.reviewed_at,
                    f"count_{cv.status}",
                    cv.reviewed_by_name,
                    {"version": cv.version, "reason": cv.returned_reason},
                )
            )
    entries.sort(key=lambda e: e.at, reverse=True)
    from app.services import setup  # a mobiel station's stops: where it is now

    stops = [
        StationDetail.Stop(s.starts_at, s.ends_at, s.address, s.starts_at <= now < s.ends_at)
        for s in setup.station_locations(db, sid)
    ]
    return StationDetail(row, entries, stops, now)


# --- requests for help -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HelpResult:
    """The help signal that ended a station's request (``id``); ``duplicate``: a retry, nothing new."""

    id: int
    polling_station_id: int
    request_id: int | None
    handled_at: dt.datetime
    duplicate: bool = False


def handle_help_request(
    db: Session,
    actor: Actor,
    polling_station_id: int,
    *,
    request_id: int | None = None,
    note: str | None = None,
    client_submission_id: uuid.UUID | str | None = None,
) -> HelpResult:
    """The office marks the station's open request for help handled, with an optional ``note`` for the
    chair. ``request_id``: the latest request the office saw (its ``station_signal`` id,
    ``StationRow.help_request_id``); when the chair has withdrawn it or asked again since, refused
    (Conflict) so that nobody closes a request unread. Handling ends every request of the open request
    (``StationRow.help_texts``: a chair may ask again while it is open): the next one opens anew. One
    transaction: the help signal that ends the request (by the office), ``need_help`` cleared and the
    status computed again in the latest-state table, the audit row (``help_handled``). A retry with the
    same ``client_submission_id`` stores nothing new; an already handled or withdrawn request is a
    Conflict (as a resolved incident is)."""
    authz.require_role(db, actor, *OFFICE_ROLES)
    station = db.get(PollingStation, polling_station_id) if type(polling_station_id) is int else None
    if station is None:
        raise NotFound("station", key="error.not_found")
    authz.require_municipality(db, actor, station.municipality_code)
    body = _clean_text(note, "note", required=False)
    try:
        cid = uuid.UUID(str(client_submission_id)) if client_submission_id is not None else uuid.uuid4()
    except ValueError:
        raise InvalidInput(
            "client_submission_id", field="client_submission_id", key="chair.error.submission"
        ) from None

    def stored() -> HelpResult | None:
        row = db.scalar(select(StationSignal).where(StationSignal.client_submission_id == cid))
        if row is None:
            return None
        if row.polling_station_id != station.id or row.kind != reports.HELP or row.value is None:
            raise Conflict("client_submission_id used elsewhere", key="chair.error.submission_used")
        return HelpResult(row.id, station.id, request_id, row.reported_at, duplicate=True)

    if (again := stored()) is not None:
        return again
    state = station_state.lock(db, station)  # reports and actions of one station are serialised
    latest = station_state.latest_help(db, station.id)
    if not state.need_help or latest is None or not latest.open:
        db.rollback()
        raise Conflict("no open request for help", key="help.error.not_open")
    if request_id is not None and latest.id != request_id:
        db.rollback()
        raise Conflict("the chair asked again", key="help.error.changed")
    # the office's clock: a running simulator's time of day, as on the overview and the chair's reports
    now = clock.now_for(db, station.election_id, station.municipality_code)
    row = StationSignal(
        election_id=station.election_id,
        municipality_code=station.municipality_code,
        polling_station_id=station.id,
        reported_at=now,
        actor_id=actor.audit_id,
        actor_name=actor.name,
        client_submission_id=cid,
        kind=reports.HELP,
        value=reports.HELP_CLOSED,
        note=body,
    )
    db.add(row)
    db.flush()
    before: dict[str, Any] = {"need_help": True, "request_id": latest.id, "text": latest.text}
    texts = station_state.open_help_texts(db, {station.id: latest.id}).get(station.id, ())
    if len(texts) > 1:  # the chair asked more than once: the audit names every text this handling ends
        before["earlier"] = [{"request_id": t.id, "text": t.text} for t in texts[:-1]]
    state.need_help = False
    state.need_help_at = None
    station_state.finish(state, now, report=False)
    audit.record(
        db,
        actor,
        "help_handled",
        entity="station_signal",
        entity_id=row.id,
        municipality_code=station.municipality_code,
        election_id=station.election_id,
        polling_station_id=station.id,
        before=before,
        after={"need_help": False, "request_id": latest.id, "note": body},
    )
    try:
        db.commit()
    except IntegrityError:  # a concurrent retry of the same submission committed first
        db.rollback()
        if (again := stored()) is not None:
            return again
        raise
    return HelpResult(row.id, station.id, latest.id, now)


# --- incidents ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentEventView:
    kind: str
    text: str | None
    assigned_to: str | None
    actor_name: str | None
    occurred_at: dt.datetime


@dataclass(frozen=True)
class IncidentView:
    id: int
    station_id: int
    station_number: int
    station_name: str
    category: str
    severity: str
    status: str
    text: str
    assigned_to: str | None
    raised_by: str | None
    raised_at: dt.datetime
    updated_at: dt.datetime
    events: list[IncidentEventView] = field(default_factory=list)


SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def list_incidents(
    db: Session,
    actor: Actor,
    election_id: str,
    municipality_code: str,
    *,
    statuses: Sequence[str] = (),
    severities: Sequence[str] = (),
    categories: Sequence[str] = (),
    keep: int | None = None,
) -> list[IncidentView]:
    """The incident queue of a municipality, filtered; most severe and oldest unresolved first.
    ``keep``: an incident listed whether or not it matches the filters (the one open on the page,
    which a colleague may have changed meanwhile), when it is of this election and municipality."""
    authorise(db, actor, election_id, municipality_code)
    q = (
        select(Incident, PollingStation.number, PollingStation.name)
        .join(PollingStation, PollingStation.id == Incident.polling_station_id)
        .where(Incident.election_id == election_id, Incident.municipality_code == municipality_code)
    )
    matches = (
        (Incident.status.in_(list(statuses)) if statuses else true())
        & (Incident.severity.in_(list(severities)) if severities else true())
        & (Incident.category.in_(list(categories)) if categories else true())
    )
    q = q.where(matches if keep is None else matches | (Incident.id == keep))
    found = db.execute(q).all()
    ids = [i.id for i, _, _ in found]
    events: dict[int, list[IncidentEventView]] = {}
    if ids:
        for ev in db.scalars(
            select(IncidentEvent)
            .where(IncidentEvent.incident_id.in_(ids))
            .order_by(IncidentEvent.occurred_at)
        ):
            events.setdefault(ev.incident_id, []).append(
                IncidentEventView(ev.kind, ev.text, ev.assigned_to, ev.actor_name, ev.occurred_at)
            )
    views = [
        IncidentView(
            i.id,
            i.polling_station_id,
            number,
            name,
            i.category,
            i.severity,
            i.status,
            i.text,
            i.assigned_to,
            i.actor_name,
            i.reported_at,
            i.updated_at,
            events.get(i.id, []),
        )
        for i, number, name in found
    ]
    views.sort(key=lambda v: (v.status == "resolved", SEVERITY_ORDER.get(v.severity, 9), v.raised_at))
    return views


def colleagues(db: Session, actor: Actor, municipality_code: str) -> list[str]:
    """Display names of the office staff of the municipality (to assign incidents to)."""
    authz.require_role(db, actor, *OFFICE_ROLES)
    authz.require_municipality(db, actor, municipality_code)
    return list(
        db.scalars(
            select(StaffUser.display_name)
            .where(
                StaffUser.municipality_code == municipality_code,
                StaffUser.role == Role.OFFICE.value,
                StaffUser.is_active.is_(True),
            )
            .order_by(StaffUser.display_name)
        )
    )


def _incident_for_update(db: Session, actor: Actor, incident_id: int) -> Incident:
    authz.require_role(db, actor, *OFFICE_ROLES)
    incident = db.get(Incident, incident_id, with_for_update=True)
    if incident is None:
        raise NotFound("incident", key="error.not_found")
    authz.require_municipality(db, actor, incident.municipality_code)
    return incident


def _existing_event(db: Session, client_submission_id: uuid.UUID | str | None) -> IncidentEvent | None:
    if client_submission_id is None:
        return None
    return db.scalar(
        select(IncidentEvent).where(
            IncidentEvent.client_submission_id == uuid.UUID(str(client_submission_id))
        )
    )


def _clean_text(
    text: str | None, field_name: str, *, required: bool, max_length: int = MAX_TEXT
) -> str | None:
    return inputs.text(
        text,
        field_name,
        max_length=max_length,
        required=required,
        required_key="office.error.text_required",
        too_long_key="office.error.text_too_long",
    )


def _triage(
    db: Session,
    actor: Actor,
    incident_id: int,
    kind: str,
    *,
    text: str | None = None,
    assigned_to: str | None = None,
    client_submission_id: uuid.UUID | str | None = None,
) -> IncidentView:
    incident = _incident_for_update(db, actor, incident_id)
    existing = _existing_event(db, client_submission_id)
    if existing is not None:  # a retry: the stored result
        return _incident_view(db, incident)
    before = {"status": incident.status, "assigned_to": incident.assigned_to}
    # the office's clock: a running simulator's time of day, as on the overview and the chair's reports
    now = clock.now_for(db, incident.election_id, incident.municipality_code)
    if kind == "acknowledge":
        if incident.status == "resolved":
            raise Conflict("resolved", key="office.error.incident_resolved")
        incident.status = "acknowledged"
        incident.acknowledged_at = incident.acknowledged_at or now
    elif kind == "assign":
        if incident.status == "resolved":
            raise Conflict("resolved", key="office.error.incident_resolved")
        incident.assigned_to = assigned_to
        if incident.status == "open":
            incident.status = "acknowledged"
            incident.acknowledged_at = incident.acknowledged_at or now
    elif kind == "resolve":
        if incident.status == "resolved":
            raise Conflict("resolved", key="office.error.incident_resolved")
        incident.status = "resolved"
        incident.resolved_at = now
    incident.updated_at = now
    db.add(
        IncidentEvent(
            incident_id=incident.id,
            election_id=incident.election_id,
            municipality_code=incident.municipality_code,
            polling_station_id=incident.polling_station_id,
            kind=kind,
            text=text,
            assigned_to=assigned_to,
            actor_kind=actor.kind,
            actor_id=actor.audit_id,
            actor_name=actor.name,
            client_submission_id=uuid.UUID(str(client_submission_id or uuid.uuid4())),
            occurred_at=now,
        )
    )
    db.flush()
    if kind != "reply":  # the latest-state table follows (open incident counts, status)
        station = db.get(PollingStation, incident.polling_station_id)
        assert station is not None
        station_state.refresh_after_incident_change(db, station, now)
    audit.record(
        db,
        actor,
        f"incident_{kind}",
        entity="incident",
        entity_id=incident.id,
        municipality_code=incident.municipality_code,
        election_id=incident.election_id,
        polling_station_id=incident.polling_station_id,
        before=before,
        after={"status": incident.status, "assigned_to": incident.assigned_to, "text": text},
    )
    db.commit()
    return _incident_view(db, incident)


def _incident_view(db: Session, incident: Incident) -> IncidentView:
    station = db.get(PollingStation, incident.polling_station_id)
    assert station is not None
    events = [
        IncidentEventView(ev.kind, ev.text, ev.assigned_to, ev.actor_name, ev.occurred_at)
        for ev in db.scalars(
            select(IncidentEvent)
            .where(IncidentEvent.incident_id == incident.id)
            .order_by(IncidentEvent.occurred_at, IncidentEvent.id)
        )
    ]
    return IncidentView(
        incident.id,
        station.id,
        station.number,
        station.name,
        incident.category,
        incident.severity,
        incident.status,
        incident.text,
        incident.assigned_to,
        incident.actor_name,
        incident.reported_at,
        incident.updated_at,
        events,
    )


def acknowledge_incident(
    db: Session, actor: Actor, incident_id: int, *, client_submission_id: uuid.UUID | str | None = None
) -> IncidentView:
    """The office has seen the incident and is on it."""
    return _triage(db, actor, incident_id, "acknowledge", client_submission_id=client_submission_id)


def assign_incident(
    db: Session,
    actor: Actor,
    incident_id: int,
    assignee: str,
    *,
    client_submission_id: uuid.UUID | str | None = None,
) -> IncidentView:
    """Assign the incident to a colleague (by display name, as shown in the list)."""
    name = _clean_text(assignee, "assignee", required=True, max_length=200)  # the column's size
    return _triage(
        db, actor, incident_id, "assign", assigned_to=name, client_submission_id=client_submission_id
    )


def reply_incident(
    db: Session,
    actor: Actor,
    incident_id: int,
    text: str,
    *,
    client_submission_id: uuid.UUID | str | None = None,
) -> IncidentView:
    """A reply to the chair (the chair sees it with the incident)."""
    body = _clean_text(text, "reply", required=True)
    return _triage(db, actor, incident_id, "reply", text=body, client_submission_id=client_submission_id)


def resolve_incident(
    db: Session,
    actor: Actor,
    incident_id: int,
    note: str | None = None,
    *,
    client_submission_id: uuid.UUID | str | None = None,
) -> IncidentView:
    """Close the incident, with an optional note (shown to the chair)."""
    body = _clean_text(note, "note", required=False)
    return _triage(db, actor, incident_id, "resolve", text=body, client_submission_id=client_submission_id)


# --- count review -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountReview:
    count_version_id: int
    station_id: int
    station_number: int
    station_name: str
    version: int
    status: str
    submitted_at: dt.datetime
    submitted_by: str | None
    admitted: int  # D
    votes_cast: int  # H
    blank: int
    invalid: int
    more: int
    fewer: int
    difference_explained: bool | None
    warnings: list[str]
    explanations: dict[str, str]
    list_votes: dict[int, int]
    returned_reason: str | None
    reviewed_by: str | None


def counts_for_review(
    db: Session, actor: Actor, election_id: str, municipality_code: str, *, statuses: Sequence[str] = ()
) -> list[CountReview]:
    """The latest count version of each station that submitted one, with warnings and explanations;
    submitted (to review) first."""
    authorise(db, actor, election_id, municipality_code)
    q = (
        select(CountVersion, PollingStation.number, PollingStation.name)
        .join(StationState, StationState.count_version_id == CountVersion.id)
        .join(PollingStation, PollingStation.id == CountVersion.polling_station_id)
        .where(CountVersion.election_id == election_id, CountVersion.municipality_code == municipality_code)
    )
    if statuses:
        q = q.where(CountVersion.status.in_(list(statuses)))
    out = []
    for cv, number, name in db.execute(q):
        explained: bool | None = None
        if cv.more_ballots_count or cv.fewer_ballots_count:
            explained = bool(cv.difference_completely_accounted_for_yes)
        out.append(
            CountReview(
                cv.id,
                cv.polling_station_id,
                number,
                name,
                cv.version,
                cv.status,
                cv.reported_at,
                cv.actor_name,
                cv.total_admitted_voters_count,
                cv.total_votes_cast_count,
                cv.blank_votes_count,
                cv.invalid_votes_count,
                cv.more_ballots_count,
                cv.fewer_ballots_count,
                explained,
                [str(w) for w in (cv.warnings or [])],
                {str(k): str(v) for k, v in (cv.explanations or {}).items()},
                {int(g["number"]): int(g.get("total") or 0) for g in (cv.political_group_votes or [])},
                cv.returned_reason,
                cv.reviewed_by_name,
            )
        )
    order = {"submitted": 0, "returned": 1, "accepted": 2}
    out.sort(key=lambda r: (order.get(r.status, 9), r.station_number))
    return out


# --- exports ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportTable:
    columns: list[str]
    rows: list[dict[str, object]]


def export_counts(
    db: Session, actor: Actor, election_id: str, municipality_code: str | None = None
) -> ExportTable:
    """Counts per station (the latest count version of each station; stations without a count have an
    empty row with status ``not_counted``). Without a municipality: every municipality the actor may
    see (all for a global admin)."""

    authz.require_role(db, actor, *OFFICE_ROLES)
    if municipality_code is not None:
        authz.require_municipality(db, actor, municipality_code)
    elif not actor.is_global_admin:
        municipality_code = actor.municipality_code
    if db.get(Election, election_id) is None:
        raise NotFound("election", key="error.not_found")
    groups_q = select(PoliticalGroup.municipality_code, PoliticalGroup.number, PoliticalGroup.name).where(
        PoliticalGroup.election_id == election_id
    )
    stations_q = (
        select(PollingStation, StationState.count_version_id)
        .outerjoin(StationState, StationState.polling_station_id == PollingStation.id)
        .where(PollingStation.election_id == election_id)
        .order_by(PollingStation.municipality_code, PollingStation.number)
    )
    if municipality_code is not None:
        groups_q = groups_q.where(PoliticalGroup.municipality_code == municipality_code)
        stations_q = stations_q.where(PollingStation.municipality_code == municipality_code)
    names: dict[tuple[str, int], str] = {}
    order: dict[str, tuple[int, str]] = {}
    for code, number, name in db.execute(groups_q.order_by(PoliticalGroup.number)):
        names[(code, number)] = name
        order.setdefault(name, (number, name))
    list_columns = sorted(order, key=lambda n: order[n])
    station_rows_ = db.execute(stations_q).all()
    version_ids = [v for _, v in station_rows_ if v is not None]
    versions = (
        {cv.id: cv for cv in db.scalars(select(CountVersion).where(CountVersion.id.in_(version_ids)))}
        if version_ids
        else {}
    )
    rows: list[dict[str, object]] = []
    for ps, version_id in station_rows_:
        row: dict[str, object] = {
            "election_id": election_id,
            "municipality_code": ps.municipality_code,
            "station_number": ps.number,
            "station_name": ps.name,
            "status": "not_counted",
        }
        cv = versions.get(version_id) if version_id is not None else None
        if cv is not None:
            row.update(
                poll_card_count=cv.poll_card_count,
                proxy_certificate_count=cv.proxy_certificate_count,
                voter_card_count=cv.voter_card_count,
                total_admitted_voters_count=cv.total_admitted_voters_count,
                blank_votes_count=cv.blank_votes_count,
                invalid_votes_count=cv.invalid_votes_count,
                total_votes_cast_count=cv.total_votes_cast_count,
                more_ballots_count=cv.more_ballots_count,
                fewer_ballots_count=cv.fewer_ballots_count,
                status=cv.status,
            )
            for g in cv.political_group_votes or []:
                list_name = names.get((ps.municipality_code, int(g["number"])))
                if list_name is not None:
                    row[list_name] = int(g.get("total") or 0)
        rows.append(row)
    return ExportTable(office_exports.count_columns(list_columns), rows)


def export_station_status(db: Session, actor: Actor, election_id: str, municipality_code: str) -> ExportTable:

    view = overview(db, actor, election_id, municipality_code)
    rows: list[dict[str, object]] = [
        {
            "election_id": election_id,
            "municipality_code": municipality_code,
            "station_number": r.number,
            "station_name": r.name,
            "state": r.state.value,
            "opened_at": r.snapshot.opened_at,
            "closed_at": r.snapshot.closed_at,
            "last_report_at": r.snapshot.last_report_at,
            "members_present": r.snapshot.members_present,
            "ballots_remaining": r.snapshot.ballots_remaining,
            "admitted_voters": r.snapshot.admitted_voters,
            "open_incidents": r.open_incidents,
            "count_status": r.snapshot.count_status,
        }
        for r in view.stations
    ]
    return ExportTable(list(office_exports.STATION_STATUS_COLUMNS), rows)


def export_turnout(db: Session, actor: Actor, election_id: str, municipality_code: str) -> ExportTable:

    view = turnout(db, actor, election_id, municipality_code)
    rows: list[dict[str, object]] = [
        {
            "election_id": election_id,
            "municipality_code": municipality_code,
            "moment": m.moment,
            "stations_reported": m.stations_reported,
            "stations_total": view.stations_total,
            "admitted_voters": m.admitted_voters,
            "electorate": view.context.electorate,
            "turnout_permille": m.permille,
        }
        for m in view.moments
    ]
    return ExportTable(list(office_exports.TURNOUT_COLUMNS), rows)


def export_incidents(db: Session, actor: Actor, election_id: str, municipality_code: str) -> ExportTable:

    rows: list[dict[str, object]] = [
        {
            "incident_id": i.id,
            "election_id": election_id,
            "municipality_code": municipality_code,
            "station_number": i.station_number,
            "station_name": i.station_name,
            "category": i.category,
            "severity": i.severity,
            "status": i.status,
            "assigned_to": i.assigned_to,
            "raised_at": i.raised_at,
            "updated_at": i.updated_at,
            "description": i.text,
        }
        for i in list_incidents(db, actor, election_id, municipality_code)
    ]
    return ExportTable(list(office_exports.INCIDENT_COLUMNS), rows)
