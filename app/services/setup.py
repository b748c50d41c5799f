"""Setting up an election: municipalities, the election, per-municipality settings, lists, candidates,
stations. Used by the admin pages, the importers and the demo loader. Each call is idempotent: the
same input twice changes nothing (and writes no audit row the second time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import stations
from app.domain.access import Actor, Role
from app.domain.errors import InvalidInput, NotFound
from app.domain.ids import election_id as normalise_election_id
from app.domain.ids import municipality_code as normalise_municipality
from app.services import audit, authz
from app.storage.models import (
    Election,
    ElectionMunicipality,
    Municipality,
    PoliticalGroup,
    PollingStation,
    PollingStationLocation,
)

TZ = ZoneInfo("Europe/Amsterdam")
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
_HOURS_FIELDS = {"station_type", "opens_at", "closes_at"}


@dataclass(frozen=True)
class StationLocation:
    """One location/time row of a polling station: a mobiel station has one per place it stops at (a
    station closed for a while during the day has one per part of the day). A naive time is local time
    (Europe/Amsterdam)."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    def local(self) -> tuple[dt.datetime, dt.datetime]:
        return _local(self.starts_at), _local(self.ends_at)


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment.astimezone(TZ)


def _location_periods(locations: Sequence[StationLocation]) -> list[tuple[dt.time, dt.time]]:
    """The rows as local (opening, closing) times of one day; a row that ends on a later day, or rows on
    different days, are refused (a station open on several days has a number per day)."""
    periods = []
    days = set()
    for loc in locations:
        start, end = loc.local()
        if end <= start or end.date() != start.date():
            rule = stations.OPENS_BEFORE_CLOSES if end <= start else stations.CLOSE_NO_LATER_THAN_2100
            raise InvalidInput(
                "a location row does not end after it starts on the same day",
                field="closes_at",
                key=rule,
                opens=f"{start:%d-%m-%Y %H:%M}",
                closes=f"{end:%d-%m-%Y %H:%M}",
            )
        days.add(start.date())
        periods.append((start.time(), end.time()))
    if len(days) > 1:
        raise InvalidInput(
            "location rows on different days",
            field="opens_at",
            key="setup.locations_one_day",
            days=", ".join(f"{d:%d-%m-%Y}" for d in sorted(days)),
        )
    return periods


def _check_hours(
    row: PollingStation | None,
    values: dict[str, Any],
    periods: list[tuple[dt.time, dt.time]] | None,
    *,
    accept_warnings: bool,
) -> None:
    """Refuse hours that break the rules of ``app.domain.stations`` (the warnings too unless
    ``accept_warnings``: an official station list is stored as it says, its warnings reported)."""
    for name in ("opens_at", "closes_at"):
        value = values.get(name)
        if name in values and (not isinstance(value, dt.time) or value.tzinfo is not None):
            raise InvalidInput(name, field=name, key="setup.bad_time")
    if periods is None:
        if row is not None and all(getattr(row, k) == values[k] for k in _HOURS_FIELDS & set(values)):
            return  # the type and hours stay as they are (saving a name does not re-judge them)
        opens = values.get("opens_at", row.opens_at if row is not None else stations.OPENS)
        closes = values.get("closes_at", row.closes_at if row is not None else stations.CLOSES)
        periods = [(opens, closes)]
    kind = values.get("station_type") or (row.station_type if row is not None else stations.REGULIER)
    for problem in stations.check_station_periods(kind, periods):
        if problem.is_error or not accept_warnings:
            raise InvalidInput(problem.text_en, field=problem.field, key=problem.code, **problem.params)


def upsert_station(
    db: Session,
    actor: Actor,
    election_id: str,
    municipality_code: str,
    number: int,
    *,
    locations: Sequence[StationLocation] | None = None,
    accept_hours_warnings: bool = False,
    **values: Any,
) -> PollingStation:
    """Create or update station ``number`` (idempotent; audited when it changes).

    Its hours are checked against the rules of :mod:`app.domain.stations` (Kieswet J 1, J 4a): an error
    is always refused, a warning (hours that do not fit the kind) too unless ``accept_hours_warnings``
    (the import of an official list, which reports them). ``locations`` (a mobiel station's
    location/time rows) replace the station's stored rows (``[]`` removes them; ``None`` leaves them);
    with rows, the station opens at the earliest row and closes at the latest."""
    authz.require_role(db, actor, Role.ADMIN)
    authz.require_municipality(db, actor, municipality_code)
    unknown = set(values) - set(STATION_FIELDS)
    if unknown:
        raise InvalidInput("fields", key="setup.unknown_fields", fields=", ".join(sorted(unknown)))
    if not isinstance(number, int) or number <= 0:
        raise InvalidInput("number", field="number", key="error.positive_integer")
    if "station_type" in values and values["station_type"] not in stations.STATION_TYPES:
        raise InvalidInput("type", field="station_type", key="admin.bad_station_type")
    periods = _location_periods(locations) if locations else None
    if periods:
        values["opens_at"], values["closes_at"] = stations.station_day(periods)
    row = db.scalar(
        select(PollingStation).where(
            PollingStation.election_id == election_id,
            PollingStation.municipality_code == municipality_code,
            PollingStation.number == number,
        )
    )
    _check_hours(row, values, periods, accept_warnings=accept_hours_warnings)
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
    if locations is not None:
        _replace_locations(db, actor, row, locations)
    db.flush()
    return row


def _location_values(loc: PollingStationLocation | StationLocation) -> dict[str, Any]:
    return {
        "starts_at": _local(loc.starts_at),
        "ends_at": _local(loc.ends_at),
        "address": loc.address,
        "latitude": loc.latitude,
        "longitude": loc.longitude,
    }


def list_station_locations(db: Session, actor: Actor, polling_station_id: int) -> list[StationLocation]:
    """A station's location/time rows (a mobiel station's stops), in the order of the day, in local time.
    Empty for a station of one location."""
    authz.require_role(db, actor, Role.CHAIR, Role.OFFICE, Role.ADMIN, Role.ANALYST)
    station = db.get(PollingStation, polling_station_id)
    if station is None:
        raise NotFound("station", key="error.not_found")
    authz.require_station(db, actor, station.id, station.municipality_code)
    return station_locations(db, station.id)


def station_locations(db: Session, polling_station_id: int) -> list[StationLocation]:
    """A station's location/time rows, as :func:`list_station_locations`, for a service that has already
    checked that its actor may see the station."""
    return [
        StationLocation(_local(r.starts_at), _local(r.ends_at), r.address, r.latitude, r.longitude)
        for r in _station_locations(db, polling_station_id)
    ]


def _station_locations(db: Session, polling_station_id: int) -> list[PollingStationLocation]:
    return list(
        db.scalars(
            select(PollingStationLocation)
            .where(PollingStationLocation.polling_station_id == polling_station_id)
            .order_by(PollingStationLocation.starts_at, PollingStationLocation.id)
        )
    )


def _replace_locations(
    db: Session, actor: Actor, station: PollingStation, locations: Sequence[StationLocation]
) -> None:
    """Make the station's stored rows equal to ``locations`` (nothing happens, and nothing is audited,
    when they already are)."""
    stored = _station_locations(db, station.id)
    before = [_location_values(loc) for loc in stored]
    after = sorted((_location_values(loc) for loc in locations), key=lambda v: (v["starts_at"], v["ends_at"]))
    if before == after:
        return
    for loc in stored:
        db.delete(loc)
    db.flush()
    for value in after:
        db.add(
            PollingStationLocation(
                polling_station_id=station.id, municipality_code=station.municipality_code, **value
            )
        )
    audit.record(
        db,
        actor,
        "station_locations_set",
        entity="polling_station",
        entity_id=station.id,
        municipality_code=station.municipality_code,
        election_id=station.election_id,
        polling_station_id=station.id,
        before={"locations": before},
        after={"locations": after},
    )
