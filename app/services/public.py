"""The public results page (opt-in per municipality, no sign-in): turnout at the reporting moments and
the preliminary result per list, aggregated over the whole municipality. Nothing per station, no
incidents, no names of people: the view types below have no field that could carry them.

The session is bound to the one municipality shown (row-level security), so even a faulty query here
cannot read another municipality's rows.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.errors import NotFound
from app.storage import rls
from app.storage.models import Election, ElectionMunicipality, Municipality, PoliticalGroup, PollingStation


@dataclass(frozen=True)
class PublicTurnout:
    moment: str  # "10:00"
    admitted: int  # voters admitted so far in the whole municipality
    permille: int | None  # admitted ÷ electorate, in tenths of a percent (integer arithmetic)


@dataclass(frozen=True)
class PublicListResult:
    number: int
    name: str
    votes: int


@dataclass(frozen=True)
class PublicView:
    municipality_code: str
    municipality_name: str
    election_id: str
    election_name: str
    election_date: dt.date
    electorate: int | None
    turnout: list[PublicTurnout]
    results: list[PublicListResult]
    stations_total: int
    stations_counted: int


def public_municipalities(db: Session) -> list[tuple[str, str]]:
    """Municipalities that publish the page: (code, name)."""
    rows = db.execute(
        select(Municipality.code, Municipality.name)
        .where(Municipality.public_page_enabled.is_(True))
        .order_by(Municipality.name)
    )
    return [(c, n) for c, n in rows]


def _chair_models():
    """The chair-report tables (issue 3) when they exist in this installation, else None."""
    try:
        return importlib.import_module("app.storage.chair_models")
    except ImportError:
        return None


def _permille(admitted: int, electorate: int | None) -> int | None:
    if not electorate:
        return None
    return (admitted * 1000 + electorate // 2) // electorate


def _turnout(
    db: Session, election_id: str, code: str, moments: list[str], electorate: int | None
) -> list[PublicTurnout]:
    """Per reporting moment: the sum over stations of each station's latest report for that moment.
    Empty until the chair-report tables (issue 3) are in this installation."""
    m = _chair_models()
    if m is None or not hasattr(m, "TurnoutReport"):
        return []
    return []  # filled in when the issue-3 tables land (see the report of issue 8)


def _results(db: Session, election_id: str, code: str) -> tuple[list[PublicListResult], int]:
    """Votes per list summed over the stations whose latest count is submitted or accepted, and how
    many stations that is. Empty until the chair-report tables (issue 3) are in this installation."""
    m = _chair_models()
    if m is None or not hasattr(m, "CountVersion"):
        return [], 0
    return [], 0  # filled in when the issue-3 tables land (see the report of issue 8)


def public_results(db: Session, municipality_code: str, election_id: str | None = None) -> PublicView:
    """The public figures of one municipality (the most recent election unless one is named).
    Raises NotFound when the municipality does not publish (no difference from not existing)."""
    muni = db.get(Municipality, municipality_code) if isinstance(municipality_code, str) else None
    if muni is None or not muni.public_page_enabled:
        raise NotFound("not public", key="public.not_published")
    rls.scope_session(db, muni.code)
    query = (
        select(Election, ElectionMunicipality)
        .join(ElectionMunicipality, ElectionMunicipality.election_id == Election.id)
        .where(ElectionMunicipality.municipality_code == muni.code, Election.is_practice.is_(False))
        .order_by(Election.election_date.desc(), Election.id)
    )
    if election_id:
        query = query.where(Election.id == election_id)
    found = db.execute(query).first()
    if found is None:
        raise NotFound("no election", key="public.no_election")
    election, em = found
    stations_total = db.scalar(
        select(func.count())
        .select_from(PollingStation)
        .where(PollingStation.election_id == election.id, PollingStation.municipality_code == muni.code)
    )
    lists = dict(
        db.execute(
            select(PoliticalGroup.number, PoliticalGroup.name).where(
                PoliticalGroup.election_id == election.id, PoliticalGroup.municipality_code == muni.code
            )
        ).all()
    )
    results, counted = _results(db, election.id, muni.code)
    if not results:
        results = [PublicListResult(n, name, 0) for n, name in sorted(lists.items())]
    turnout = _turnout(db, election.id, muni.code, list(election.turnout_moments or []), em.electorate)
    return PublicView(
        muni.code,
        muni.name,
        election.id,
        election.name,
        election.election_date,
        em.electorate,
        turnout,
        results,
        int(stations_total or 0),
        counted,
    )
