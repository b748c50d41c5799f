"""Use cases of a polling station's chair during the day (issue 3).

Each one: the actor must be the chair of *this* station (checked on the stored station row), within
the election's access window; input is validated through ``app.domain.reports``; the report, the
station's latest state (``station_state``) and the audit row are written in one transaction. Each is
idempotent on ``client_submission_id``: a retry (double click, network) stores nothing new and returns
the stored result with ``duplicate=True``.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from psycopg.types.json import Jsonb
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain import access, reports
from app.domain.access import Actor, Role
from app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.services import audit, authz
from app.storage import fastpath, station_state
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
from app.storage.fastpath import run
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
    authz.require_role(db, actor, Role.CHAIR, current=False)  # checked below, from the station read
    station = db.get(PollingStation, polling_station_id) if isinstance(polling_station_id, int) else None
    if station is None:
        raise NotFound("station", key="error.not_found")
    authz.require_station(db, actor, station.id, station.municipality_code)
    authz.check_current(db, actor, station.sessions_valid_after)  # a revoked code ends the sign-in
    if actor.election_id != station.election_id or actor.municipality_code != station.municipality_code:
        raise authz._refuse(db, actor, "station", polling_station_id=station.id)
    election = db.get(Election, station.election_id)
    assert election is not None
    now = now or now_utc()
    window = access.election_access_window(
        election.access_from, election.access_until, election.election_date, TZ
    )
    if not access.in_access_window(now, window):
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


# --- the fast path of a report: few statements, Core only -----------------------------------------------
#
# A report of the chair runs in one transaction of (besides the session's row-level-security setting)
# two statements: (1) the station, its election, the idempotency lookup and what the rules of the report
# need (turnout: the latest report per moment; count: the latest version, the counting method and the
# lists), with the station's ``station_state`` row locked FOR UPDATE (reports of one station are
# serialised); (2) the report row, the station_state update and the audit row in one statement
# (data-modifying CTEs). Then the commit. What (1) read before the lock was granted is read again when
# another report changed the station meanwhile (see ``locked_context``). The checks are those of
# ``chair_context``, in the same order; a request for another station goes through ``chair_context``
# itself, which refuses (and logs) exactly as before.

_STATE_FIELDS = (*station_state.STATUS_FIELDS, "last_turnout_moment")


@dataclass(frozen=True, slots=True)
class Locked:
    """A chair's report in progress: the station (row locked), its election, and the row a retry stored."""

    station_id: int
    election_id: str
    municipality_code: str
    opens_at: dt.time
    election_kind: str
    turnout_moments: list[Any]
    checklist_items: list[Any]
    low_stock_threshold: int
    state: dict[str, Any]
    existing: tuple[Any, ...] | None  # (id, polling_station_id, reported_at, *extra) of a stored retry
    cid: uuid.UUID
    now: dt.datetime
    reads: tuple[Any, ...] | None = None  # see locked_context
    closes_at: dt.time = dt.time(21, 0)


@functools.cache
def _context_sql(table: str, extra: tuple[str, ...], reads: tuple[str, ...]) -> str:
    return (
        "SELECT p.election_id, p.municipality_code, p.opens_at, e.kind, e.turnout_moments,"
        " e.checklist_items, e.low_stock_threshold, e.access_from, e.access_until, p.closes_at,"
        " p.sessions_valid_after, e.election_date, "
        + ", ".join(f"s.{c}" for c in _STATE_FIELDS)
        + ", r.id, r.polling_station_id, r.reported_at"
        + "".join(f", r.{c}" for c in extra)
        + "".join(f", ({q})" for q in reads)
        # The snapshot of the reads (and of the stored retry) is the statement's, taken before the lock
        # was granted: they are as fresh as a read after the lock unless another transaction changed
        # the station's row in between (every report does), i.e. unless the row's version locked is
        # not the one in the snapshot.
        + ", s.xmin = (SELECT xmin FROM station_state WHERE polling_station_id = %(sid)s)"
        + " FROM station_state s JOIN polling_station p ON p.id = s.polling_station_id"
        " JOIN election e ON e.id = p.election_id"
        f" LEFT JOIN {table} r ON r.client_submission_id = %(cid)s"
        " WHERE s.polling_station_id = %(sid)s FOR UPDATE OF s"
    )


_ENSURE_STATE_SQL = (
    "INSERT INTO station_state (polling_station_id, election_id, municipality_code)"
    " SELECT id, election_id, municipality_code FROM polling_station WHERE id = %(sid)s"
    " ON CONFLICT (polling_station_id) DO NOTHING RETURNING polling_station_id"
)


@functools.cache
def _stored_sql(table: str, extra: tuple[str, ...]) -> str:
    columns = ", ".join(("id", "polling_station_id", "reported_at", *extra))
    return f"SELECT {columns} FROM {table} WHERE client_submission_id = %(cid)s"


def locked_context(
    db: Session,
    actor: Actor,
    polling_station_id: int,
    now: dt.datetime | None,
    client_submission_id: object,
    table: str,
    extra: tuple[str, ...] = (),
    reads: tuple[str, ...] = (),
) -> Locked:
    """``chair_context`` + ``submission_uuid`` + the stored retry + ``station_state.lock`` in one query.
    Refuses (and logs) exactly as ``chair_context`` does, in the same order. ``reads``: scalar
    subqueries (parameter ``%(sid)s``: the station) whose values are in ``Locked.reads`` when they are
    as fresh as a read after the lock, else ``Locked.reads`` is None and the caller reads again."""
    authz.require_role(db, actor, Role.CHAIR, current=False)  # checked below, from the context read
    if type(polling_station_id) is not int or actor.polling_station_id != polling_station_id:
        chair_context(db, actor, polling_station_id, now)  # not found / another station: refused there
        raise NotFound("station", key="error.not_found")  # (not reached)
    try:
        cid = submission_uuid(client_submission_id)
    except InvalidInput:
        chair_context(db, actor, polling_station_id, now)  # a refusal comes first, as before
        raise
    sql = _context_sql(table, extra, reads)
    params = {"cid": cid, "sid": polling_station_id}
    rows = fastpath.begin_run(db, sql, params)  # with the session's row-level-security setting
    if not rows:  # no state row yet (the station's first report), or no station this session may see
        run(db, _ENSURE_STATE_SQL, params)  # (rolled back with everything else if refused below)
        rows = run(db, sql, params)
        if not rows:
            raise NotFound("station", key="error.not_found")
    row = rows[0]
    election_id, municipality_code = row[0], row[1]
    if actor.election_id != election_id or actor.municipality_code != municipality_code:
        raise authz._refuse(db, actor, "station", polling_station_id=polling_station_id)
    authz.check_current(db, actor, row[10])  # a revoked code ends the sign-in
    now = now or now_utc()
    if not access.in_access_window(now, access.election_access_window(row[7], row[8], row[11], TZ)):
        audit_refusal = authz._refuse(db, actor, "election_window", election_id=election_id)
        raise NotAllowed(str(audit_refusal), key="chair.error.window")
    n = 12 + len(_STATE_FIELDS)
    m = n + 3 + len(extra)
    fresh = bool(row[m + len(reads)])
    existing = tuple(row[n:m]) if row[n] is not None else None
    if existing is None and not fresh:  # a retry of this submission may have committed meanwhile
        found = run(db, _stored_sql(table, extra), {"cid": cid})
        existing = tuple(found[0]) if found else None
    if existing is not None and existing[1] != polling_station_id:
        raise Conflict("client_submission_id used by another station", key="chair.error.submission_used")
    return Locked(
        polling_station_id,
        election_id,
        municipality_code,
        row[2],
        row[3],
        list(row[4] or []),
        list(row[5] or []),
        row[6],
        dict(zip(_STATE_FIELDS, row[12:n], strict=True)),
        existing,
        cid,
        now,
        tuple(row[m : m + len(reads)]) if reads and fresh else None,
        row[9],
    )


NEW_ID = object()  # a value of a station_state field: the id of the report being written


def _json(value: Any) -> Any:
    return Jsonb(value) if isinstance(value, dict | list) else value


@functools.cache
def _write_sql(table: str, columns: tuple[str, ...], state_fields: tuple[str, ...], extra_cte: str) -> str:
    sets = ", ".join(
        f"{c.rstrip('!')} = (SELECT id FROM r)" if c.endswith("!") else f"{c} = %(s_{c})s"
        for c in (*state_fields, "status", "last_report_at", "updated_at")
    )
    return (
        f"WITH r AS (INSERT INTO {table} ({', '.join(columns)})"
        f" VALUES ({', '.join(f'%(r_{c})s' for c in columns)}) RETURNING id),"
        f"{extra_cte}"
        f" s AS (UPDATE station_state SET {sets} WHERE polling_station_id = %(sid)s),"
        f" a AS (INSERT INTO audit_log ({', '.join(audit.COLUMNS)}) VALUES ("
        + ", ".join("(SELECT id::text FROM r)" if c == "entity_id" else f"%(a_{c})s" for c in audit.COLUMNS)
        + ")) SELECT id FROM r"
    )


def write_report(
    db: Session,
    actor: Actor,
    lk: Locked,
    model: Any,
    columns: dict[str, Any],
    state: dict[str, Any],
    action: str,
    *,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
    extra_cte: str = "",
    extra_params: dict[str, Any] | None = None,
) -> tuple[int, Any]:
    """Store the report, update station_state (``state`` + status and times) and write the audit row in
    one statement, then commit. Returns (id, None); when a concurrent retry of the same submission
    committed first, (its id, the stored row)."""
    table = model.__tablename__
    values = {
        "election_id": lk.election_id,
        "municipality_code": lk.municipality_code,
        "polling_station_id": lk.station_id,
        "reported_at": lk.now,
        "actor_id": actor.audit_id,
        "actor_name": actor.name,
        "client_submission_id": lk.cid,
        **columns,
    }
    merged = {**lk.state, **{k: v for k, v in state.items() if v is not NEW_ID}}
    params: dict[str, Any] = {f"r_{k}": _json(v) for k, v in values.items()}
    params.update({f"s_{k}": v for k, v in state.items() if v is not NEW_ID})
    params.update(s_status=station_state.status_of(merged), s_last_report_at=lk.now, s_updated_at=lk.now)
    params["sid"] = lk.station_id
    entry = audit.values(
        actor,
        action,
        entity=table,
        municipality_code=lk.municipality_code,
        election_id=lk.election_id,
        polling_station_id=lk.station_id,
        before=before,
        after=after,
    )
    params.update({f"a_{k}": _json(v) for k, v in entry.items() if k != "entity_id"})
    if extra_params:
        params.update(extra_params)
    state_fields = tuple(f"{k}!" if v is NEW_ID else k for k, v in state.items())
    sql = _write_sql(table, tuple(values), state_fields, extra_cte)
    try:
        new_id = fastpath.run_and_commit(db, sql, params)[0][0]
    except IntegrityError:
        db.rollback()
        row = stored(db, model, lk.cid, lk.station_id)
        if row is None:
            raise
        return row.id, row
    return new_id, None


def _duplicate(db: Session, lk: Locked, kind: str, warnings: tuple[str, ...] = (), late: bool = False):
    assert lk.existing is not None
    db.rollback()  # nothing written: release the station's lock now
    return ReportResult(lk.existing[0], kind, lk.existing[2], True, warnings, late)


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
    lk = locked_context(
        db, actor, polling_station_id, now, client_submission_id, "station_opening", ("is_late",)
    )
    result = _simple_result("opening")
    if lk.existing is not None:
        return _duplicate(db, lk, "opening", (), bool(lk.existing[3]))
    items = [str(i["key"]) for i in lk.checklist_items if isinstance(i, dict) and "key" in i]
    ticked = (
        {k for k, v in checklist.items() if v} if isinstance(checklist, dict) else {str(k) for k in checklist}
    )
    missing = [k for k in items if k not in ticked]
    if missing:
        labels = {str(i["key"]): i for i in lk.checklist_items if isinstance(i, dict) and "key" in i}
        raise InvalidInput(
            f"checklist items not ticked: {missing}",
            field=f"checklist.{missing[0]}",
            key="chair.error.checklist",
            items=", ".join(missing),
            # the items as the chair sees them on the form, in either language
            items_nl=", ".join(str(labels[k].get("nl", k)) for k in missing),
            items_en=", ".join(str(labels[k].get("en", labels[k].get("nl", k))) for k in missing),
        )
    if ballots_received is not None:
        reports.check_count_value(ballots_received, "ballots_received")
    opened = opened_at or lk.now
    if opened > lk.now + dt.timedelta(minutes=5):
        raise InvalidInput("opened in the future", field="opened_at", key="chair.error.future")
    late = reports.opened_late(_local(opened), lk.opens_at)
    checked = {k: k in ticked for k in items} or {k: True for k in ticked}
    columns = {
        "checklist": checked,
        "ballots_received": ballots_received,
        "opened_at": opened,
        "is_late": late,
    }
    earlier = lk.state["opened_at"]
    state = {"opened_at": opened, "opened_late": late} if earlier is None or opened < earlier else {}
    after = {"opened_at": opened, "checklist": checked, "ballots_received": ballots_received, "late": late}
    new_id, again = write_report(db, actor, lk, StationOpening, columns, state, "station_opened", after=after)
    if again is not None:
        return result(again, True)
    return ReportResult(new_id, "opening", lk.now, False, (), late)


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
    lk = locked_context(
        db, actor, polling_station_id, now, client_submission_id, "member_report", ("present_count",)
    )

    def warn(present: int) -> tuple[str, ...]:
        return ("chair.warning.too_few_members",) if present < reports.MIN_MEMBERS else ()

    result = _simple_result("members", lambda r: warn(r.present_count))
    if lk.existing is not None:
        return _duplicate(db, lk, "members", warn(lk.existing[3]))
    reports.check_members_present(present_count)
    clean_names = [n for n in (reports.clean_text(x, "names", required=False) for x in names or ()) if n]
    clean_note = reports.clean_text(note, "note", required=False)
    columns = {"present_count": present_count, "names": clean_names or None, "note": clean_note}
    state = {"members_present": present_count, "members_reported_at": lk.now}
    after = {"present_count": present_count, "names": clean_names, "note": clean_note}
    new_id, again = write_report(db, actor, lk, MemberReport, columns, state, "members_reported", after=after)
    if again is not None:
        return result(again, True)
    return ReportResult(new_id, "members", lk.now, False, warn(present_count))


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
    lk = locked_context(
        db, actor, polling_station_id, now, client_submission_id, "stock_report", ("low_stock",)
    )

    def warn(low: bool) -> tuple[str, ...]:
        return ("chair.warning.low_stock",) if low else ()

    result = _simple_result("stock", lambda r: warn(r.low_stock))
    if lk.existing is not None:
        return _duplicate(db, lk, "stock", warn(lk.existing[3]))
    reports.check_count_value(ballots_left, "ballots_left")
    threshold = lk.low_stock_threshold
    low = reports.is_low_stock(ballots_left, threshold)
    columns = {"ballots_left": ballots_left, "low_stock_threshold": threshold, "low_stock": low}
    state = {"ballots_left": ballots_left, "low_stock": low, "stock_reported_at": lk.now}
    after = {"ballots_left": ballots_left, "low_stock": low, "threshold": threshold}
    new_id, again = write_report(db, actor, lk, StockReport, columns, state, "stock_reported", after=after)
    if again is not None:
        return result(again, True)
    return ReportResult(new_id, "stock", lk.now, False, warn(low))


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
    request for help (``need_help``, with the chair's ``note`` as typed): the station's request is open
    (``station_state.need_help``, an A.HELP alert for the office) until the chair withdraws it
    (:func:`withdraw_help`) or the office marks it handled (``office.handle_help_request``). A second
    request while one is open adds its text to it (the office sees every text since the first,
    ``station_state.open_help_texts``; each is in the timeline too); the request stays open since the
    first."""
    lk = locked_context(db, actor, polling_station_id, now, client_submission_id, "station_signal")
    result = _simple_result("signal")
    if lk.existing is not None:
        return _duplicate(db, lk, "signal")
    kind, value = reports.normalise_signal(signal)
    clean_note = reports.clean_text(note, "note", required=False)
    columns = {"kind": kind, "value": value, "note": clean_note}
    state: dict[str, Any]
    if kind == "queue":
        state = {"queue": value, "queue_reported_at": lk.now}
    elif lk.state["need_help"]:  # already open: open since the first request
        state = {"need_help": True}
    else:
        state = {"need_help": True, "need_help_at": lk.now}
    after = {"kind": kind, "value": value, "note": clean_note}
    new_id, again = write_report(db, actor, lk, StationSignal, columns, state, "signal_reported", after=after)
    if again is not None:
        return result(again, True)
    return ReportResult(new_id, "signal", lk.now)


def withdraw_help(
    db: Session,
    actor: Actor,
    polling_station_id: int,
    *,
    client_submission_id: object,
    now: dt.datetime | None = None,
) -> ReportResult:
    """ "Hulp niet meer nodig": the chair withdraws the station's open request for help. Stored as a help
    signal with the value ``reports.HELP_CLOSED``; ``need_help`` is cleared and the status computed
    again, in the report's own statement (audited as ``help_withdrawn``). Refused (Conflict) when no
    request is open (the office may have marked it handled meanwhile)."""
    lk = locked_context(
        db,
        actor,
        polling_station_id,
        now,
        client_submission_id,
        "station_signal",
        reads=(f"SELECT json_build_array(h.id, h.note) FROM ({station_state.LATEST_HELP_SQL}) h",),
    )
    result = _simple_result("help_withdrawn")
    if lk.existing is not None:
        return _duplicate(db, lk, "help_withdrawn")
    if lk.reads is not None:
        latest = lk.reads[0]
    else:
        found = run(db, station_state.LATEST_HELP_SQL, {"sid": lk.station_id})
        latest = [found[0][0], found[0][2]] if found else None
    if not lk.state["need_help"] or latest is None:
        db.rollback()  # nothing to withdraw: release the station's lock now
        raise Conflict("no open request for help", key="help.error.not_open")
    request_id, text = latest
    columns = {"kind": reports.HELP, "value": reports.HELP_CLOSED, "note": None}
    state = {"need_help": False, "need_help_at": None}
    before = {"need_help": True, "request_id": request_id, "text": text}
    after = {"need_help": False, "request_id": request_id}
    new_id, again = write_report(
        db, actor, lk, StationSignal, columns, state, "help_withdrawn", before=before, after=after
    )
    if again is not None:
        return result(again, True)
    return ReportResult(new_id, "help_withdrawn", lk.now)


# --- turnout --------------------------------------------------------------------------------------------


def _latest_turnout(db: Session, station_id: int) -> dict[str, TurnoutReport]:
    """The latest report per moment (a correction replaces the earlier one for that moment)."""
    latest: dict[str, TurnoutReport] = {}
    for row in db.scalars(
        select(TurnoutReport).where(TurnoutReport.polling_station_id == station_id).order_by(TurnoutReport.id)
    ):
        latest[row.moment] = row
    return latest


_LATEST_TURNOUT_SQL = (
    "SELECT DISTINCT ON (moment) moment, id, total_admitted_voters_count FROM turnout_report"
    " WHERE polling_station_id = %(sid)s ORDER BY moment, id DESC"
)
_LATEST_TURNOUT_READ = (
    "SELECT json_agg(json_build_array(t.moment, t.id, t.total_admitted_voters_count))"
    f" FROM ({_LATEST_TURNOUT_SQL}) t"
)


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
    new row that supersedes the earlier one. A report long after its moment is stored and marked late;
    a moment that has not come yet (more than ``reports.FUTURE_TOLERANCE`` ahead) is refused."""
    lk = locked_context(
        db,
        actor,
        polling_station_id,
        now,
        client_submission_id,
        "turnout_report",
        ("is_late",),
        (_LATEST_TURNOUT_READ,),
    )
    result = _simple_result("turnout", lambda r: ("chair.warning.late",) if r.is_late else ())
    if lk.existing is not None:
        stored_late = bool(lk.existing[3])
        return _duplicate(db, lk, "turnout", ("chair.warning.late",) if stored_late else (), stored_late)
    at = reports.normalise_moment(moment, lk.turnout_moments)
    reports.check_turnout_moment_has_come(at, _local(lk.now))
    total = reports.check_count_value(total_admitted_voters_count, "total_admitted_voters_count")
    for name, value in (
        ("poll_card_count", poll_card_count),
        ("proxy_certificate_count", proxy_certificate_count),
        ("voter_card_count", voter_card_count),
    ):
        if value is not None:
            reports.check_count_value(value, name)
    municipal = lk.election_kind == "GR"
    reports.check_turnout_split(
        total, poll_card_count, proxy_certificate_count, voter_card_count, municipal=municipal
    )
    reason = reports.clean_text(correction_reason, "correction_reason", required=False)
    # The latest report per moment (a correction replaces the earlier one for that moment), as after
    # the station's row was locked: every earlier report of this station is visible. Read with the lock
    # (one statement); read again when another report changed the station in between.
    if lk.reads is not None:
        found = lk.reads[0] or []
    else:
        found = run(db, _LATEST_TURNOUT_SQL, {"sid": lk.station_id})
    latest: dict[str, tuple[int, int]] = {m: (i, t) for m, i, t in found}
    is_correction = reason is not None
    reports.check_turnout_sequence(
        at,
        total,
        {m: t for m, (_i, t) in latest.items()},
        is_correction=is_correction,
        reason=reason,
    )
    superseded = latest.get(at)
    late = reports.is_late(at, _local(lk.now))
    supersedes_id = superseded[0] if superseded and is_correction else None
    columns = {
        "moment": at,
        "poll_card_count": poll_card_count,
        "proxy_certificate_count": proxy_certificate_count,
        "voter_card_count": voter_card_count,
        "total_admitted_voters_count": total,
        "is_late": late,
        "is_correction": is_correction,
        "correction_reason": reason,
        "supersedes_id": supersedes_id,
    }
    last = lk.state["last_turnout_moment"]
    state: dict[str, Any] = {}
    if last is None or at >= last:
        state = {
            "last_turnout_moment": at,
            "last_turnout_admitted_voters": total,
            "last_turnout_poll_card_count": poll_card_count,
            "last_turnout_proxy_certificate_count": proxy_certificate_count,
            "last_turnout_voter_card_count": voter_card_count,
            "turnout_reported_at": lk.now,
        }
    after: dict[str, Any] = {
        "moment": at,
        "total_admitted_voters_count": total,
        "poll_card_count": poll_card_count,
        "proxy_certificate_count": proxy_certificate_count,
        "voter_card_count": voter_card_count,
        "late": late,
        "correction_reason": reason,
        "supersedes_id": supersedes_id,
    }
    if superseded:
        after["before"] = {"id": superseded[0], "total_admitted_voters_count": superseded[1]}
    action = "turnout_corrected" if is_correction else "turnout_reported"
    new_id, again = write_report(db, actor, lk, TurnoutReport, columns, state, action, after=after)
    if again is not None:
        return result(again, True)
    return ReportResult(new_id, "turnout", lk.now, False, ("chair.warning.late",) if late else (), late)


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
    early: bool = False,
    early_reason: str | None = None,
    client_submission_id: object,
    now: dt.datetime | None = None,
) -> ReportResult:
    """Report the station closed (counting starts) at ``closed_at`` (default: now), stored as given.
    Only after it was reported open; not in the future; before the station's own closing time only
    when ``early`` is confirmed with ``early_reason`` (audited). See ``reports.check_closing_time``."""
    lk = locked_context(db, actor, polling_station_id, now, client_submission_id, "station_closing")
    result = _simple_result("closing")
    if lk.existing is not None:
        return _duplicate(db, lk, "closing")
    closed = closed_at or lk.now
    if closed.tzinfo is None:  # a time of day as typed at the station: Dutch time
        closed = closed.replace(tzinfo=TZ)
    if lk.state["opened_at"] is None:
        raise Conflict("not opened", key="chair.error.not_opened")
    reason = reports.check_closing_time(
        _local(closed), _local(lk.now), lk.closes_at, early=bool(early), reason=early_reason
    )
    after: dict[str, Any] = {"closed_at": closed}
    if reason is not None:
        after.update(early=True, early_reason=reason, closes_at=f"{lk.closes_at:%H:%M}")
    new_id, again = write_report(
        db,
        actor,
        lk,
        StationClosing,
        {"closed_at": closed},
        {"closed_at": closed},
        "station_closed",
        after=after,
    )
    if again is not None:
        return result(again, True)
    return ReportResult(new_id, "closing", lk.now)


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
    #: when ballot stock and queue were last reported (None: not yet)
    stock_reported_at: dt.datetime | None = None
    queue_reported_at: dt.datetime | None = None
    #: the latest help signal: the open request (with the chair's text), or the end of the last one
    #: (withdrawn, or handled by the office with its note); None when the station never asked for help
    help: station_state.HelpSignal | None = None
    #: since when the open request for help is open (its first request; None when none is open)
    need_help_at: dt.datetime | None = None
    #: every request of the open request for help, oldest first (empty when none is open)
    help_texts: tuple[station_state.HelpText, ...] = ()

    @property
    def is_municipal(self) -> bool:
        return self.election_kind == "GR"


def station_overview(db: Session, actor: Actor, polling_station_id: int) -> StationOverview:
    """Everything the chair's pages show about the station: settings of the election, latest state, the
    latest help signal and the turnout reported per moment (the latest report of each moment)."""
    ctx = chair_context(db, actor, polling_station_id)
    s = db.get(StationState, ctx.station.id)
    latest = _latest_turnout(db, ctx.station.id)
    help_signal = station_state.latest_help(db, ctx.station.id) if s is not None else None
    help_texts = (
        station_state.open_help_texts(db, {ctx.station.id: help_signal.id})[ctx.station.id]
        if help_signal is not None and help_signal.open
        else ()
    )
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
        s.stock_reported_at if s else None,
        s.queue_reported_at if s else None,
        help_signal,
        s.need_help_at if s and s.need_help else None,
        help_texts,
    )
