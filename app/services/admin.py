"""Administration use cases for the admin pages: municipalities (tenants), staff accounts (deactivate,
reactivate, reset password, link an identity-provider subject) and election set-up by hand. Set-up goes
through ``app.services.setup`` (shared with the importers and the demo loader); these wrappers add the
commit, one transaction per use case."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import inputs, stations
from app.domain.access import Actor, Role
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.domain.ids import municipality_code as normalise_municipality
from app.services import audit, authz, devices, security, setup, users
from app.storage.models import (
    Election,
    ElectionMunicipality,
    Municipality,
    PoliticalGroup,
    PollingStation,
    StaffUser,
)


@dataclass(frozen=True)
class MunicipalityView:
    code: str
    name: str
    public_page_enabled: bool


@dataclass(frozen=True)
class ElectionView:
    id: str
    kind: str
    name: str
    election_date: dt.date
    council_size: int | None
    turnout_moments: list[str]
    checklist_items: list[dict[str, str]]
    low_stock_threshold: int
    access_from: dt.datetime | None
    access_until: dt.datetime | None


@dataclass(frozen=True)
class ElectionMunicipalityView:
    """A municipality's part in an election, as stored (what the set-up form starts from)."""

    election_id: str
    municipality_code: str
    electorate: int | None
    counting_method: str
    council_size: int | None


# --- municipalities ---------------------------------------------------------------------------------
_POSTCODE = re.compile(r"[1-9][0-9]{3}[A-Z]{2}")


def _number_taken(
    db: Session, model: type[PoliticalGroup] | type[PollingStation], election_id: str, code: str, number: int
) -> bool:
    """Whether a list or station with this number exists in the municipality at the election (a new one
    must not overwrite it)."""
    query = select(model.id).where(
        model.election_id == election_id, model.municipality_code == code, model.number == number
    )
    return db.scalar(query) is not None


def _name(value: object, *, max_length: int) -> str:
    """A name typed on an admin page: one line, not empty, within its column."""
    name = inputs.text(
        value,
        "name",
        max_length=max_length,
        required=True,
        single_line=True,
        required_key="admin.name_needed",
    )
    assert name is not None
    return name


def list_municipalities(db: Session, actor: Actor) -> list[MunicipalityView]:
    authz.require_role(db, actor, Role.ADMIN, Role.OFFICE, Role.ANALYST)
    query = select(Municipality).order_by(Municipality.name)
    if not actor.is_global_admin:
        query = query.where(Municipality.code == actor.municipality_code)
    return [MunicipalityView(m.code, m.name, m.public_page_enabled) for m in db.scalars(query)]


def save_municipality(db: Session, actor: Actor, code: str, name: str) -> MunicipalityView:
    """Add a municipality (global admins) or rename one (its own admin too)."""
    authz.require_role(db, actor, Role.ADMIN)
    name = _name(name, max_length=120)
    code = normalise_municipality(code)
    if db.get(Municipality, code) is None and not actor.is_global_admin:
        authz.require_municipality(db, actor, "")  # refuses and logs: only global admins add tenants
    row = setup.ensure_municipality(db, actor, code, name)
    db.commit()
    return MunicipalityView(row.code, row.name, row.public_page_enabled)


def set_public_page(db: Session, actor: Actor, municipality_code: str, enabled: bool) -> None:
    """Opt a municipality in or out of the public results page."""
    authz.require_role(db, actor, Role.ADMIN)
    authz.require_municipality(db, actor, municipality_code)
    row = db.get(Municipality, municipality_code, with_for_update=True)
    if row is None:
        raise NotFound("municipality", key="error.not_found")
    if row.public_page_enabled != enabled:
        audit.record(
            db,
            actor,
            "public_page_changed",
            entity="municipality",
            entity_id=row.code,
            municipality_code=row.code,
            before={"public_page_enabled": row.public_page_enabled},
            after={"public_page_enabled": enabled},
        )
        row.public_page_enabled = enabled
    db.commit()


# --- staff accounts ---------------------------------------------------------------------------------
def _user_for_change(db: Session, actor: Actor, user_id: int) -> StaffUser:
    authz.require_role(db, actor, Role.ADMIN)
    user = db.get(StaffUser, user_id, with_for_update=True)
    if user is None:
        raise NotFound("user", key="error.not_found")
    if user.municipality_code is None:
        if not actor.is_global_admin:  # only a global admin changes a global admin
            authz.require_municipality(db, actor, "")
    else:
        authz.require_municipality(db, actor, user.municipality_code)
    return user


def set_user_active(db: Session, actor: Actor, user_id: int, active: bool) -> users.UserView:
    """Deactivate (or reactivate) a staff account. An admin cannot deactivate themself."""
    user = _user_for_change(db, actor, user_id)
    if not active and user.id == actor.user_id:
        raise Conflict("self", key="admin.not_yourself")
    if user.is_active != active:
        audit.record(
            db,
            actor,
            "user_activated" if active else "user_deactivated",
            entity="staff_user",
            entity_id=user.id,
            municipality_code=user.municipality_code,
            before={"is_active": user.is_active},
            after={"is_active": active},
        )
        user.is_active = active
        if not active:
            devices.revoke_for_user(db, user.id, dt.datetime.now(dt.UTC))
    db.commit()
    return users.UserView(
        user.id, user.username, user.display_name, user.role, user.municipality_code, user.is_active
    )


def reset_password(db: Session, actor: Actor, user_id: int, new_password: str) -> None:
    """Set a new password for a staff account (the admin tells the user in person)."""
    user = _user_for_change(db, actor, user_id)
    if len(new_password or "") < users.MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "short password", field="password", key="users.short_password", n=users.MIN_PASSWORD_LENGTH
        )
    user.password_hash = security.hash_password(new_password)
    devices.revoke_for_user(db, user.id, dt.datetime.now(dt.UTC))  # devices signed in before end
    audit.record(
        db,
        actor,
        "password_reset",
        entity="staff_user",
        entity_id=user.id,
        municipality_code=user.municipality_code,
        after={"username": user.username},  # never the password or its hash
    )
    db.commit()


def set_oidc_subject(db: Session, actor: Actor, user_id: int, subject: str | None) -> None:
    """Link a staff account to the identity provider's subject (``sub``) or e-mail for OIDC sign-in."""
    user = _user_for_change(db, actor, user_id)
    subject = inputs.text(subject, "oidc_subject", max_length=200, single_line=True)
    if subject and db.scalar(
        select(StaffUser.id).where(StaffUser.oidc_subject == subject, StaffUser.id != user.id)
    ):
        raise Conflict("taken", key="admin.subject_taken")
    audit.record(
        db,
        actor,
        "oidc_subject_set",
        entity="staff_user",
        entity_id=user.id,
        municipality_code=user.municipality_code,
        before={"oidc_subject": user.oidc_subject},
        after={"oidc_subject": subject},
    )
    user.oidc_subject = subject
    db.commit()


# --- elections ---------------------------------------------------------------------------------------
def _election_view(e: Election) -> ElectionView:
    return ElectionView(
        e.id,
        e.kind,
        e.name,
        e.election_date,
        e.council_size,
        list(e.turnout_moments or []),
        list(e.checklist_items or []),
        e.low_stock_threshold,
        e.access_from,
        e.access_until,
    )


def list_elections(db: Session, actor: Actor) -> list[ElectionView]:
    """Elections (several may share a date, e.g. PS and WS): all for a global admin, else those the
    actor's municipality takes part in."""
    authz.require_role(db, actor, Role.ADMIN, Role.OFFICE, Role.ANALYST)
    query = select(Election).order_by(Election.election_date.desc(), Election.id)
    if not actor.is_global_admin:
        query = query.join(ElectionMunicipality, ElectionMunicipality.election_id == Election.id).where(
            ElectionMunicipality.municipality_code == actor.municipality_code
        )
    return [_election_view(e) for e in db.scalars(query)]


def parse_checklist(lines: str) -> list[dict[str, str]]:
    """Checklist items from text, one per line: ``key | Dutch text | English text``. Each key once (the
    chair's opening page has one tick box per key, and records ticks by key)."""
    items = []
    first_line: dict[str, int] = {}
    for n, raw in enumerate((lines or "").splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) != 3 or not all(parts):
            raise InvalidInput("checklist", field="checklist_items", key="admin.bad_checklist", line=n)
        if parts[0] in first_line:
            raise InvalidInput(
                "duplicate checklist key",
                field="checklist_items",
                key="admin.duplicate_checklist_key",
                line=n,
                item=parts[0],
                first=first_line[parts[0]],
            )
        first_line[parts[0]] = n
        items.append({"key": parts[0], "nl": parts[1], "en": parts[2]})
    return items


def save_election(db: Session, actor: Actor, spec: setup.ElectionSpec) -> ElectionView:
    """Create or change an election (global admins: an election is shared by municipalities)."""
    authz.require_role(db, actor, Role.ADMIN)
    inputs.whole_number(spec.low_stock_threshold, "low_stock_threshold")
    if spec.council_size is not None:
        inputs.whole_number(spec.council_size, "council_size", minimum=1)
    spec = replace(spec, name=_name(spec.name, max_length=200))
    if spec.access_from and spec.access_until and spec.access_until <= spec.access_from:
        raise InvalidInput("access window", field="access_until", key="error.access_window_order")
    row = setup.upsert_election(db, actor, spec)
    db.commit()
    return _election_view(row)


def get_election_municipality(
    db: Session, actor: Actor, election_id: str, municipality_code: str
) -> ElectionMunicipalityView | None:
    """A municipality's stored part in an election (None while it does not take part yet). Same
    authorisation as saving it: admins, of their own municipality."""
    authz.require_role(db, actor, Role.ADMIN)
    authz.require_municipality(db, actor, municipality_code)
    row = db.get(ElectionMunicipality, (election_id, municipality_code))
    if row is None:
        return None
    return ElectionMunicipalityView(
        row.election_id, row.municipality_code, row.electorate, row.counting_method, row.council_size
    )


def save_election_municipality(
    db: Session,
    actor: Actor,
    election_id: str,
    municipality_code: str,
    *,
    electorate: int | None,
    counting_method: str,
    council_size: int | None,
) -> None:
    """A municipality's part in an election: counting method (DSO/CSO), council size, electorate."""
    authz.require_role(db, actor, Role.ADMIN)
    if electorate is not None:
        inputs.whole_number(electorate, "electorate")
    if council_size is not None:
        inputs.whole_number(council_size, "council_size", minimum=1)
    authz.require_municipality(db, actor, municipality_code)
    election = db.get(Election, election_id)
    if election is None or db.get(Municipality, municipality_code) is None:
        raise NotFound("election", key="error.not_found")
    # A practice election is one municipality's own (it wipes it alone); its id names that municipality
    # (app.services.practice.practice_id). Row-level security hides another municipality's rows, so the
    # id is what tells, not a query.
    if election.is_practice and not election.id.endswith(municipality_code):
        raise Conflict("practice election of another municipality", key="admin.practice_not_shared")
    setup.ensure_election_municipality(
        db,
        actor,
        election_id,
        municipality_code,
        electorate=electorate,
        counting_method=counting_method,
        council_size=council_size,
    )
    db.commit()


def save_list(
    db: Session,
    actor: Actor,
    election_id: str,
    municipality_code: str,
    number: int,
    name: str,
    *,
    new: bool = False,
) -> None:
    """Add (``new``: refused when the number is taken) or rename a list (lijst) in a municipality at an
    election."""
    authz.require_role(db, actor, Role.ADMIN)
    authz.require_municipality(db, actor, municipality_code)
    if db.get(ElectionMunicipality, (election_id, municipality_code)) is None:
        raise NotFound("election_municipality", key="admin.municipality_not_in_election")
    name = _name(name, max_length=300)
    inputs.whole_number(number, "number", minimum=1)
    if new and _number_taken(db, PoliticalGroup, election_id, municipality_code, number):
        raise Conflict("list exists", key="error.list_exists", number=number)
    setup.upsert_political_group(db, actor, election_id, municipality_code, number, name)
    db.commit()


def list_lists(db: Session, actor: Actor, election_id: str, municipality_code: str) -> list[tuple[int, str]]:
    authz.require_role(db, actor, Role.ADMIN, Role.OFFICE, Role.ANALYST)
    authz.require_municipality(db, actor, municipality_code)
    rows = db.execute(
        select(PoliticalGroup.number, PoliticalGroup.name)
        .where(
            PoliticalGroup.election_id == election_id, PoliticalGroup.municipality_code == municipality_code
        )
        .order_by(PoliticalGroup.number)
    )
    return [(n, name) for n, name in rows]


MAX_STOP_LOCATION = 300
"""The longest place of a stop (``polling_station_location.address``)."""


@dataclass(frozen=True)
class StopInput:
    """One stop of a mobiel polling station as typed on the station form (a row of its table; rows are
    numbered from 1 in messages): the place (its address or name), from when until when the station is
    there on election day (``dt.time``, or text ``HH:MM``), and optional coordinates (an imported stop
    has them)."""

    location: str | None = None
    opens_at: dt.time | str | None = None
    closes_at: dt.time | str | None = None
    latitude: float | None = None
    longitude: float | None = None

    def is_empty(self) -> bool:
        """A row added to the table and left empty (skipped, not refused)."""
        return all(
            v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v))
            for v in (self.location, self.opens_at, self.closes_at, self.latitude, self.longitude)
        )


def _stop_time(value: object, row: int, name: str) -> dt.time:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):  # else refused below
            value = dt.time.fromisoformat(value.strip())
    if isinstance(value, dt.datetime):  # a table may give a timestamp
        value = value.time()
    if not isinstance(value, dt.time) or value.tzinfo is not None:
        raise InvalidInput(f"stop {row}: {name}", field=name, key=f"admin.stop.{name}.time", row=row)
    return value.replace(microsecond=0)


def _stop_coordinate(value: object, row: int, name: str, limit: int) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = math.inf  # not a number: refused as out of range, with the range it must lie in
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        with contextlib.suppress(ValueError):
            number = float(value)
    if math.isnan(number):
        return None
    if not -limit <= number <= limit:
        raise InvalidInput(
            f"stop {row}: {name}", field=name, key=f"admin.stop.{name}.range", row=row, limit=limit
        )
    return number


def stop_locations(
    election_date: dt.date, station_type: str, stops: Sequence[StopInput]
) -> list[setup.StationLocation]:
    """The stops as location/time rows on ``election_date``, or refused with the row (numbered from 1,
    as on the form) and the field: each stop needs its place and both times, coordinates lie on the
    globe, and the stops obey the hours rules of :mod:`app.domain.stations` for a station of
    ``station_type`` (no overlap, closing after opening, closing no later than 21:00; an admin enters
    no hours that do not fit the kind either). Rows left wholly empty are skipped."""
    checked: list[tuple[int, str, dt.time, dt.time, float | None, float | None]] = []
    for n, stop in enumerate(stops, start=1):
        if stop.is_empty():
            continue
        try:
            location = inputs.text(
                stop.location, "location", max_length=MAX_STOP_LOCATION, required=True, single_line=True
            )
        except InvalidInput as err:
            key = "admin.stop.location.needed" if err.message_key == "error.text_required" else None
            raise InvalidInput(
                f"stop {n}: location",
                field="location",
                key=key or "admin.stop.location.text",
                row=n,
                limit=MAX_STOP_LOCATION,
            ) from None
        assert location is not None
        opens = _stop_time(stop.opens_at, n, "opens_at")
        closes = _stop_time(stop.closes_at, n, "closes_at")
        latitude = _stop_coordinate(stop.latitude, n, "latitude", 90)
        longitude = _stop_coordinate(stop.longitude, n, "longitude", 180)
        checked.append((n, location, opens, closes, latitude, longitude))
    if not checked:  # no stops: the station's own hours count (judged where they are saved)
        return []
    periods = [(opens, closes) for _, _, opens, closes, _, _ in checked]
    for problem in stations.check_station_periods(station_type, periods):
        if problem.row is None:  # the station as a whole (hours that do not fit its kind)
            raise InvalidInput(problem.text_en, field=problem.field, key=problem.code, **problem.params)
        n = checked[problem.row][0]
        raise InvalidInput(
            f"stop {n}: {problem.text_en}",
            field=problem.field,
            key=f"admin.stop.{problem.field}.{problem.code}",
            row=n,
            **problem.params,
        )
    return [
        setup.StationLocation(
            dt.datetime.combine(election_date, opens, setup.TZ),
            dt.datetime.combine(election_date, closes, setup.TZ),
            location,
            latitude,
            longitude,
        )
        for _, location, opens, closes, latitude, longitude in checked
    ]


def _stop_key(stop: StopInput) -> tuple[object, ...]:
    """A stop as typed, for comparing with the stored rows (times to the minute, empty as None)."""

    def when(value: object) -> object:
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = dt.time.fromisoformat(value.strip())
        if isinstance(value, dt.datetime):
            value = value.time()
        return value.replace(second=0, microsecond=0) if isinstance(value, dt.time) else value

    def where(value: object) -> object:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        with contextlib.suppress(TypeError, ValueError):
            return float(value)  # type: ignore[arg-type]
        return value

    place = stop.location.strip() if isinstance(stop.location, str) else stop.location
    return (
        place or None,
        when(stop.opens_at),
        when(stop.closes_at),
        where(stop.latitude),
        where(stop.longitude),
    )


def _changed_stops(
    db: Session,
    election_id: str,
    municipality_code: str,
    number: int,
    station_type: str,
    stops: Sequence[StopInput] | None,
) -> list[setup.StationLocation] | None:
    """The location/time rows to store for the stops on the form, or None to leave the stored rows as
    they are: when the form has none (``stops`` None) or the same as stored. Unchanged stops are not
    judged again, so a station an official list stored with an hours warning (a bijzonder station with
    a break) can still have its name or address corrected; stops emptied on the form remove the stored
    rows (the form's hours then count); changed stops are checked and keep the day the stored rows are
    on (a station of another voting day stays on its day), else election day."""
    if stops is None:
        return None
    station = db.scalar(
        select(PollingStation).where(
            PollingStation.election_id == election_id,
            PollingStation.municipality_code == municipality_code,
            PollingStation.number == number,
        )
    )
    stored = setup.station_locations(db, station.id) if station is not None else []
    typed = [s for s in stops if not s.is_empty()]
    if not typed:
        return [] if stored else None
    as_stored = [
        _stop_key(StopInput(s.address, s.starts_at.time(), s.ends_at.time(), s.latitude, s.longitude))
        for s in stored
    ]
    if [_stop_key(s) for s in typed] == as_stored:
        return None
    if stored:
        day = stored[0].starts_at.date()
    else:
        election = db.get(Election, election_id)
        if election is None:
            raise NotFound("election", key="error.not_found")
        day = election.election_date
    return stop_locations(day, station_type, typed)


def save_station(
    db: Session,
    actor: Actor,
    election_id: str,
    municipality_code: str,
    number: int,
    *,
    name: str,
    address: str | None = None,
    postcode: str | None = None,
    locality: str | None = None,
    station_type: str = "regulier",
    opens_at: dt.time | None = None,
    closes_at: dt.time | None = None,
    stops: Sequence[StopInput] | None = None,
    new: bool = False,
) -> int:
    """Add (``new``: refused when the number is taken, so a typo never overwrites another station) or
    change a polling station by hand, with its hours (checked in ``setup.upsert_station``). Returns its
    id.

    ``stops`` (a mobiel station's stops, :func:`stop_locations`) replace its stored location/time rows in
    the same transaction when they differ from them (:func:`_changed_stops`: none typed removes them;
    ``None`` leaves them as they are); with stops the station opens at the first and closes at the
    last, as on import (``opens_at`` and ``closes_at`` are then not used). Both changes are audited
    with their before and after."""
    authz.require_role(db, actor, Role.ADMIN)
    authz.require_municipality(db, actor, municipality_code)
    if db.get(ElectionMunicipality, (election_id, municipality_code)) is None:
        raise NotFound("election_municipality", key="admin.municipality_not_in_election")
    name = _name(name, max_length=300)
    inputs.whole_number(number, "number", minimum=1)
    address = inputs.text(address, "address", max_length=300, single_line=True)
    postcode = (
        (inputs.text(postcode, "postcode", max_length=10, single_line=True) or "").upper().replace(" ", "")
    )
    if postcode and not _POSTCODE.fullmatch(postcode):
        raise InvalidInput("postcode", field="postcode", key="error.postcode", value=postcode)
    locality = inputs.text(locality, "locality", max_length=120, single_line=True)
    if station_type not in ("regulier", "bijzonder", "mobiel"):
        raise InvalidInput("type", field="station_type", key="admin.bad_station_type")
    if new and _number_taken(db, PollingStation, election_id, municipality_code, number):
        raise Conflict("station exists", key="error.station_exists", number=number)
    locations = _changed_stops(db, election_id, municipality_code, number, station_type, stops)
    hours: dict[str, Any] = {}
    if not any(not s.is_empty() for s in stops or ()):  # with stops the hours follow from them
        hours = {k: v for k, v in (("opens_at", opens_at), ("closes_at", closes_at)) if v}
    row = setup.upsert_station(
        db,
        actor,
        election_id,
        municipality_code,
        number,
        name=name,
        address=address,
        postcode=postcode or None,
        locality=locality,
        station_type=station_type,
        locations=locations,
        **hours,
    )
    db.commit()
    return row.id
