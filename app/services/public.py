"""The public results page (opt-in per municipality, no sign-in): turnout at the reporting moments and
the preliminary result per list, aggregated over the whole municipality. Nothing per station, no
incidents, no names of people: the view types below have no field that could carry them.

The session is bound to the one municipality shown (row-level security), so even a faulty query here
cannot read another municipality's rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from app.domain.errors import NotFound
from app.storage import rls
from app.storage.chair_models import CountListVotes, CountVersion, TurnoutReport
from app.storage.models import Election, ElectionMunicipality, Municipality, PoliticalGroup, PollingStation

#: A station counts towards the preliminary result when its latest count version has one of these.
COUNTED_STATUSES = ("submitted", "accepted")


@dataclass(frozen=True)
class PublicTurnout:
    moment: str  # "10:00"
    admitted: int  # voters admitted so far in the whole municipality
    permille: int | None  # admitted ÷ electorate, in tenths of a percent (integer arithmetic)
    stations_reported: int  # how many stations reported for this moment (a count, no station named)


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
    stations_counted: int  # latest count version submitted or accepted
    stations_accepted: int  # of those, accepted by the office


def public_municipalities(db: Session) -> list[tuple[str, str]]:
    """Municipalities that publish the page: (code, name)."""
    rows = db.execute(
        select(Municipality.code, Municipality.name)
        .where(Municipality.public_page_enabled.is_(True))
        .order_by(Municipality.name)
    )
    return [(c, n) for c, n in rows]


def _permille(admitted: int, electorate: int | None) -> int | None:
    """admitted ÷ electorate in tenths of a percent, rounded half up, integers only."""
    if not electorate:
        return None
    return (admitted * 1000 + electorate // 2) // electorate


def _moment_key(moment: str) -> tuple[int, int]:
    hours, _, minutes = moment.partition(":")
    return int(hours), int(minutes or 0)


def _turnout(
    db: Session, election_id: str, code: str, moments: list[str], electorate: int | None
) -> list[PublicTurnout]:
    """Per reporting moment that has reports: the sum over stations of each station's current report
    for that moment (the newest report not superseded by a correction), ÷ the municipal electorate.
    Moments nobody reported yet are left out rather than shown as 0 %."""
    superseding = aliased(TurnoutReport)
    latest = (
        select(
            TurnoutReport.moment,
            TurnoutReport.total_admitted_voters_count,
            func.row_number()
            .over(
                partition_by=(TurnoutReport.polling_station_id, TurnoutReport.moment),
                order_by=TurnoutReport.id.desc(),
            )
            .label("rn"),
        )
        .where(
            TurnoutReport.election_id == election_id,
            TurnoutReport.municipality_code == code,
            ~exists().where(superseding.supersedes_id == TurnoutReport.id),
        )
        .subquery()
    )
    per_moment = {
        moment: (int(n), int(total or 0))
        for moment, n, total in db.execute(
            select(latest.c.moment, func.count(), func.sum(latest.c.total_admitted_voters_count))
            .where(latest.c.rn == 1)
            .group_by(latest.c.moment)
        )
    }
    order = {m: i for i, m in enumerate(moments)}
    shown = sorted(per_moment, key=lambda m: (order.get(m, len(order)), _moment_key(m)))
    return [
        PublicTurnout(m, per_moment[m][1], _permille(per_moment[m][1], electorate), per_moment[m][0])
        for m in shown
    ]


def _results(
    db: Session, election_id: str, code: str, lists: dict[int, str]
) -> tuple[list[PublicListResult], int, int]:
    """Votes per list summed over each station's latest count version when that version is submitted
    (as the chair reported it) or accepted (checked by the office); a station whose latest version was
    returned for a recount is not counted. Returns (results, stations counted, of which accepted)."""
    latest = (
        select(
            CountVersion.id,
            CountVersion.status,
            func.row_number()
            .over(partition_by=CountVersion.polling_station_id, order_by=CountVersion.version.desc())
            .label("rn"),
        )
        .where(CountVersion.election_id == election_id, CountVersion.municipality_code == code)
        .subquery()
    )
    counted = select(latest.c.id).where(latest.c.rn == 1, latest.c.status.in_(COUNTED_STATUSES))
    by_status: dict[str, int] = dict(
        db.execute(
            select(latest.c.status, func.count())
            .where(latest.c.rn == 1, latest.c.status.in_(COUNTED_STATUSES))
            .group_by(latest.c.status)
        ).all()
    )
    votes = dict(
        db.execute(
            select(CountListVotes.political_group_number, func.sum(CountListVotes.votes))
            .where(
                CountListVotes.municipality_code == code,
                CountListVotes.count_version_id.in_(counted.scalar_subquery()),
            )
            .group_by(CountListVotes.political_group_number)
        ).all()
    )
    numbers = sorted(set(lists) | set(votes))
    results = [PublicListResult(n, lists.get(n, f"Lijst {n}"), int(votes.get(n) or 0)) for n in numbers]
    return results, sum(by_status.values()), int(by_status.get("accepted", 0))


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
    results, counted, accepted = _results(db, election.id, muni.code, lists)
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
        accepted,
    )
