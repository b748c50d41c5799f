"""Station access codes for chairs: issue (the plain code is returned once, only its hash is stored),
revoke, and reissue."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain import access
from app.domain.access import Actor, Role
from app.domain.errors import NotFound
from app.services import audit, authz, devices, security
from app.storage.models import Election, PollingStation, StationAccessCode

TZ = ZoneInfo("Europe/Amsterdam")


def access_window(election: Election) -> tuple[dt.datetime, dt.datetime]:
    """The election's access window; an end it does not set is the default's (election day 06:00 to the
    end of the day after)."""
    return access.election_access_window(
        election.access_from, election.access_until, election.election_date, TZ
    )


def issue_code(
    db: Session, actor: Actor, polling_station_id: int, *, code: str | None = None, commit: bool = True
) -> str:
    """Issue a new code for a station, revoking any earlier one. Returns the plain code, once.

    ``code`` may be given (deterministic demo codes); otherwise a random one is made.
    """
    authz.require_role(db, actor, Role.ADMIN)
    station = db.get(PollingStation, polling_station_id)
    if station is None:
        raise NotFound("station", key="error.not_found")
    authz.require_municipality(db, actor, station.municipality_code)
    election = db.get(Election, station.election_id)
    assert election is not None
    plain = access.normalise_access_code(code) if code else access.generate_access_code()
    now = dt.datetime.now(dt.UTC)
    db.execute(
        update(StationAccessCode)
        .where(StationAccessCode.polling_station_id == station.id, StationAccessCode.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    devices.revoke_for_station(db, station.id, now)  # a new code: devices signed in with the old one end
    valid_from, valid_until = access_window(election)
    row = StationAccessCode(
        polling_station_id=station.id,
        municipality_code=station.municipality_code,
        selector=access.code_selector(plain),
        code_hash=security.hash_code(plain),
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=actor.name,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        actor,
        "access_code_issued",
        entity="station_access_code",
        entity_id=row.id,
        municipality_code=station.municipality_code,
        election_id=station.election_id,
        polling_station_id=station.id,
        after={"selector": row.selector, "valid_from": valid_from, "valid_until": valid_until},
    )
    if commit:
        db.commit()
    return plain


def revoke_codes(db: Session, actor: Actor, polling_station_id: int) -> int:
    """Revoke every active code of a station, and its unused one-time links. Returns how many codes
    were revoked."""
    authz.require_role(db, actor, Role.ADMIN)
    station = db.get(PollingStation, polling_station_id)
    if station is None:
        raise NotFound("station", key="error.not_found")
    authz.require_municipality(db, actor, station.municipality_code)
    rows = db.scalars(
        select(StationAccessCode).where(
            StationAccessCode.polling_station_id == station.id, StationAccessCode.revoked_at.is_(None)
        )
    ).all()
    now = dt.datetime.now(dt.UTC)
    devices.revoke_for_station(db, station.id, now)
    for row in rows:
        row.revoked_at = now
        audit.record(
            db,
            actor,
            "access_code_revoked",
            entity="station_access_code",
            entity_id=row.id,
            municipality_code=station.municipality_code,
            election_id=station.election_id,
            polling_station_id=station.id,
            before={"revoked_at": None},
            after={"revoked_at": now},
        )
    from app.services import links  # links import this module

    links.revoke_links(db, actor, station.id, commit=False)
    db.commit()
    return len(rows)
