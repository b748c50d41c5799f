"""Small read models for the home page of each role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.access import Actor, Role
from app.domain.errors import NotFound
from app.services import authz
from app.storage.models import Election, ElectionMunicipality, Municipality, PollingStation


@dataclass(frozen=True)
class ChairHome:
    station_id: int
    number: int
    name: str
    address: str | None
    municipality_name: str
    election_id: str
    election_name: str
    election_date: dt.date
    opens_at: dt.time
    closes_at: dt.time


@dataclass(frozen=True)
class ElectionSummary:
    election_id: str
    name: str
    election_date: dt.date
    municipality_code: str
    municipality_name: str
    stations: int
    electorate: int | None
    counting_method: str


def chair_home(db: Session, actor: Actor) -> ChairHome:
    authz.require_role(db, actor, Role.CHAIR)
    assert actor.polling_station_id is not None
    station = db.get(PollingStation, actor.polling_station_id)
    if station is None:
        raise NotFound("station", key="error.not_found")
    authz.require_station(db, actor, station.id, station.municipality_code)
    election = db.get(Election, station.election_id)
    municipality = db.get(Municipality, station.municipality_code)
    assert election is not None and municipality is not None
    return ChairHome(
        station.id,
        station.number,
        station.name,
        station.address,
        municipality.name,
        election.id,
        election.name,
        election.election_date,
        station.opens_at,
        station.closes_at,
    )


def staff_home(db: Session, actor: Actor) -> list[ElectionSummary]:
    """Elections with station counts, limited to the actor's municipality (all for a global admin)."""
    authz.require_role(db, actor, Role.ADMIN, Role.OFFICE, Role.ANALYST)
    stations = (
        select(PollingStation.election_id, PollingStation.municipality_code, func.count().label("n"))
        .group_by(PollingStation.election_id, PollingStation.municipality_code)
        .subquery()
    )
    query = (
        select(Election, ElectionMunicipality, Municipality.name, func.coalesce(stations.c.n, 0))
        .join(ElectionMunicipality, ElectionMunicipality.election_id == Election.id)
        .join(Municipality, Municipality.code == ElectionMunicipality.municipality_code)
        .outerjoin(
            stations,
            (stations.c.election_id == Election.id)
            & (stations.c.municipality_code == ElectionMunicipality.municipality_code),
        )
        .order_by(Election.election_date.desc(), Municipality.name)
    )
    if not actor.is_global_admin:
        query = query.where(ElectionMunicipality.municipality_code == actor.municipality_code)
    return [
        ElectionSummary(
            e.id, e.name, e.election_date, em.municipality_code, name, n, em.electorate, em.counting_method
        )
        for e, em, name, n in db.execute(query)
    ]


def municipality_name(db: Session, code: str | None) -> str:
    if code is None:
        return ""
    row = db.get(Municipality, code)
    return row.name if row else code
