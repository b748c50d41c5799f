"""Reading the audit log: filter by station, user, kind (action) and time; always limited to the
actor's municipality (all municipalities only for a global admin). Reading it is itself not logged;
exporting it is. A station is filtered by its number (as people know it) or by its internal id; each row
carries the station's number beside the id for display."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.access import Actor, Role
from app.domain.errors import InvalidInput
from app.services import audit, authz
from app.storage.models import AuditLog, PollingStation

MAX_ROWS = 5000
#: rows the audit page shows at once (newest first); a narrower filter reaches older ones
PAGE_ROWS = 1000


@dataclass(frozen=True)
class AuditRow:
    id: int
    occurred_at: dt.datetime
    actor_kind: str
    actor_id: str | None
    actor_name: str | None
    municipality_code: str | None
    election_id: str | None
    polling_station_id: int | None
    action: str
    entity: str | None
    entity_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    #: the station's number within its municipality (display only; not an export column)
    station_number: int | None = None


#: The export's columns (fixed and documented in app/exports/audit.py): the stored fields of a row.
COLUMNS = tuple(c for c in AuditRow.__dataclass_fields__ if c != "station_number")


def _scope(db: Session, actor: Actor, municipality_code: str | None) -> str | None:
    authz.require_role(db, actor, Role.ADMIN, Role.OFFICE)
    if municipality_code:
        authz.require_municipality(db, actor, municipality_code)
        return municipality_code
    return None if actor.is_global_admin else actor.municipality_code


def list_audit(
    db: Session,
    actor: Actor,
    *,
    municipality_code: str | None = None,
    polling_station_id: int | None = None,
    station_number: int | None = None,
    user: str | None = None,
    action: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 1000,
) -> list[AuditRow]:
    """Audit rows, newest first. ``station_number`` is the station's number within the municipality
    in scope (every election's station of that number; for a global admin without a municipality, that
    number in every municipality); ``polling_station_id`` the internal id. ``user`` matches the actor's
    id (``user:12``, ``station:5``) or a part of the actor's name."""
    scope = _scope(db, actor, municipality_code)
    if since and until and until <= since:  # an empty period: an error, not an empty list
        raise InvalidInput("period", field="until", key="audit.bad_period")
    if station_number is not None and station_number < 1:
        raise InvalidInput("station_number", field="station_number", key="error.positive_integer")
    query = (
        select(AuditLog, PollingStation.number)
        .outerjoin(PollingStation, PollingStation.id == AuditLog.polling_station_id)
        .order_by(AuditLog.occurred_at.desc(), AuditLog.id.desc())
    )
    if scope is not None:
        query = query.where(AuditLog.municipality_code == scope)
    if polling_station_id is not None:
        query = query.where(AuditLog.polling_station_id == polling_station_id)
    if station_number is not None:
        query = query.where(PollingStation.number == station_number)
        if scope is not None:
            query = query.where(PollingStation.municipality_code == scope)
    if user:
        pattern = "%" + user.strip().replace("%", r"\%").replace("_", r"\_") + "%"
        query = query.where((AuditLog.actor_id == user.strip()) | AuditLog.actor_name.ilike(pattern))
    if action:
        query = query.where(AuditLog.action == action)
    if since:
        query = query.where(AuditLog.occurred_at >= since)
    if until:
        query = query.where(AuditLog.occurred_at < until)
    rows = db.execute(query.limit(max(1, min(limit, MAX_ROWS))))
    return [AuditRow(**{c: getattr(r, c) for c in COLUMNS}, station_number=n) for r, n in rows]


def audit_actions(db: Session, actor: Actor) -> list[str]:
    """The kinds of action in the (visible part of the) log, for the filter."""
    scope = _scope(db, actor, None)
    query = select(AuditLog.action).distinct().order_by(AuditLog.action)
    if scope is not None:
        query = query.where(AuditLog.municipality_code == scope)
    return list(db.scalars(query))


def export_audit_csv(db: Session, actor: Actor, **filters: Any) -> str:
    """The filtered rows as CSV (columns: ``COLUMNS``); the export itself is logged."""
    from app.exports.audit import audit_csv

    rows = list_audit(db, actor, limit=MAX_ROWS, **filters)
    audit.record(
        db,
        actor,
        "audit_exported",
        entity="audit_log",
        municipality_code=filters.get("municipality_code") or actor.municipality_code,
        after={"rows": len(rows), "filters": filters},
    )
    db.commit()
    return audit_csv(rows)


def values_text(values: dict[str, Any] | None) -> str:
    """An audit row's before or after as people read it: ``key: value`` per field, ``; `` between them,
    nested values as compact JSON (not Python's dict notation); empty when there is none."""
    if not values:
        return ""

    def one(value: Any) -> str:
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
        return "–" if value is None else str(value)

    return "; ".join(f"{key}: {one(value)}" for key, value in values.items())
