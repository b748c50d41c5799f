"""Access letters: issue a fresh code and a one-time link for each station of a municipality at an
election, and render them as one PDF (``app/exports/letters.py``). The plain codes and tokens exist
only in the returned letters; the database keeps their hashes."""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.access import Actor, Role
from app.domain.errors import InvalidInput, NotFound
from app.exports.letters import Letter, letters_pdf
from app.services import audit, authz, codes, links
from app.storage.models import Election, Municipality, PollingStation

TZ = ZoneInfo("Europe/Amsterdam")


def check_base_url(base_url: str | None) -> str:
    """The address of Stemdag that the QR code on a letter links to: http or https, with a host, and
    without a query or fragment (the sign-in token is added to it). Returns it without surrounding
    spaces or a trailing slash; raises InvalidInput (field ``base_url``) otherwise."""
    url = (base_url or "").strip()
    try:
        parts = urlsplit(url)
        valid = parts.port is None or parts.port > 0  # .port raises ValueError on a bad port
    except ValueError:
        valid = False
    if (
        not valid
        or parts.scheme not in ("https", "http")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or any(c.isspace() for c in url)
    ):
        raise InvalidInput("base url", field="base_url", key="admin.bad_base_url")
    return url.rstrip("/")


def issue_letters(
    db: Session,
    actor: Actor,
    election_id: str,
    municipality_code: str,
    base_url: str,
    *,
    station_numbers: list[int] | None = None,
) -> list[Letter]:
    """New codes and links for the stations (all, or the numbers given); earlier codes and links of
    those stations stop working. One transaction."""
    authz.require_role(db, actor, Role.ADMIN)
    authz.require_municipality(db, actor, municipality_code)
    base_url = check_base_url(base_url)
    election = db.get(Election, election_id)
    municipality = db.get(Municipality, municipality_code)
    if election is None or municipality is None:
        raise NotFound("election", key="error.not_found")
    query = select(PollingStation).where(
        PollingStation.election_id == election_id, PollingStation.municipality_code == municipality_code
    )
    if station_numbers:
        query = query.where(PollingStation.number.in_(station_numbers))
    stations = db.scalars(query.order_by(PollingStation.number)).all()
    if station_numbers and len(stations) != len(set(station_numbers)):
        found = {s.number for s in stations}
        missing = ", ".join(str(n) for n in sorted(set(station_numbers) - found))
        raise InvalidInput("unknown station", field="station", key="admin.unknown_stations", numbers=missing)
    valid_from, valid_until = codes.access_window(election)
    out = []
    for station in stations:
        code = codes.issue_code(db, actor, station.id, commit=False)
        token = links.issue_link(db, actor, station.id, commit=False)
        out.append(
            Letter(
                municipality_name=municipality.name,
                election_name=election.name,
                election_date=election.election_date,
                station_number=station.number,
                station_name=station.name,
                address=station.address,
                postcode=station.postcode,
                locality=station.locality,
                code=code,
                url=links.sign_in_url(base_url, token),
                valid_from=valid_from.astimezone(TZ),
                valid_until=valid_until.astimezone(TZ),
            )
        )
    audit.record(
        db,
        actor,
        "access_letters_issued",
        entity="election_municipality",
        entity_id=f"{election_id}/{municipality_code}",
        municipality_code=municipality_code,
        election_id=election_id,
        after={"stations": [s.number for s in stations]},
    )
    db.commit()
    return out


def letters_as_pdf(
    db: Session,
    actor: Actor,
    election_id: str,
    municipality_code: str,
    base_url: str,
    *,
    station_numbers: list[int] | None = None,
    lang: str = "nl",
) -> bytes:
    """Issue letters and render them as one PDF (one page per station)."""
    letters = issue_letters(
        db, actor, election_id, municipality_code, base_url, station_numbers=station_numbers
    )
    return letters_pdf(letters, lang)
