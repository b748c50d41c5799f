"""Practice elections ("oefenverkiezing"): a copy of a municipality's stations and lists in an election of
its own (``is_practice``), so that chairs can practise with the real forms on their own station without
touching a real election, and that is wiped in one go afterwards.

- One practice election per municipality: ``OEF<year><municipality code>`` (``OEF2026GM0668``), held
  today, its access codes valid today and tomorrow.
- Practice data never mixes with a real election: stations, lists, codes and everything reported live
  under the practice election's id; :func:`require_same_kind` refuses to use a real election's row in a
  practice election (and the other way round); :func:`wipe_practice` refuses a real election.
- Wiping deletes the practice election and every row that belongs to it, in one transaction. The audit
  log is append-only: its rows of the practice stay, and the wipe itself is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Table, delete, select
from sqlalchemy.orm import Session

from app.domain.access import Actor, Role
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.domain.ids import municipality_code as normalise_municipality
from app.services import audit, authz, codes
from app.storage.models import (
    AuditLog,
    Base,
    Candidate,
    Election,
    ElectionMunicipality,
    Municipality,
    PoliticalGroup,
    PollingStation,
)

TZ = ZoneInfo("Europe/Amsterdam")
PREFIX = "OEF"
_STATION_COPY = (
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


@dataclass(frozen=True)
class PracticeElection:
    election_id: str
    municipality_code: str
    source_election_id: str
    stations: int
    lists: int
    codes: dict[int, str]
    """Station number → access code, shown once (empty when no codes were issued)."""


@dataclass(frozen=True)
class WipeResult:
    election_id: str
    municipality_code: str
    rows_deleted: dict[str, int]


def practice_election_id(municipality_code: str, year: int) -> str:
    return f"{PREFIX}{year}{normalise_municipality(municipality_code)}"


def is_practice(db: Session, election_id: str) -> bool:
    election = db.get(Election, election_id)
    return bool(election and election.is_practice)


def require_same_kind(db: Session, election_id: str, other_election_id: str) -> None:
    """Refuse to combine a practice election with a real one (copying, comparing, simulating into)."""
    if is_practice(db, election_id) != is_practice(db, other_election_id):
        raise Conflict("practice and real elections do not mix", key="practice.mixed")


def _latest_real_election(db: Session, municipality_code: str) -> Election:
    row = db.scalar(
        select(Election)
        .join(ElectionMunicipality, ElectionMunicipality.election_id == Election.id)
        .where(ElectionMunicipality.municipality_code == municipality_code, Election.is_practice.is_(False))
        .order_by(Election.election_date.desc(), Election.id.desc())
        .limit(1)
    )
    if row is None:
        raise NotFound("no election to copy", key="practice.no_source")
    return row


def start_practice(
    db: Session,
    actor: Actor,
    municipality_code: str,
    *,
    source_election_id: str | None = None,
    issue_codes: bool = True,
    today: dt.date | None = None,
) -> PracticeElection:
    """Start a practice election for a municipality's chairs: a copy of its stations and lists from
    ``source_election_id`` (default: its latest real election), held today, with fresh access codes.

    Refuses when the municipality already has a practice election (wipe it first) or when the source
    is itself a practice election."""
    authz.require_role(db, actor, Role.ADMIN)
    code = normalise_municipality(municipality_code)
    authz.require_municipality(db, actor, code)
    if db.get(Municipality, code) is None:
        raise NotFound("municipality", key="error.not_found")
    source = db.get(Election, source_election_id) if source_election_id else _latest_real_election(db, code)
    if source is None:
        raise NotFound("election", key="error.not_found")
    if source.is_practice:
        raise Conflict("a practice election is not copied", key="practice.mixed")
    part = db.get(ElectionMunicipality, (source.id, code))
    if part is None:
        raise NotFound("municipality not in election", key="practice.no_source")
    existing = find_practice(db, actor, code)
    if existing is not None:
        raise Conflict("practice election exists", key="practice.exists", election=existing)

    today = today or dt.datetime.now(TZ).date()
    eid = practice_election_id(code, today.year)
    if db.get(Election, eid) is not None:  # a practice id is never a real election's id; be sure
        raise Conflict("practice election exists", key="practice.exists", election=eid)
    access_from = dt.datetime.combine(today, dt.time(0, 0), tzinfo=TZ)
    election = Election(
        id=eid,
        kind=source.kind,
        name=f"Oefenverkiezing {source.name}"[:200],
        election_date=today,
        council_size=source.council_size,
        turnout_moments=list(source.turnout_moments or []),
        checklist_items=list(source.checklist_items or []),
        low_stock_threshold=source.low_stock_threshold,
        is_practice=True,
        access_from=access_from,
        access_until=access_from + dt.timedelta(days=2),
    )
    db.add(election)
    db.add(
        ElectionMunicipality(
            election_id=eid,
            municipality_code=code,
            electorate=part.electorate,
            counting_method=part.counting_method,
            council_size=part.council_size,
        )
    )
    db.flush()
    groups = db.scalars(
        select(PoliticalGroup)
        .where(PoliticalGroup.election_id == source.id, PoliticalGroup.municipality_code == code)
        .order_by(PoliticalGroup.number)
    ).all()
    for group in groups:
        copy = PoliticalGroup(election_id=eid, municipality_code=code, number=group.number, name=group.name)
        db.add(copy)
        db.flush()
        for c in db.scalars(select(Candidate).where(Candidate.political_group_id == group.id)):
            db.add(
                Candidate(
                    political_group_id=copy.id,
                    municipality_code=code,
                    number=c.number,
                    last_name=c.last_name,
                    prefix=c.prefix,
                    initials=c.initials,
                    first_name=c.first_name,
                    locality=c.locality,
                    gender=c.gender,
                )
            )
    stations = db.scalars(
        select(PollingStation)
        .where(PollingStation.election_id == source.id, PollingStation.municipality_code == code)
        .order_by(PollingStation.number)
    ).all()
    copies = []
    for s in stations:
        copy_station = PollingStation(
            election_id=eid,
            municipality_code=code,
            number=s.number,
            **{f: getattr(s, f) for f in _STATION_COPY},
        )
        db.add(copy_station)
        copies.append(copy_station)
    db.flush()
    audit.record(
        db,
        actor,
        "practice_started",
        entity="election",
        entity_id=eid,
        municipality_code=code,
        election_id=eid,
        after={"source_election_id": source.id, "stations": len(copies), "lists": len(groups)},
    )
    issued: dict[int, str] = {}
    if issue_codes:
        for station in copies:
            issued[station.number] = codes.issue_code(db, actor, station.id, commit=False)
    db.commit()
    return PracticeElection(eid, code, source.id, len(copies), len(groups), issued)


def find_practice(db: Session, actor: Actor, municipality_code: str) -> str | None:
    """The id of the municipality's practice election, if one is running."""
    authz.require_role(db, actor, Role.ADMIN, Role.OFFICE)
    code = normalise_municipality(municipality_code)
    authz.require_municipality(db, actor, code)
    return db.scalar(
        select(Election.id)
        .join(ElectionMunicipality, ElectionMunicipality.election_id == Election.id)
        .where(ElectionMunicipality.municipality_code == code, Election.is_practice.is_(True))
        .order_by(Election.id)
        .limit(1)
    )


_ROOT_COLUMNS = ("election_id", "polling_station_id", "political_group_id")


def _rows_of(table: Table, eid: str, seen: frozenset[str] = frozenset()) -> ColumnElement[bool] | None:
    """A condition selecting the rows of ``table`` that belong to election ``eid``: by its own
    election, station or list column, else through a foreign key to a table that has one."""
    c = table.c
    if "election_id" in c:
        return c.election_id == eid
    if "polling_station_id" in c:
        return c.polling_station_id.in_(select(PollingStation.id).where(PollingStation.election_id == eid))
    if "political_group_id" in c:
        return c.political_group_id.in_(select(PoliticalGroup.id).where(PoliticalGroup.election_id == eid))
    for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
        parent = fk.column.table
        if not isinstance(parent, Table) or parent.name in seen or parent.name == table.name:
            continue
        inner = _rows_of(parent, eid, seen | {table.name})
        if inner is not None:
            return fk.parent.in_(select(fk.column).where(inner))
    return None


def _dependent_tables() -> list[Table]:
    """Tables that can hold rows of an election, children first (audit_log excluded: append-only)."""
    skip = {AuditLog.__tablename__, Election.__tablename__}
    return [t for t in reversed(Base.metadata.sorted_tables) if t.name not in skip]


def wipe_practice(
    db: Session, actor: Actor, municipality_code: str, election_id: str | None = None
) -> WipeResult:
    """Delete the municipality's practice election and all its data in one transaction (audited).

    Refuses a real election, and a practice election of another municipality."""
    authz.require_role(db, actor, Role.ADMIN)
    code = normalise_municipality(municipality_code)
    authz.require_municipality(db, actor, code)
    eid = election_id or find_practice(db, actor, code)
    if eid is None:
        raise NotFound("no practice election", key="practice.none")
    election = db.get(Election, eid, with_for_update=True)
    if election is None:
        raise NotFound("election", key="error.not_found")
    if not election.is_practice:
        raise InvalidInput("not a practice election", field="election_id", key="practice.not_practice")
    others = db.scalars(
        select(ElectionMunicipality.municipality_code).where(ElectionMunicipality.election_id == eid)
    ).all()
    if set(others) - {code}:
        raise Conflict("practice election shared", key="practice.shared")
    deleted: dict[str, int] = {}
    for table in _dependent_tables():
        condition = _rows_of(table, eid)
        if condition is None:
            continue
        count = getattr(db.execute(delete(table).where(condition)), "rowcount", 0)
        if count:
            deleted[table.name] = count
    db.delete(election)
    db.flush()
    deleted["election"] = 1
    audit.record(
        db,
        actor,
        "practice_wiped",
        entity="election",
        entity_id=eid,
        municipality_code=code,
        election_id=eid,
        before={"name": election.name, "election_date": election.election_date},
        after={"rows_deleted": deleted},
    )
    db.commit()
    return WipeResult(eid, code, deleted)
