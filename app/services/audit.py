"""The append-only audit log. ``record`` adds a row to the caller's transaction: the change and its
audit row commit together or not at all."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from sqlalchemy.orm import Session

from app.domain.access import Actor
from app.storage.models import AuditLog


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def values(
    actor: Actor | None,
    action: str,
    *,
    entity: str | None = None,
    entity_id: object = None,
    municipality_code: str | None = None,
    election_id: str | None = None,
    polling_station_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The columns of one audit row (``before``/``after`` made JSON-ready), as :func:`record` stores
    them; for services that write the row with a Core statement in their own transaction."""
    return {
        "actor_kind": actor.kind if actor else "anonymous",
        "actor_id": actor.audit_id if actor else None,
        "actor_name": actor.name if actor else None,
        "municipality_code": municipality_code or (actor.municipality_code if actor else None),
        "election_id": election_id or (actor.election_id if actor else None),
        "polling_station_id": polling_station_id or (actor.polling_station_id if actor else None),
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "before": _jsonable(before) if before is not None else None,
        "after": _jsonable(after) if after is not None else None,
    }


COLUMNS = tuple(values(None, "").keys())


def record(
    db: Session,
    actor: Actor | None,
    action: str,
    *,
    entity: str | None = None,
    entity_id: object = None,
    municipality_code: str | None = None,
    election_id: str | None = None,
    polling_station_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    row = AuditLog(
        **values(
            actor,
            action,
            entity=entity,
            entity_id=entity_id,
            municipality_code=municipality_code,
            election_id=election_id,
            polling_station_id=polling_station_id,
            before=before,
            after=after,
        )
    )
    db.add(row)
    return row
