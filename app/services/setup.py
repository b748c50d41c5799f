"""Setting up an election: municipalities, the election, per-municipality settings, lists, candidates,
stations. Used by the admin pages, the importers and the demo loader. Each call is idempotent: the
same input twice changes nothing (and writes no audit row the second time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.access import Actor, Role
from app.domain.errors import InvalidInput
from app.domain.ids import election_id as normalise_election_id
from app.domain.ids import municipality_code as normalise_municipality
from app.services import audit, authz
from app.storage.models import (
    Election,
    ElectionMunicipality,
    Municipality,
    PoliticalGroup,
    PollingStation,
)

DEFAULT_TURNOUT_MOMENTS = ["10:00", "13:45", "17:45", "21:00"]
DEFAULT_CHECKLIST = [
    {
        "key": "ballot_box_sealed",
        "nl": "Stembus is leeg en verzegeld",
        "en": "Ballot box is empty and sealed",
    },
    {
        "key": "ballots_received",
        "nl": "Stembiljetten ontvangen en geteld",
        "en": "Ballot papers received and counted",
    },
    {"key": "booths_ready", "nl": "Stemhokjes staan klaar", "en": "Voting booths are ready"},
    {
        "key": "invalid_cards_list",
        "nl": "Register ongeldige stempassen / scanner aanwezig",
        "en": "List of invalid poll cards / scanner present",
    },
    {
        "key": "accessibility",
        "nl": "Toegankelijkheidsvoorzieningen aanwezig (leesloep, verlaagd stemhokje)",
        "en": "Accessibility aids in place (magnifier, lowered booth)",
    },
]


def _changes(obj: Any, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    before, after = {}, {}
    for key, value in values.items():
        if getattr(obj, key) != value:
            before[key], after[key] = getattr(obj, key), value
            setattr(obj, key, value)
    return before, after


def ensure_municipality(db: Session, actor: Actor, code: str, name: str) -> Municipality:
    authz.require_role(db, actor, Role.ADMIN)
    code = normalise_municipality(code)
    if not actor.is_global_admin:
        authz.require_municipality(db, actor, code)
    row = db.get(Municipality, code)
    if row is None:
        row = Municipality(code=code, name=name)
        db.add(row)
        audit.record(
            db,
            actor,
            "municipality_added",
            entity="municipality",
            entity_id=code,
            municipality_code=code,
            after={"name": name},
        )
    else:
        before, after = _changes(row, {"name": name})
        if after:
            audit.record(
                db,
                actor,
                "municipality_changed",
                entity="municipality",
                entity_id=code,
                municipality_code=code,
                before=before,
                after=after,
            )
    db.flush()
    return row


@dataclass
class ElectionSpec:
    id: str
    kind: str
    name: str
    election_date: dt.date
    council_size: int | None = None
    turnout_moments: list[str] = field(default_factory=lambda: list(DEFAULT_TURNOUT_MOMENTS))
    checklist_items: list[dict[str, str]] = field(default_factory=lambda: list(DEFAULT_CHECKLIST))
    low_stock_threshold: int = 50
    is_practice: bool = False
    access_from: dt.datetime | None = None
    access_until: dt.datetime | None = None


def _check_moments(moments: list[str]) -> list[str]:
    out = []
    for m in moments:
        try:
            out.append(dt.time.fromisoformat(m).strftime("%H:%M"))
        except ValueError:
            raise InvalidInput("moment", field="turnout_moments", key="setup.bad_moment", value=m) from None
    return sorted(set(out))


def upsert_election(db: Session, actor: Actor, spec: ElectionSpec) -> Election:
    """Create or update an election (global admins only: elections are shared by municipalities)."""
    authz.require_role(db, actor, Role.ADMIN)
    if not actor.is_global_admin:
        authz.require_municipality(db, actor, "")
    eid = normalise_election_id(spec.id)
    if spec.kind not in ("GR", "TK", "PS", "WS", "EP", "EK", "referendum"):
        raise InvalidInput("kind", field="kind", key="setup.bad_kind", value=spec.kind)
    values = {
        "kind": spec.kind,
        "name": spec.name,
        "election_date": spec.election_date,
        "council_size": spec.council_size,
        "turnout_moments": _check_moments(spec.turnout_moments),
        "checklist_items": spec.checklist_items,
        "low_stock_threshold": spec.low_stock_threshold,
        "is_practice": spec.is_practice,
        "access_from": spec.access_from,
        "access_until": spec.access_until,
    }
    row = db.get(Election, eid)
    if row is None:
        row = Election(id=eid, **values)
        db.add(row)
        audit.record(
            db, actor, "election_added", entity="election", entity_id=eid, election_id=eid, after=values
        )
    else:
        before, after = _changes(row, values)
        if after:
            audit.record(
                db,
                actor,
                "election_changed",
                entity="election",
                entity_id=eid,
                election_id=eid,
                before=before,
                after=after,
            )
    db.flush()
    return row


def ensure_election_municipality(
    db: Session,
    actor: Actor,
    election_id: str,
    municipality_code: str,
    *,
    electorate: int | None = None,
    counting_method: str = "DSO",
    council_size: int | None = None,
) -> ElectionMunicipality:
    authz.require_role(db, actor, Role.ADMIN)
    authz.require_municipality(db, actor, municipality_code)
    if counting_method not in ("DSO", "CSO"):
        raise InvalidInput("counting", field="counting_method", key="setup.bad_counting_method")
    values = {"electorate": electorate, "counting_method": counting_method, "council_size": council_size}
    row = db.get(ElectionMunicipality, (election_id, municipality_code))
    if row is None:
        row = ElectionMunicipality(election_id=election_id, municipality_code=municipality_code, **values)
        db.add(row)
        audit.record(
            db,
            actor,
            "election_municipality_added",
            entity="election_municipality",
            entity_id=f"{election_id}/{municipality_code}",
            municipality_code=municipality_code,
            election_id=election_id,
            after=values,
        )
    else:
        before, after = _changes(row, values)
        if after:
            audit.record(
                db,
                actor,
                "election_municipality_changed",
                entity="election_municipality",
                entity_id=f"{election_id}/{municipality_code}",
                municipality_code=municipality_code,
                election_id=election_id,
                before=before,
                after=after,
            )
    db.flush()
    return row


def upsert_political_group(
    db: Session, actor: Actor, election_id: str, municipality_code: str, number: int, name: str
) -> PoliticalGroup:
    authz.require_role(db, actor, Role.ADMIN)
    authz.require_municipality(db, actor, municipality_code)
    row = db.scalar(
        select(PoliticalGroup).where(
            PoliticalGroup.election_id == election_id,
            PoliticalGroup.municipality_code == municipality_code,
            PoliticalGroup.number == number,
        )
    )
    if row is None:
        row = PoliticalGroup(
            election_id=election_id, municipality_code=municipality_code, number=number, name=name
        )
        db.add(row)
        audit.record(
            db,
            actor,
            "political_group_added",
            entity="political_group",
            entity_id=f"{election_id}/{municipality_code}/{number}",
            municipality_code=municipality_code,
            election_id=election_id,
            after={"number": number, "name": name},
        )
    else:
        before, after = _changes(row, {"name": name})
        if after:
            audit.record(
                db,
                actor,
                "political_group_changed",
                entity="political_group",
                entity_id=row.id,
                municipality_code=municipality_code,
                election_id=election_id,
                before=before,
                after=after,
            )
    db.flush()
    return row


STATION_FIELDS = (
    "name",
    "station_type",
    "address",
    "postcode",
    "locality",
    "latitude",
    "longitude",
    "opens_at",
    "closes_at",
    "wheelchair_accessible",
    "accessibility",
)


def upsert_station(
    db: Session, actor: Actor, election_id: str, municipality_code: str, number: int, **values: Any
) -> PollingStation:
    authz.require_role(db, actor, Role.ADMIN)
    authz.require_municipality(db, actor, municipality_code)
    unknown = set(values) - set(STATION_FIELDS)
    if unknown:
        raise InvalidInput("fields", key="setup.unknown_fields", fields=", ".join(sorted(unknown)))
    if not isinstance(number, int) or number <= 0:
        raise InvalidInput("number", field="number", key="error.positive_integer")
    row = db.scalar(
        select(PollingStation).where(
            PollingStation.election_id == election_id,
            PollingStation.municipality_code == municipality_code,
            PollingStation.number == number,
        )
    )
    if row is None:
        row = PollingStation(
            election_id=election_id, municipality_code=municipality_code, number=number, **values
        )
        db.add(row)
        db.flush()
        audit.record(
            db,
            actor,
            "station_added",
            entity="polling_station",
            entity_id=row.id,
            municipality_code=municipality_code,
            election_id=election_id,
            polling_station_id=row.id,
            after={"number": number, **values},
        )
    else:
        before, after = _changes(row, values)
        if after:
            audit.record(
                db,
                actor,
                "station_changed",
                entity="polling_station",
                entity_id=row.id,
                municipality_code=municipality_code,
                election_id=election_id,
                polling_station_id=row.id,
                before=before,
                after=after,
            )
    db.flush()
    return row
