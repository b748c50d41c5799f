"""Authorisation checks, called by every service on every call: the page list is not the boundary.

A refusal raises NotAllowed and leaves an ``access_refused`` row in the audit log, written in a
transaction of its own so that it survives the caller's rollback.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.domain.access import Actor, Role
from app.domain.errors import NotAllowed


def _refuse(db: Session | None, actor: Actor, reason: str, **context: object) -> NotAllowed:
    if db is not None:
        from app.services import audit

        # A separate connection: the refusal is logged even when the caller rolls back.
        bind = db.get_bind()
        with Session(bind=bind) as log_db:
            audit.record(log_db, actor, "access_refused", after={"reason": reason, **context})
            log_db.commit()
    return NotAllowed(reason, key="error.not_allowed")


def require_role(db: Session | None, actor: Actor | None, *roles: Role) -> Actor:
    if actor is None:
        raise NotAllowed("not signed in", key="error.not_signed_in")
    if actor.role not in roles:
        raise _refuse(db, actor, "role", needed=[r.value for r in roles])
    return actor


def require_municipality(db: Session | None, actor: Actor, municipality_code: str) -> None:
    """Staff see and change only their own municipality; a global admin sees all."""
    if actor.is_global_admin:
        return
    if actor.municipality_code != municipality_code:
        raise _refuse(db, actor, "municipality", municipality_code=municipality_code)


def require_station(
    db: Session | None, actor: Actor, polling_station_id: int, municipality_code: str
) -> None:
    """A chair acts only for their own station; staff only within their municipality."""
    if actor.role is Role.CHAIR:
        if actor.polling_station_id != polling_station_id:
            raise _refuse(db, actor, "station", polling_station_id=polling_station_id)
        return
    require_municipality(db, actor, municipality_code)
