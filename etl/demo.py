"""The demo: three real municipalities with their GR2022 polling stations (locations, lists) set up as
a demo election held today, with deterministic demo-only credentials. Idempotent: loading twice
changes nothing. Data and provenance: data/README.md."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import ROOT
from app.domain.access import CODE_ALPHABET, CODE_LENGTH, SYSTEM, format_access_code
from app.services import codes, security, setup, users
from app.storage.models import Candidate, PoliticalGroup, StaffUser, StationAccessCode

TZ = ZoneInfo("Europe/Amsterdam")
DATA = ROOT / "data" / "gr2022"
DEMO_ELECTION_ID = "GR2026"
DEMO_PASSWORD = "stemdag-demo"  # demo only: every demo account has it (README)
GLOBAL_ADMIN = "admin"


@dataclass(frozen=True)
class DemoMunicipality:
    code: str
    name: str
    slug: str
    council_size: int  # seats in the council (Gemeentewet art. 8, by population)
    counting_method: str


MUNICIPALITIES = (
    DemoMunicipality("GM0392", "Haarlem", "haarlem", 39, "DSO"),
    DemoMunicipality("GM0268", "Nijmegen", "nijmegen", 39, "CSO"),
    DemoMunicipality("GM0668", "West Maas en Waal", "wmw", 17, "DSO"),
)
ROLES = ("office", "analyst", "admin")
# Chair codes listed in the README (any station has a deterministic demo code; these are documented).
LISTED_STATIONS = (("GM0392", 1), ("GM0392", 2), ("GM0268", 1), ("GM0668", 1))


def demo_code(municipality_code: str, number: int) -> str:
    """A deterministic, demo-only access code for a station (derived from a public key: never use in
    a real election, where codes are random)."""
    digest = hmac.new(b"stemdag-demo-only", f"{municipality_code}/{number}".encode(), hashlib.sha256).digest()
    raw = "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:CODE_LENGTH])
    return format_access_code(raw)


def _electorates() -> dict[str, int]:
    out = {}
    with (ROOT / "data" / "history" / "gemeente_turnout.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["election"] == "GR2022" and row["kiesgerechtigden"]:
                out[row["gemeente_code"]] = int(row["kiesgerechtigden"])
    return out


def _lists() -> dict[str, dict[int, str]]:
    out: dict[str, dict[int, str]] = {}
    with (DATA / "station_list_votes_gr2022_demo.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["gemeente_code"], {})[int(row["list_nr"])] = row["party"]
    return out


def _candidates() -> dict[str, list]:
    """The candidates of each demo municipality's lists, from its GR2022 osv4-3 file (the demo GR2026
    has the same lists and candidates as GR2022)."""
    from etl.parsers.osv import parse_osv

    out: dict[str, list] = {}
    for path in sorted(DATA.glob("osv4-3_telling_gr2022_*.csv")):
        parsed = parse_osv(path)
        if parsed.municipality_code:
            out[parsed.municipality_code] = list(parsed.candidates)
    return out


def _load_candidates(db: Session, groups: dict[int, PoliticalGroup], candidates: list) -> None:
    """Set up the candidates of ``groups`` (list number → list) through the audited, idempotent
    ``upsert_candidate``; a candidate already stored as in the file is not touched."""
    from app.services.imports import upsert_candidate

    stored = {
        (c.political_group_id, c.number): (c.last_name, c.prefix, c.initials)
        for c in db.scalars(
            select(Candidate).where(Candidate.political_group_id.in_([g.id for g in groups.values()]))
        )
    }
    for cand in candidates:
        group = groups.get(cand.list_number)
        values = (cand.last_name or cand.name, cand.prefix, cand.initials)
        if group is not None and stored.get((group.id, cand.number)) != values:
            upsert_candidate(
                db, SYSTEM, group, cand.number, last_name=values[0], prefix=values[1], initials=values[2]
            )


def _stations() -> list[dict[str, str]]:
    with (DATA / "stations_gr2022_demo.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _ensure_user(db: Session, username: str, role: str, municipality_code: str | None, display: str) -> None:
    user = db.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        users.add_user(
            db,
            SYSTEM,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            municipality_code=municipality_code,
            display_name=display,
        )
    elif not security.verify_password(user.password_hash, DEMO_PASSWORD):
        user.password_hash = security.hash_password(DEMO_PASSWORD)


def load_demo(db: Session, *, today: dt.date | None = None, progress=None) -> dict[str, object]:
    """Load (or refresh) the demo. The demo election is held ``today`` so the demo codes work now."""
    today = today or dt.datetime.now(TZ).date()
    access_from = dt.datetime.combine(today, dt.time(0, 0), tzinfo=TZ)
    access_until = access_from + dt.timedelta(days=2)
    election = setup.upsert_election(
        db,
        SYSTEM,
        setup.ElectionSpec(
            id=DEMO_ELECTION_ID,
            kind="GR",
            name="Gemeenteraadsverkiezingen (demo)",
            election_date=today,
            access_from=access_from,
            access_until=access_until,
        ),
    )
    electorates, lists, stations, candidates = _electorates(), _lists(), _stations(), _candidates()
    _ensure_user(db, GLOBAL_ADMIN, "admin", None, "Beheerder (alle gemeenten)")
    codes_out: dict[tuple[str, int], str] = {}
    for m in MUNICIPALITIES:
        setup.ensure_municipality(db, SYSTEM, m.code, m.name)
        setup.ensure_election_municipality(
            db,
            SYSTEM,
            election.id,
            m.code,
            electorate=electorates.get(m.code),
            counting_method=m.counting_method,
            council_size=m.council_size,
        )
        groups = {
            number: setup.upsert_political_group(db, SYSTEM, election.id, m.code, number, name)
            for number, name in sorted(lists.get(m.code, {}).items())
        }
        _load_candidates(db, groups, candidates.get(m.code, []))
        for role in ROLES:
            _ensure_user(db, f"{role}.{m.slug}", role, m.code, f"{role.capitalize()} {m.name}")
        rows = [r for r in stations if r["gemeente_code"] == m.code]
        for row in rows:
            number = int(row["station_id"])
            station = setup.upsert_station(
                db,
                SYSTEM,
                election.id,
                m.code,
                number,
                name=row["station_name"][:300],
                postcode=row["postcode"] or None,
                locality=m.name,
                address=row["loc_name"] or None,
                latitude=float(row["lat"]) if row["lat"] else None,
                longitude=float(row["lon"]) if row["lon"] else None,
                wheelchair_accessible={"ja": True, "nee": False}.get(row["accessible"]),
            )
            code = demo_code(m.code, number)
            active = db.scalar(
                select(StationAccessCode).where(
                    StationAccessCode.polling_station_id == station.id, StationAccessCode.revoked_at.is_(None)
                )
            )
            if (
                active is None
                or active.valid_from != access_from
                or active.valid_until != access_until
                or not security.verify_code(active.code_hash, code)
            ):
                codes.issue_code(db, SYSTEM, station.id, code=code, commit=False)
            codes_out[(m.code, number)] = code
            if progress:
                progress()
        db.commit()
    db.commit()
    from etl.load import load_gr2022_history  # the past election GR2022 to compare with (issue 5)

    load_gr2022_history(db, SYSTEM)
    return {
        "election": election.id,
        "date": today.isoformat(),
        "stations": len(codes_out),
        "codes": {k: v for k, v in codes_out.items() if k in LISTED_STATIONS},
    }


def credentials_text(codes_listed: dict[tuple[str, int], str]) -> str:
    names = {m.code: m.name for m in MUNICIPALITIES}
    lines = [
        f"Demo accounts (password for all: {DEMO_PASSWORD}):",
        f"  {GLOBAL_ADMIN:<18} administrator, all municipalities",
    ]
    for m in MUNICIPALITIES:
        lines.append(f"  office.{m.slug:<11} analyst.{m.slug:<11} admin.{m.slug:<11} ({m.name})")
    lines.append("Demo chair codes (stembureau access codes):")
    for (code, number), chair in sorted(codes_listed.items()):
        lines.append(f"  {names[code]} stembureau {number}: {chair}")
    return "\n".join(lines)


def station_count() -> int:
    return sum(1 for r in _stations() if r["gemeente_code"] in {m.code for m in MUNICIPALITIES})
