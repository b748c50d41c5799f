"""Authorisation checks, called by every service on every call: the page list is not the boundary.

A refusal raises NotAllowed and leaves an ``access_refused`` row in the audit log, written in a
transaction of its own so that it survives the caller's rollback.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
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


def require_role(db: Session | None, actor: Actor | None, *roles: Role, current: bool = True) -> Actor:
    """The actor has one of ``roles`` and (``current``) their sign-in has not been ended since
    (:func:`require_current`; a caller that checks that itself, from a row it reads anyway, passes
    ``current=False``)."""
    if actor is None:
        raise NotAllowed("not signed in", key="error.not_signed_in")
    if actor.role not in roles:
        raise _refuse(db, actor, "role", needed=[r.value for r in roles])
    if current:
        require_current(db, actor)
    return actor


def require_current(db: Session | None, actor: Actor) -> None:
    """A sign-in ends with its credential: a chair signed in before their station's code was revoked or
    replaced, or a staff member signed in before their account was deactivated or got a new password,
    is refused (NotAllowed ``auth.session_ended``, logged) even though the app server still holds the
    session. Internal actors (no ``signed_in_at``) are not checked."""
    if db is None or actor.signed_in_at is None:
        return
    from app.storage.models import PollingStation, StaffUser

    if actor.role is Role.CHAIR:
        valid_after = db.scalar(
            select(PollingStation.sessions_valid_after).where(PollingStation.id == actor.polling_station_id)
        )
        check_current(db, actor, valid_after)
        return
    if actor.user_id is None:
        return
    row = db.execute(
        select(StaffUser.is_active, StaffUser.sessions_valid_after).where(StaffUser.id == actor.user_id)
    ).one_or_none()
    check_current(db, actor, row.sessions_valid_after if row else None, active=bool(row and row.is_active))


def check_current(
    db: Session | None, actor: Actor, valid_after: dt.datetime | None, *, active: bool = True
) -> None:
    """Refuse (and log) a sign-in made before ``valid_after``, or of an account no longer ``active``."""
    if not active or actor.signed_in_before(valid_after):
        _refuse(db, actor, "session_ended")
        raise NotAllowed("sign-in ended", key="auth.session_ended")


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
