"""Use cases of a polling station's chair during the day (issue 3).

Each one: the actor must be the chair of *this* station (checked on the stored station row), within
the election's access window; input is validated through ``app.domain.reports``; the report, the
station's latest state (``station_state``) and the audit row are written in one transaction. Each is
idempotent on ``client_submission_id``: a retry (double click, network) stores nothing new and returns
the stored result with ``duplicate=True``.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain import reports
from app.domain.access import Actor, Role
from app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.services import audit, authz
from app.storage import station_state
from app.storage.chair_models import (
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
from app.storage.models import Election, PollingStation

TZ = zoneinfo.ZoneInfo("Europe/Amsterdam")
R = TypeVar("R")


@dataclass(frozen=True)
class ReportResult:
    """What a report stored. ``duplicate``: this was a retry and nothing new was stored.
    ``warnings``: text keys of warnings for the chair (e.g. too few members)."""

    id: int
    kind: str
    reported_at: dt.datetime
    duplicate: bool = False
    warnings: tuple[str, ...] = ()
    late: bool = False


@dataclass(frozen=True)
class Context:
    station: PollingStation
    election: Election
    now: dt.datetime


# --- shared checks -----------------------------------------------------------------------------------


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def chair_context(
    db: Session, actor: Actor, polling_station_id: int, now: dt.datetime | None = None
) -> Context:
    """The chair of this station, within the election's access window (or refused and logged)."""
    authz.require_role(db, actor, Role.CHAIR)
    station = db.get(PollingStation, polling_station_id) if isinstance(polling_station_id, int) else None
    if station is None:
        raise NotFound("station", key="error.not_found")
    authz.require_station(db, actor, station.id, station.municipality_code)
    if actor.election_id != station.election_id or actor.municipality_code != station.municipality_code:
        raise authz._refuse(db, actor, "station", polling_station_id=station.id)
    election = db.get(Election, station.election_id)
    assert election is not None
    now = now or now_utc()
    if (election.access_from and now < election.access_from) or (
        election.access_until and now > election.access_until
    ):
        audit_refusal = authz._refuse(db, actor, "election_window", election_id=election.id)
        raise NotAllowed(str(audit_refusal), key="chair.error.window")
    return Context(station, election, now)


def submission_uuid(value: object) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError):
        raise InvalidInput(
            "client_submission_id", field="client_submission_id", key="chair.error.submission"
        ) from None


def stored(db: Session, model: Any, cid: uuid.UUID, station_id: int) -> Any | None:
    """The row a retry already stored, or None. Another station's id is a conflict, not a result."""
    row = db.scalar(select(model).where(model.client_submission_id == cid))
    if row is not None and row.polling_station_id != station_id:
        raise Conflict("client_submission_id used by another station", key="chair.error.submission_used")
    return row


def commit_once(
    db: Session, model: Any, cid: uuid.UUID, station_id: int, result: Callable[[Any, bool], R]
) -> R:
    """Commit; when a concurrent retry committed the same submission first, return that one."""
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        row = stored(db, model, cid, station_id)
        if row is None:
            raise
        return result(row, True)
    return None  # type: ignore[return-value]


def _local(now: dt.datetime) -> dt.datetime:
    return now.astimezone(TZ)


def _report_columns(ctx: Context, actor: Actor, cid: uuid.UUID) -> dict[str, Any]:
    return {
        "election_id": ctx.station.election_id,
        "municipality_code": ctx.station.municipality_code,
        "polling_station_id": ctx.station.id,
        "reported_at": ctx.now,
        "actor_id": actor.audit_id,
        "actor_name": actor.name,
        "client_submission_id": cid,
    }


def _audit(db: Session, actor: Actor, ctx: Context, action: str, entity: str, row: Any, after: dict) -> None:
    audit.record(
        db,
        actor,
        action,
        entity=entity,
        entity_id=row.id,
        municipality_code=ctx.station.municipality_code,
        election_id=ctx.station.election_id,
        polling_station_id=ctx.station.id,
        after=after,
    )


def _save(
    db: Session,
    actor: Actor,
    ctx: Context,
    row: Any,
    cid: uuid.UUID,
    action: str,
    after: dict,
    update_state: Callable[[StationState], None],
    result: Callable[[Any, bool], ReportResult],
) -> ReportResult:
    db.add(row)
    db.flush()
    state = station_state.lock(db, ctx.station)
    update_state(state)
    station_state.finish(state, ctx.now)
    _audit(db, actor, ctx, action, row.__tablename__, row, after)
    retried = commit_once(db, type(row), cid, ctx.station.id, result)
    return retried if retried is not None else result(row, False)


def _simple_result(kind: str, warnings: Callable[[Any], tuple[str, ...]] | None = None):
    def make(row: Any, duplicate: bool) -> ReportResult:
        return ReportResult(
            row.id,
            kind,
            row.reported_at,
            duplicate,
            warnings(row) if warnings else (),
            bool(getattr(row, "is_late", False)),
        )

    return make


# --- opening, members, stock, signals ------------------------------------------------------------------


def submit_opening(
    db: Session,
    actor: Actor,
    polling_station_id: int,
    checklist: Sequence[str] | dict[str, bool],
    *,
    opened_at: dt.datetime | None = None,
    ballots_received: int | None = None,
    client_submission_id: object,
    now: dt.datetime | None = None,
) -> ReportResult:
    """Report the station open: the checklist items ticked (a list of keys, or key → ticked) and the
    time it opened (default: now). Every item of the election's checklist must be ticked."""
    ctx = chair_context(db, actor, polling_station_id, now)
    cid = submission_uuid(client_submission_id)
    result = _simple_result("opening")
    if (row := stored(db, StationOpening, cid, ctx.station.id)) is not None:
        return result(row, True)
    items = [
        str(i["key"]) for i in (ctx.election.checklist_items or []) if isinstance(i, dict) and "key" in i
    ]
    ticked = (
        {k for k, v in checklist.items() if v} if isinstance(checklist, dict) else {str(k) for k in checklist}
    )
    missing = [k for k in items if k not in ticked]
    if missing:
        raise InvalidInput(
            f"checklist items not ticked: {missing}",
            field=f"checklist.{missing[0]}",
            key="chair.error.checklist",
            items=", ".join(missing),
        )
    if ballots_received is not None:
        reports.check_count_value(ballots_received, "ballots_received")
    opened = opened_at or ctx.now
    if opened > ctx.now + dt.timedelta(minutes=5):
        raise InvalidInput("opened in the future", field="opened_at", key="chair.error.future")
    late = reports.opened_late(_local(opened), ctx.station.opens_at)
    row = StationOpening(
        **_report_columns(ctx, actor, cid),
        checklist={k: k in ticked for k in items} or {k: True for k in ticked},
        ballots_received=ballots_received,
        opened_at=opened,
        is_late=late,
    )

    def state(s: StationState) -> None:
        if s.opened_at is None or opened < s.opened_at:
            s.opened_at = opened
            s.opened_late = late

    return _save(
        db,
        actor,
        ctx,
        row,
        cid,
        "station_opened",
        {"opened_at": opened, "checklist": row.checklist, "ballots_received": ballots_received, "late": late},
        state,
        result,
    )


def report_members(
    db: Session,
    actor: Actor,
    polling_station_id: int,
    present_count: int,
    *,
    names: Sequence[str] | None = None,
    note: str | None = None,
    client_submission_id: object,
    now: dt.datetime | None = None,
) -> ReportResult:
    """Members present now, including the chair (1–7; fewer than 3 is stored with a warning)."""
    ctx = chair_context(db, actor, polling_station_id, now)
    cid = submission_uuid(client_submission_id)

    def warn(row: Any) -> tuple[str, ...]:
        return ("chair.warning.too_few_members",) if row.present_count < reports.MIN_MEMBERS else ()

    result = _simple_result("members", warn)
    if (row := stored(db, MemberReport, cid, ctx.station.id)) is not None:
        return result(row, True)
    reports.check_members_present(present_count)
    clean_names = [n for n in (reports.clean_text(x, "names", required=False) for x in names or ()) if n]
    row = MemberReport(
        **_report_columns(ctx, actor, cid),
        present_count=present_count,
        names=clean_names or None,
        note=reports.clean_text(note, "note", required=False),
    )

    def state(s: StationState) -> None:
        s.members_present = present_count
        s.members_reported_at = ctx.now

    after = {"present_count": present_count, "names": clean_names, "note": row.note}
    return _save(db, actor, ctx, row, cid, "members_reported", after, state, result)


def report_stock(
    db: Session,
    actor: Actor,
    polling_station_id: int,
    ballots_left: int,
    *,
    client_submission_id: object,
    now: dt.datetime | None = None,
) -> ReportResult:
    """Ballot papers left for this station's election; low at or below the election's threshold."""
    ctx = chair_context(db, actor, polling_station_id, now)
    cid = submission_uuid(client_submission_id)

    def warn(row: Any) -> tuple[str, ...]:
        return ("chair.warning.low_stock",) if row.low_stock else ()

    result = _simple_result("stock", warn)
    if (row := stored(db, StockReport, cid, ctx.station.id)) is not None:
        return result(row, True)
    reports.check_count_value(ballots_left, "ballots_left")
    threshold = ctx.election.low_stock_threshold
    low = reports.is_low_stock(ballots_left, threshold)
    row = StockReport(
        **_report_columns(ctx, actor, cid),
        ballots_left=ballots_left,
        low_stock_threshold=threshold,
        low_stock=low,
    )

    def state(s: StationState) -> None:
        s.ballots_left, s.low_stock, s.stock_reported_at = ballots_left, low, ctx.now

    after = {"ballots_left": ballots_left, "low_stock": low, "threshold": threshold}
    return _save(db, actor, ctx, row, cid, "stock_reported", after, state, result)


def report_signal(
    db: Session,
    actor: Actor,
    polling_station_id: int,
    signal: str,
    *,
    note: str | None = None,
    client_submission_id: object,
    now: dt.datetime | None = None,
) -> ReportResult:
    """A queue indication (``none``/``short``/``long``; ``quiet``/``busy``/``very_busy`` too) or a
    request for help (``need_help``)."""
    ctx = chair_context(db, actor, polling_station_id, now)
    cid = submission_uuid(client_submission_id)
    result = _simple_result("signal")
    if (row := stored(db, StationSignal, cid, ctx.station.id)) is not None:
        return result(row, True)
    kind, value = reports.normalise_signal(signal)
    row = StationSignal(
        **_report_columns(ctx, actor, cid),
        kind=kind,
        value=value,
        note=reports.clean_text(note, "note", required=False),
    )

    def state(s: StationState) -> None:
        if kind == "queue":
            s.queue, s.queue_reported_at = value, ctx.now
        else:
            s.need_help, s.need_help_at = True, ctx.now

    after = {"kind": kind, "value": value, "note": row.note}
    return _save(db, actor, ctx, row, cid, "signal_reported", after, state, result)


# --- turnout --------------------------------------------------------------------------------------------


def _latest_turnout(db: Session, station_id: int) -> dict[str, TurnoutReport]:
    """The latest report per moment (a correction replaces the earlier one for that moment)."""
    latest: dict[str, TurnoutReport] = {}
    for row in db.scalars(
        select(TurnoutReport).where(TurnoutReport.polling_station_id == station_id).order_by(TurnoutReport.id)
    ):
        latest[row.moment] = row
    return latest


def submit_turnout(
    db: Session,
    actor: Actor,
    polling_station_id: int,
    moment: str,
    total_admitted_voters_count: int,
    *,
    poll_card_count: int | None = None,
    proxy_certificate_count: int | None = None,
    voter_card_count: int | None = None,
    correction_reason: str | None = None,
    client_submission_id: object,
    now: dt.datetime | None = None,
) -> ReportResult:
    """Admitted voters so far at one of the election's turnout moments (cumulative), optionally split
    into stempassen, volmachtbewijzen and kiezerspassen (none at GR). Lower than an earlier moment (or
    the same moment again) is refused unless ``correction_reason`` is given: then it is a correction, a
    new row that supersedes the earlier one. A report long after its moment is stored and marked late."""
    ctx = chair_context(db, actor, polling_station_id, now)
    cid = submission_uuid(client_submission_id)
    result = _simple_result("turnout", lambda r: ("chair.warning.late",) if r.is_late else ())
    if (row := stored(db, TurnoutReport, cid, ctx.station.id)) is not None:
        return result(row, True)
    at = reports.normalise_moment(moment, list(ctx.election.turnout_moments or []))
    total = reports.check_count_value(total_admitted_voters_count, "total_admitted_voters_count")
    for name, value in (
        ("poll_card_count", poll_card_count),
        ("proxy_certificate_count", proxy_certificate_count),
        ("voter_card_count", voter_card_count),
    ):
        if value is not None:
            reports.check_count_value(value, name)
    municipal = ctx.election.kind == "GR"
    reports.check_turnout_split(
        total, poll_card_count, proxy_certificate_count, voter_card_count, municipal=municipal
    )
    reason = reports.clean_text(correction_reason, "correction_reason", required=False)
    station_state.lock(db, ctx.station)  # serialise this station's reports before reading the earlier ones
    latest = _latest_turnout(db, ctx.station.id)
    is_correction = reason is not None
    reports.check_turnout_sequence(
        at,
        total,
        {m: r.total_admitted_voters_count for m, r in latest.items()},
        is_correction=is_correction,
        reason=reason,
    )
    superseded = latest.get(at)
    late = reports.is_late(at, _local(ctx.now))
    row = TurnoutReport(
        **_report_columns(ctx, actor, cid),
        moment=at,
        poll_card_count=poll_card_count,
        proxy_certificate_count=proxy_certificate_count,
        voter_card_count=voter_card_count,
        total_admitted_voters_count=total,
        is_late=late,
        is_correction=is_correction,
        correction_reason=reason,
        supersedes_id=superseded.id if superseded and is_correction else None,
    )

    def state(s: StationState) -> None:
        if s.last_turnout_moment is None or at >= s.last_turnout_moment:
            s.last_turnout_moment = at
            s.last_turnout_admitted_voters = total
            s.last_turnout_poll_card_count = poll_card_count
            s.last_turnout_proxy_certificate_count = proxy_certificate_count
            s.last_turnout_voter_card_count = voter_card_count
            s.turnout_reported_at = ctx.now

    after = {
        "moment": at,
        "total_admitted_voters_count": total,
        "poll_card_count": poll_card_count,
        "proxy_certificate_count": proxy_certificate_count,
        "voter_card_count": voter_card_count,
        "late": late,
        "correction_reason": reason,
        "supersedes_id": row.supersedes_id,
    }
    before = (
        {"id": superseded.id, "total_admitted_voters_count": superseded.total_admitted_voters_count}
        if superseded
        else None
    )
    action = "turnout_corrected" if is_correction else "turnout_reported"
    if before:
        after["before"] = before
    return _save(db, actor, ctx, row, cid, action, after, state, result)


# --- incidents ------------------------------------------------------------------------------------------


def raise_incident(
    db: Session,
    actor: Actor,
    polling_station_id: int,
    category: str,
    text: str,
    *,
    severity: str = "medium",
    client_submission_id: object,
    now: dt.datetime | None = None,
) -> ReportResult:
    """An incident with its category, severity and text (kept exactly as typed, shown inert)."""
    ctx = chair_context(db, actor, polling_station_id, now)
    cid = submission_uuid(client_submission_id)
    result = _simple_result("incident")
    if (row := stored(db, Incident, cid, ctx.station.id)) is not None:
        return result(row, True)
    cat = reports.normalise_category(category)
    sev = reports.normalise_severity(severity)
    body = reports.clean_text(text, "text", required=True)
    row = Incident(
        **_report_columns(ctx, actor, cid),
        category=cat,
        severity=sev,
        text=body,
        status="open",
        updated_at=ctx.now,
    )

    def state(s: StationState) -> None:
        db.flush()
        station_state.refresh_incidents(db, s)

    after = {"category": cat, "severity": sev, "text": body}
    return _save(db, actor, ctx, row, cid, "incident_raised", after, state, result)


@dataclass(frozen=True)
class IncidentEventView:
    kind: str
    text: str | None
    assigned_to: str | None
    actor_kind: str
    actor_name: str | None
    occurred_at: dt.datetime


@dataclass(frozen=True)
class IncidentView:
    id: int
    category: str
    severity: str
    text: str
    status: str
    reported_at: dt.datetime
    assigned_to: str | None
    events: tuple[IncidentEventView, ...] = field(default_factory=tuple)


def my_incidents(db: Session, actor: Actor, polling_station_id: int) -> list[IncidentView]:
    """The station's incidents, newest first, each with the office's replies and status changes."""
    ctx = chair_context(db, actor, polling_station_id)
    incidents = db.scalars(
        select(Incident).where(Incident.polling_station_id == ctx.station.id).order_by(Incident.id.desc())
    ).all()
    events: dict[int, list[IncidentEventView]] = {}
    for e in db.scalars(
        select(IncidentEvent)
        .where(IncidentEvent.polling_station_id == ctx.station.id)
        .order_by(IncidentEvent.occurred_at, IncidentEvent.id)
    ):
        events.setdefault(e.incident_id, []).append(
            IncidentEventView(e.kind, e.text, e.assigned_to, e.actor_kind, e.actor_name, e.occurred_at)
        )
    return [
        IncidentView(
            i.id,
            i.category,
            i.severity,
            i.text,
            i.status,
            i.reported_at,
            i.assigned_to,
            tuple(events.get(i.id, ())),
        )
        for i in incidents
    ]


# --- closing ---------------------------------------------------------------------------------------------


def submit_closing(
    db: Session,
    actor: Actor,
    polling_station_id: int,
    *,
    closed_at: dt.datetime | None = None,
    client_submission_id: object,
    now: dt.datetime | None = None,
) -> ReportResult:
    """Report the station closed (counting starts). Only after it was reported open."""
    ctx = chair_context(db, actor, polling_station_id, now)
    cid = submission_uuid(client_submission_id)
    result = _simple_result("closing")
    if (row := stored(db, StationClosing, cid, ctx.station.id)) is not None:
        return result(row, True)
    closed = closed_at or ctx.now
    if closed > ctx.now + dt.timedelta(minutes=5):
        raise InvalidInput("closed in the future", field="closed_at", key="chair.error.future")
    current = station_state.lock(db, ctx.station)
    if current.opened_at is None:
        raise Conflict("not opened", key="chair.error.not_opened")
    row = StationClosing(**_report_columns(ctx, actor, cid), closed_at=closed)

    def state(s: StationState) -> None:
        s.closed_at = closed

    return _save(db, actor, ctx, row, cid, "station_closed", {"closed_at": closed}, state, result)


# --- reads -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TurnoutView:
    moment: str
    total_admitted_voters_count: int
    poll_card_count: int | None
    proxy_certificate_count: int | None
    voter_card_count: int | None
    is_late: bool
    is_correction: bool
    correction_reason: str | None
    reported_at: dt.datetime


@dataclass(frozen=True)
class StationOverview:
    polling_station_id: int
    number: int
    name: str
    election_id: str
    election_kind: str
    election_name: str
    opens_at: dt.time
    closes_at: dt.time
    turnout_moments: tuple[str, ...]
    checklist_items: tuple[dict[str, Any], ...]
    low_stock_threshold: int
    status: str
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    members_present: int | None
    ballots_left: int | None
    low_stock: bool
    queue: str | None
    need_help: bool
    open_incidents: int
    count_status: str | None
    count_version: int | None
    turnout: tuple[TurnoutView, ...]

    @property
    def is_municipal(self) -> bool:
        return self.election_kind == "GR"


def station_overview(db: Session, actor: Actor, polling_station_id: int) -> StationOverview:
    """Everything the chair's pages show about the station: settings of the election, latest state and
    the turnout reported per moment (the latest report of each moment)."""
    ctx = chair_context(db, actor, polling_station_id)
    s = db.get(StationState, ctx.station.id)
    latest = _latest_turnout(db, ctx.station.id)
    e = ctx.election
    return StationOverview(
        ctx.station.id,
        ctx.station.number,
        ctx.station.name,
        e.id,
        e.kind,
        e.name,
        ctx.station.opens_at,
        ctx.station.closes_at,
        tuple(reports.normalise_moment_text(m) for m in e.turnout_moments or ()),
        tuple(i for i in e.checklist_items or () if isinstance(i, dict)),
        e.low_stock_threshold,
        s.status if s else "not_opened",
        s.opened_at if s else None,
        s.closed_at if s else None,
        s.members_present if s else None,
        s.ballots_left if s else None,
        bool(s and s.low_stock),
        s.queue if s else None,
        bool(s and s.need_help),
        (s.open_incidents_low + s.open_incidents_medium + s.open_incidents_high) if s else 0,
        s.count_status if s else None,
        s.count_version if s else None,
        tuple(
            TurnoutView(
                r.moment,
                r.total_admitted_voters_count,
                r.poll_card_count,
                r.proxy_certificate_count,
                r.voter_card_count,
                r.is_late,
                r.is_correction,
                r.correction_reason,
                r.reported_at,
            )
            for _m, r in sorted(latest.items())
        ),
    )
