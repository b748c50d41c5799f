"""Use cases of the analyst workspace: who may analyse which municipalities, and the party
harmonisation table (list name → harmonised party) that analysts edit for their own municipality."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.analysis import parties
from app.domain.access import Actor, Role
from app.domain.errors import InvalidInput, NotFound
from app.domain.ids import municipality_code as normalise_municipality
from app.services import audit, authz
from app.storage.analysis_models import PartyHarmonisation
from app.storage.models import Municipality

ANALYSIS_ROLES = (Role.ANALYST, Role.ADMIN)
MAX_KEY = 120


@dataclass(frozen=True)
class Scope:
    """The municipalities an actor may analyse; ``None`` means all (a global admin)."""

    municipality_codes: tuple[str, ...] | None

    @property
    def key(self) -> str:
        return "*" if self.municipality_codes is None else ",".join(self.municipality_codes)


@dataclass(frozen=True)
class PartyMapping:
    municipality_code: str
    party_name: str
    party_name_normalised: str
    party_key: str
    updated_by: str | None
    updated_at: dt.datetime | None


def analysis_scope(db: Session, actor: Actor) -> Scope:
    authz.require_role(db, actor, *ANALYSIS_ROLES)
    if actor.is_global_admin:
        return Scope(None)
    assert actor.municipality_code is not None
    return Scope((actor.municipality_code,))


def _mapping(row: PartyHarmonisation) -> PartyMapping:
    return PartyMapping(
        row.municipality_code,
        row.party_name,
        row.party_name_normalised,
        row.party_key,
        row.updated_by,
        row.updated_at,
    )


def list_party_mappings(db: Session, actor: Actor, municipality_code: str) -> list[PartyMapping]:
    authz.require_role(db, actor, *ANALYSIS_ROLES)
    code = normalise_municipality(municipality_code)
    authz.require_municipality(db, actor, code)
    rows = db.scalars(
        select(PartyHarmonisation)
        .where(PartyHarmonisation.municipality_code == code)
        .order_by(PartyHarmonisation.party_key, PartyHarmonisation.party_name_normalised)
    ).all()
    return [_mapping(r) for r in rows]


def set_party_mapping(
    db: Session, actor: Actor, municipality_code: str, party_name: str, party_key: str
) -> PartyMapping:
    """Map ``party_name`` (any spelling: it is normalised) to ``party_key`` in one municipality."""
    authz.require_role(db, actor, *ANALYSIS_ROLES)
    code = normalise_municipality(municipality_code)
    authz.require_municipality(db, actor, code)
    if db.get(Municipality, code) is None:
        raise NotFound("municipality", key="error.unknown_municipality", code=code)
    name = (party_name or "").strip()
    norm = parties.normalise(name)
    if not norm:
        raise InvalidInput("party name", field="party_name", key="analysis.harmonise.empty_name")
    key = " ".join((party_key or "").split())
    if not key or len(key) > MAX_KEY:
        raise InvalidInput("party key", field="party_key", key="analysis.harmonise.bad_key", n=MAX_KEY)
    row = db.scalar(
        select(PartyHarmonisation).where(
            PartyHarmonisation.municipality_code == code, PartyHarmonisation.party_name_normalised == norm
        )
    )
    before = None
    if row is None:
        row = PartyHarmonisation(
            municipality_code=code,
            party_name=name[:300],
            party_name_normalised=norm[:300],
            party_key=key,
            updated_by=actor.name,
        )
        db.add(row)
    else:
        if row.party_key == key:
            return _mapping(row)
        before = {"party_key": row.party_key}
        row.party_key, row.party_name = key, name[:300]
        row.updated_by, row.updated_at = actor.name, dt.datetime.now(dt.UTC)
    db.flush()
    audit.record(
        db,
        actor,
        "party_mapping_set",
        entity="party_harmonisation",
        entity_id=row.id,
        municipality_code=code,
        before=before,
        after={"party_name": name, "party_name_normalised": norm, "party_key": key},
    )
    db.commit()
    return _mapping(row)


def remove_party_mapping(db: Session, actor: Actor, municipality_code: str, party_name: str) -> bool:
    """Back to the default for this name. Returns whether a row was removed."""
    authz.require_role(db, actor, *ANALYSIS_ROLES)
    code = normalise_municipality(municipality_code)
    authz.require_municipality(db, actor, code)
    norm = parties.normalise(party_name)
    row = db.scalar(
        select(PartyHarmonisation).where(
            PartyHarmonisation.municipality_code == code, PartyHarmonisation.party_name_normalised == norm
        )
    )
    if row is None:
        return False
    audit.record(
        db,
        actor,
        "party_mapping_removed",
        entity="party_harmonisation",
        entity_id=row.id,
        municipality_code=code,
        before={"party_name": row.party_name, "party_key": row.party_key},
    )
    db.delete(row)
    db.commit()
    return True
