"""One-time sign-in links for chairs: the QR code on the access letter.

A link carries a random token (256 bits). Only its SHA-256 is stored; the link works once, only inside
the election's access window, and never after it is revoked (a new letter or a revoked code revokes
the station's earlier links). Redeeming marks the link used in the same transaction as the sign-in's
audit row, with the row locked, so two simultaneous uses cannot both succeed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from urllib.parse import urlencode

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain import access
from app.domain.access import Actor, Role
from app.domain.errors import AuthenticationFailed, NotFound
from app.services import audit, auth, authz
from app.services.codes import access_window
from app.storage.admin_models import SignInLink
from app.storage.models import Election, PollingStation

QUERY_PARAM = "token"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{40,64}$")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def sign_in_url(base_url: str, token: str) -> str:
    """The link printed on the letter: the app's address with the token as a query parameter."""
    return f"{base_url.rstrip('/')}/?{urlencode({QUERY_PARAM: token})}"


def _revoke(db: Session, station_id: int, now: dt.datetime) -> int:
    result = db.execute(
        update(SignInLink)
        .where(
            SignInLink.polling_station_id == station_id,
            SignInLink.used_at.is_(None),
            SignInLink.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def issue_link(db: Session, actor: Actor, polling_station_id: int, *, commit: bool = True) -> str:
    """Make a new one-time link for a station (revoking its earlier unused links). Returns the token,
    once; only its hash is stored."""
    authz.require_role(db, actor, Role.ADMIN)
    station = db.get(PollingStation, polling_station_id)
    if station is None:
        raise NotFound("station", key="error.not_found")
    authz.require_municipality(db, actor, station.municipality_code)
    election = db.get(Election, station.election_id)
    assert election is not None
    now = _now()
    revoked = _revoke(db, station.id, now)
    token = secrets.token_urlsafe(32)
    valid_from, valid_until = access_window(election)
    row = SignInLink(
        token_hash=token_hash(token),
        polling_station_id=station.id,
        municipality_code=station.municipality_code,
        election_id=station.election_id,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=actor.name,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        actor,
        "sign_in_link_issued",
        entity="sign_in_link",
        entity_id=row.id,
        municipality_code=station.municipality_code,
        election_id=station.election_id,
        polling_station_id=station.id,
        after={"valid_from": valid_from, "valid_until": valid_until, "earlier_links_revoked": revoked},
    )
    if commit:
        db.commit()
    return token


def revoke_links(db: Session, actor: Actor, polling_station_id: int, *, commit: bool = True) -> int:
    """Revoke every unused link of a station. Returns how many."""
    authz.require_role(db, actor, Role.ADMIN)
    station = db.get(PollingStation, polling_station_id)
    if station is None:
        raise NotFound("station", key="error.not_found")
    authz.require_municipality(db, actor, station.municipality_code)
    n = _revoke(db, station.id, _now())
    if n:
        audit.record(
            db,
            actor,
            "sign_in_link_revoked",
            entity="polling_station",
            entity_id=station.id,
            municipality_code=station.municipality_code,
            election_id=station.election_id,
            polling_station_id=station.id,
            after={"revoked": n},
        )
    if commit:
        db.commit()
    return n


def _fail(db: Session, reason: str, key: str, row: SignInLink | None) -> AuthenticationFailed:
    audit.record(
        db,
        None,
        "sign_in_failed",
        entity="sign_in_link",
        entity_id=row.id if row else None,
        municipality_code=row.municipality_code if row else None,
        election_id=row.election_id if row else None,
        polling_station_id=row.polling_station_id if row else None,
        after={"via": "one_time_link", "reason": reason},
    )
    db.commit()
    return AuthenticationFailed(reason, key=key)


def redeem_link(db: Session, token: str, *, now: dt.datetime | None = None) -> Actor:
    """Sign a chair in with a one-time link. Raises AuthenticationFailed when the link is unknown,
    already used, revoked or outside the access window; every attempt is in the audit log."""
    now = now or _now()
    token = (token or "").strip()
    if not _TOKEN.match(token):
        raise _fail(db, "malformed", "links.unknown", None)
    row = db.scalar(select(SignInLink).where(SignInLink.token_hash == token_hash(token)).with_for_update())
    if row is None:
        raise _fail(db, "unknown", "links.unknown", None)
    if row.used_at is not None:
        raise _fail(db, "already used", "links.used", row)
    if row.revoked_at is not None:
        raise _fail(db, "revoked", "links.revoked", row)
    if not access.code_is_in_window(now, row.valid_from, row.valid_until, None):
        raise _fail(db, "outside window", "links.window", row)
    station = db.get(PollingStation, row.polling_station_id)
    assert station is not None
    row.used_at = now
    actor = auth.chair_actor(station, signed_in_at=_now())
    audit.record(
        db,
        actor,
        "sign_in",
        entity="sign_in_link",
        entity_id=row.id,
        after={"via": "one_time_link"},
    )
    db.commit()
    return actor
