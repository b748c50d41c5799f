"""Reading and changing polling stations and per-municipality election settings, always scoped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.access import Actor, Role
from app.domain.errors import InvalidInput, NotFound
from app.services import audit, authz
from app.storage.models import ElectionMunicipality, PollingStation


@dataclass(frozen=True)
class StationView:
    id: int
    election_id: str
    municipality_code: str
    number: int
    name: str
    station_type: str
    address: str | None
    postcode: str | None
    latitude: float | None
    longitude: float | None
    locality: str | None = None
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None


def _view(s: PollingStation) -> StationView:
    return StationView(
        s.id,
        s.election_id,
        s.municipality_code,
        s.number,
        s.name,
        s.station_type,
        s.address,
        s.postcode,
        s.latitude,
        s.longitude,
        s.locality,
        s.opens_at,
        s.closes_at,
    )


def get_station(db: Session, actor: Actor, polling_station_id: int) -> StationView:
    authz.require_role(db, actor, Role.CHAIR, Role.OFFICE, Role.ADMIN, Role.ANALYST)
    station = db.get(PollingStation, polling_station_id)
    if station is None:
        raise NotFound("station", key="error.not_found")
    authz.require_station(db, actor, station.id, station.municipality_code)
    return _view(station)


def list_stations(db: Session, actor: Actor, election_id: str, municipality_code: str) -> list[StationView]:
    authz.require_role(db, actor, Role.OFFICE, Role.ADMIN, Role.ANALYST)
    authz.require_municipality(db, actor, municipality_code)
    rows = db.scalars(
        select(PollingStation)
        .where(
            PollingStation.election_id == election_id, PollingStation.municipality_code == municipality_code
        )
        .order_by(PollingStation.number)
    )
    return [_view(s) for s in rows]


def set_electorate(
    db: Session, actor: Actor, election_id: str, municipality_code: str, electorate: int
) -> None:
    """Set the municipal electorate (kiesgerechtigden), the denominator of turnout."""
    authz.require_role(db, actor, Role.OFFICE, Role.ADMIN)
    authz.require_municipality(db, actor, municipality_code)
    if not isinstance(electorate, int) or isinstance(electorate, bool) or electorate < 0:
        raise InvalidInput("electorate", field="electorate", key="error.non_negative_integer")
    row = db.get(ElectionMunicipality, (election_id, municipality_code), with_for_update=True)
    if row is None:
        raise NotFound("election_municipality", key="error.not_found")
    before = {"electorate": row.electorate}
    row.electorate = electorate
    audit.record(
        db,
        actor,
        "electorate_set",
        entity="election_municipality",
        entity_id=f"{election_id}/{municipality_code}",
        municipality_code=municipality_code,
        election_id=election_id,
        before=before,
        after={"electorate": electorate},
    )
    db.commit()
