""" "Stay signed in on this device" (docs/security.md): a sign-in kept across reloads of the page.

Streamlit keeps a sign-in in the memory of one websocket session; a reload (or a phone browser that
reloads a tab after the chair switched apps) starts a new one. After a sign-in the page asks for a
device session (:func:`remember`): a random token whose SHA-256 is stored. The token reaches the browser
as an HttpOnly cookie through the app's own route (``app/web.py``), which only accepts a short-lived
ticket signed with ``STEMDAG_SECRET_KEY`` (:func:`ticket`, :func:`open_ticket`) in a POST with a custom
header (so another site cannot plant its own sign-in: a cross-site request cannot set the header). A
new websocket session reads the cookie and resumes (:func:`resume`) when the row is still valid: not
expired, not revoked (signing out, a new or revoked access code of the station, a staff account
deactivated or given a new password), and the account or station still there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.config import settings
from app.domain.access import Actor, Role
from app.domain.errors import AuthenticationFailed
from app.services import audit, auth, authz
from app.storage.admin_models import DeviceSession
from app.storage.models import PollingStation, StaffUser

COOKIE = "stemdag_device"
ROUTE = "/_stemdag/device"  # the app's own route that sets and deletes the cookie (app/web.py)
TICKET_SECONDS = 120
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def remember(db: Session, actor: Actor, *, now: dt.datetime | None = None) -> str:
    """A device session for the signed-in ``actor``; returns its token (to go into the cookie, once)."""
    now = now or _now()
    authz.require_current(db, actor)  # no new credential for a sign-in that has ended
    if actor.role is Role.CHAIR:
        if actor.polling_station_id is None:
            raise AuthenticationFailed("no station", key="auth.failed")
        owner = {"polling_station_id": actor.polling_station_id}
    else:
        if actor.user_id is None:
            raise AuthenticationFailed("no account", key="auth.failed")
        owner = {"staff_user_id": actor.user_id}
    token = secrets.token_urlsafe(32)
    row = DeviceSession(
        token_hash=_hash(token),
        municipality_code=actor.municipality_code,
        election_id=actor.election_id,
        expires_at=now + dt.timedelta(minutes=settings().session_minutes),
        **owner,
    )
    db.add(row)
    db.flush()
    audit.record(db, actor, "device_remembered", entity="device_session", entity_id=row.id)
    db.commit()
    return token


def _scope(row: DeviceSession) -> dict[str, Any]:
    """Where a device session's audit row belongs (its municipality, election and station)."""
    return {
        "municipality_code": row.municipality_code,
        "election_id": row.election_id,
        "polling_station_id": row.polling_station_id,
    }


def _valid(db: Session, token: str, now: dt.datetime) -> DeviceSession | None:
    if not _TOKEN.match(token or ""):
        return None
    row = db.scalar(select(DeviceSession).where(DeviceSession.token_hash == _hash(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    return row


def _owner(db: Session, row: DeviceSession, signed_in_at: dt.datetime, *, active_only: bool) -> Actor | None:
    """The chair or staff actor a device session belongs to; None when the station or account is gone
    (or, ``active_only``, the account is deactivated)."""
    if row.polling_station_id is not None:
        station = db.get(PollingStation, row.polling_station_id)
        return auth.chair_actor(station, signed_in_at=signed_in_at) if station is not None else None
    user = db.get(StaffUser, row.staff_user_id) if row.staff_user_id is not None else None
    if user is None or (active_only and not user.is_active):
        return None
    return auth.staff_actor(user, signed_in_at=signed_in_at)


def resume(db: Session, token: str, *, now: dt.datetime | None = None) -> Actor:
    """The actor of a valid device session (the sign-in is logged again, marked as resumed). Raises
    AuthenticationFailed when the token is unknown, expired or revoked, or its account or station is
    gone or no longer active."""
    now = now or _now()
    row = _valid(db, token, now)
    if row is None:
        raise AuthenticationFailed("device session not valid", key="auth.device_expired")
    actor = _owner(db, row, _now(), active_only=True)
    if actor is None:
        row.revoked_at = now
        audit.record(
            db,
            None,  # no one signed in: the cookie's owner is gone or no longer active
            "device_revoked",
            entity="device_session",
            entity_id=row.id,
            **_scope(row),
            after={
                "reason": "owner gone or inactive",
                "staff_user_id": row.staff_user_id,
                "polling_station_id": row.polling_station_id,
            },
        )
        db.commit()
        raise AuthenticationFailed("device session owner gone", key="auth.device_expired")
    row.last_used_at = now
    audit.record(db, actor, "sign_in", entity="device_session", entity_id=row.id, after={"via": "device"})
    db.commit()
    return actor


def forget(db: Session, token: str, *, now: dt.datetime | None = None) -> bool:
    """Revoke the device session of ``token`` (signing out). Whether there was one to revoke."""
    now = now or _now()
    row = _valid(db, token, now)
    if row is None:
        return False
    row.revoked_at = now
    audit.record(
        db,
        _owner(db, row, now, active_only=False),
        "device_forgotten",
        entity="device_session",
        entity_id=row.id,
        **_scope(row),
        after={"reason": "signed out"},
    )
    db.commit()
    return True


def _revoke(db: Session, owner: Any, owner_id: int, now: dt.datetime) -> None:
    db.execute(
        update(DeviceSession)
        .where(owner == owner_id, DeviceSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_for_station(db: Session, polling_station_id: int, now: dt.datetime) -> None:
    """Every sign-in of a station's chair ends (a new or revoked access code): its device sessions, and
    the sessions the app servers still hold (``sessions_valid_after``, checked by every service). In the
    caller's transaction."""
    _revoke(db, DeviceSession.polling_station_id, polling_station_id, now)
    db.execute(
        update(PollingStation).where(PollingStation.id == polling_station_id).values(sessions_valid_after=now)
    )


def revoke_for_user(db: Session, staff_user_id: int, now: dt.datetime) -> None:
    """Every sign-in of a staff account ends (deactivated, new password): its device sessions and the
    sessions the app servers still hold. In the caller's transaction."""
    _revoke(db, DeviceSession.staff_user_id, staff_user_id, now)
    db.execute(update(StaffUser).where(StaffUser.id == staff_user_id).values(sessions_valid_after=now))


# --- the ticket that carries a token to the cookie route --------------------------------------------------


def _mac(payload: str) -> str:
    return hmac.new(settings().secret_key.encode(), payload.encode(), hashlib.sha256).hexdigest()


def ticket(token: str, *, now: dt.datetime | None = None) -> str:
    """``token`` for the cookie route, signed, valid TICKET_SECONDS."""
    until = int((now or _now()).timestamp()) + TICKET_SECONDS
    payload = f"{token}.{until}"
    return f"{payload}.{_mac(payload)}"


def open_ticket(value: object, *, now: dt.datetime | None = None) -> str | None:
    """The token in a ticket made by :func:`ticket`; None when forged, malformed (also: not a string)
    or too old."""
    if not isinstance(value, str):
        return None
    parts = value.split(".")
    if len(parts) != 3 or not _TOKEN.match(parts[0]) or not parts[1].isdigit():
        return None
    payload = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_mac(payload), parts[2]):
        return None
    if int(parts[1]) < int((now or _now()).timestamp()):
        return None
    return parts[0]
