"""Store what the parsers produce (issue 5, phase 2). One transaction per file.

``store`` writes one ``ParseResult``: the municipality, election, lists, candidates and stations through
the audited, idempotent set-up services (only what is missing: an import never renames what an
administrator set up, except the list names of an EML 230b, which is where list names come from), then an
``import_file`` row (with its version) and the official counts in bulk (COPY; INSERT … unnest when
row-level security is active, where PostgreSQL refuses COPY FROM).

* The same bytes again (same sha256, election, municipality, format): nothing changes, ``status``
  ``unchanged``.
* Another file of the same kind for the same election and municipality: a new version; the previous
  one is kept and marked ``superseded_by`` (audited). Results never mix: the ``*_current`` views show
  only the newest version.
* A structural problem (``ImportProblem``) refuses the file; the caller rolls back, nothing is stored.

``import_path`` parses, stores and commits one file (or rolls back). ``load_gr2022_history`` imports
the GR2022 osv4-3 files shipped in ``data/gr2022`` for the demo municipalities.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.config import ROOT
from app.domain.access import Actor
from app.domain.errors import InvalidInput
from app.domain.ids import election_id as normalise_election_id
from app.domain.ids import municipality_code as normalise_municipality
from app.domain.stations import MOBIEL, STATION_TYPES
from app.services import audit, authz, setup
from app.storage.import_models import ImportFile
from app.storage.models import (
    Candidate,
    Election,
    ElectionMunicipality,
    Municipality,
    PoliticalGroup,
)
from etl.model import (
    FORMAT_EML_110A,
    FORMAT_EML_110B,
    FORMAT_EML_230B,
    FORMAT_EML_510,
    FORMAT_OSV43,
    FORMAT_STEMLOKALEN_2023,
    FORMAT_WIMS_CSV,
    FORMAT_WIMS_XLSX,
    LEVEL_MUNICIPALITY,
    LEVEL_STATION,
    ParsedCount,
    ParsedStation,
    ParseResult,
    ParseWarning,
)
from etl.parsers.detect import parse_file
from etl.parsers.errors import ImportProblem

KIND_BY_FORMAT = {
    FORMAT_EML_510: "counts",
    FORMAT_OSV43: "counts",
    FORMAT_EML_230B: "candidates",
    FORMAT_EML_110A: "definition",
    FORMAT_EML_110B: "stations",
    FORMAT_WIMS_CSV: "stations",
    FORMAT_WIMS_XLSX: "stations",
}
ELECTION_KINDS = ("GR", "TK", "PS", "WS", "EP", "EK")

COUNT_COLUMNS = (
    "id",
    "import_file_id",
    "election_id",
    "municipality_code",
    "level",
    "unit_id",
    "station_number",
    "station_name",
    "postcode",
    "electorate",
    "poll_card_count",
    "proxy_certificate_count",
    "voter_card_count",
    "total_admitted_voters_count",
    "valid_votes_count",
    "blank_votes_count",
    "invalid_votes_count",
    "total_votes_cast_count",
    "more_ballots_count",
    "fewer_ballots_count",
    "explanations",
)
_BOX_FIELDS = COUNT_COLUMNS[9:20]
UNIT_COLUMNS = (
    "official_count_id",
    "import_file_id",
    "election_id",
    "municipality_code",
    "level",
    "station_number",
)
LIST_COLUMNS = (*UNIT_COLUMNS, "list_number", "list_name", "votes")
CANDIDATE_COLUMNS = (*UNIT_COLUMNS, "list_number", "candidate_number", "candidate_name", "votes")
_SQL_TYPES = {
    "id": "bigint",
    "official_count_id": "bigint",
    "import_file_id": "int",
    "election_id": "text",
    "municipality_code": "text",
    "level": "text",
    "unit_id": "text",
    "station_number": "int",
    "station_name": "text",
    "postcode": "text",
    "list_number": "int",
    "list_name": "text",
    "candidate_number": "int",
    "candidate_name": "text",
    "votes": "int",
    "explanations": "jsonb",
    **{f: "int" for f in COUNT_COLUMNS[9:20]},
}


@dataclass(frozen=True)
class ImportSummary:
    """What one file brought. ``status``: ``imported`` (version 1), ``new_version`` (it superseded
    ``superseded_id``) or ``unchanged`` (these bytes were imported before: nothing written)."""

    file: str
    format: str
    kind: str
    election_id: str
    municipality_code: str | None
    status: str
    version: int
    import_file_id: int
    superseded_id: int | None
    stations: int
    lists: int
    candidates: int
    valid_votes: int
    warnings: tuple[ParseWarning, ...] = ()

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"


# ----------------------------------------------------------------------------------------- helpers


def _problem(result: ParseResult, place: str, message: str) -> ImportProblem:
    return ImportProblem(result.source, place, message)


def _election_id(result: ParseResult, wanted: str | None) -> str:
    want = None
    if wanted:
        try:
            want = normalise_election_id(wanted)
        except InvalidInput:
            raise _problem(result, "", f"not an election id: {wanted!r}") from None
    found = result.election_id
    if want and found and want != found:
        raise _problem(result, "election", f"this file is for election {found}, not {want}")
    eid = found or want
    if not eid:
        raise _problem(
            result, "", "the file does not say which election it belongs to: give it (--election GR2022)"
        )
    return eid


def _counts_for(
    result: ParseResult, wanted: str | None
) -> tuple[str | None, list[ParsedCount], ParsedCount | None]:
    """The municipality of the file, its reporting units and its total (a file spanning several
    municipalities is narrowed to the one asked for)."""
    muni = result.municipality_code or (result.election.domain_code if result.election else None)
    want = None
    if wanted:
        try:
            want = normalise_municipality(wanted)
        except InvalidInput:
            raise _problem(result, "", f"not a municipality code: {wanted!r}") from None
    counts = list(result.counts)
    total = result.total
    if muni is None and want:
        present = {c.municipality_code for c in counts} | {s.municipality_code for s in result.stations}
        if present - {want, None}:
            counts = [c for c in counts if c.municipality_code == want]
            total = None
        muni = want
    elif muni and want and muni != want:
        name = f" ({result.municipality_name})" if result.municipality_name else ""
        raise _problem(result, "municipality", f"this file is for {muni}{name}, not {want}")
    if total is not None and total.level == LEVEL_MUNICIPALITY and total.municipality_code is None:
        total = None if muni is None else total
    return muni, counts, total


def _ensure_municipality(db: Session, actor: Actor, code: str, name: str | None) -> None:
    if db.get(Municipality, code) is None:
        setup.ensure_municipality(db, actor, code, (name or code)[:120])


def _ensure_election(db: Session, actor: Actor, result: ParseResult, eid: str) -> Election:
    row = db.get(Election, eid)
    if row is not None:
        return row
    parsed = result.election
    if parsed is None or parsed.date is None:
        raise _problem(
            result,
            "election",
            f"election {eid} is not set up and the file does not give its date: import its definition "
            "(EML 110a) or a count file with a Datum first, or set it up on the admin pages",
        )
    kind = (parsed.kind or eid[:2]).upper()
    if kind not in ELECTION_KINDS:
        raise _problem(result, "election", f"election kind {kind!r} is not supported")
    if not actor.is_global_admin:
        raise InvalidInput(
            f"election {eid} is not set up", field="election_id", key="imports.election_missing", election=eid
        )
    # A municipal election is shared by all municipalities: not named after the first file's one.
    name = f"Gemeenteraadsverkiezingen {parsed.date.year}" if kind == "GR" else (parsed.name or eid)
    return setup.upsert_election(
        db,
        actor,
        setup.ElectionSpec(
            id=eid,
            kind=kind,
            name=name[:200],
            election_date=parsed.date,
            council_size=parsed.number_of_seats if kind != "GR" else None,
        ),
    )


def _ensure_election_municipality(
    db: Session,
    actor: Actor,
    eid: str,
    muni: str,
    *,
    electorate: int | None = None,
    counting_method: str = "DSO",
    council_size: int | None = None,
) -> None:
    if db.get(ElectionMunicipality, (eid, muni)) is None:
        setup.ensure_election_municipality(
            db,
            actor,
            eid,
            muni,
            electorate=electorate,
            counting_method=counting_method,
            council_size=council_size,
        )


def _groups(db: Session, eid: str, muni: str) -> dict[int, PoliticalGroup]:
    rows = db.scalars(
        select(PoliticalGroup).where(
            PoliticalGroup.election_id == eid, PoliticalGroup.municipality_code == muni
        )
    )
    return {g.number: g for g in rows}


def _ensure_lists(
    db: Session, actor: Actor, result: ParseResult, eid: str, muni: str, *, rename: bool
) -> dict[int, PoliticalGroup]:
    groups = _groups(db, eid, muni)
    for lst in result.lists:
        name = (lst.name or f"Lijst {lst.number}")[:300]
        current = groups.get(lst.number)
        if lst.number <= 0 or (current is not None and (not rename or current.name == name)):
            continue
        groups[lst.number] = setup.upsert_political_group(db, actor, eid, muni, lst.number, name)
    return groups


def _station_groups(stations: Sequence[ParsedStation]) -> dict[int | None, list[ParsedStation]]:
    """The rows of each station number, in file order (a mobiel station has one per location/time)."""
    groups: dict[int | None, list[ParsedStation]] = {}
    for station in stations:
        groups.setdefault(station.number, []).append(station)
    return groups


def _location_address(station: ParsedStation) -> str | None:
    street = " ".join(
        p
        for p in (station.street, station.house_number, station.house_letter, station.house_number_suffix)
        if p
    )
    parts = [street or station.extra_address, station.postcode, station.locality]
    text = ", ".join(p for p in parts if p)
    if street and station.extra_address:
        text = f"{text} ({station.extra_address})"
    return text[:300] or None


def _station_spec(rows: Sequence[ParsedStation]) -> tuple[dict[str, Any], list[setup.StationLocation]]:
    """The station's values and its location/time rows. One row: that row, no locations. Several rows,
    or a mobiel station: one location per row with its times, and the station's values from its first
    row of the day (it opens there; ``setup.upsert_station`` takes the opening time from the earliest
    row and the closing time from the latest)."""
    station_type = next((r.station_type for r in rows if r.station_type in STATION_TYPES), None)
    located = [
        (
            setup.StationLocation(
                starts_at=r.opens_at,
                ends_at=r.closes_at,
                address=_location_address(r),
                latitude=r.latitude,
                longitude=r.longitude,
            ),
            r,
        )
        for r in rows
        if isinstance(r.opens_at, dt.datetime) and isinstance(r.closes_at, dt.datetime)
    ]
    if (len(rows) == 1 and station_type != MOBIEL) or len(located) < len(rows):
        return _station_values(rows[0]), []  # (the parser refuses a row without times among several)
    located.sort(key=lambda pair: pair[0].local())
    values = _station_values(located[0][1])
    values.pop("opens_at", None)
    values.pop("closes_at", None)
    return values, [loc for loc, _ in located]


def _station_values(station: ParsedStation) -> dict[str, Any]:
    address = " ".join(
        p
        for p in (
            station.street,
            station.house_number,
            station.house_letter,
            station.house_number_suffix,
        )
        if p
    )
    values: dict[str, Any] = {
        "name": (station.name or f"Stembureau {station.number}")[:300],
        "postcode": station.postcode,
        "locality": station.locality,
        "address": (address or station.extra_address or None),
        "latitude": station.latitude,
        "longitude": station.longitude,
        "wheelchair_accessible": station.accessible,
    }
    if station.station_type in ("regulier", "bijzonder", "mobiel"):
        values["station_type"] = station.station_type
    if isinstance(station.opens_at, dt.datetime):
        values["opens_at"] = station.opens_at.time()
    if isinstance(station.closes_at, dt.datetime):
        values["closes_at"] = station.closes_at.time()
    return {k: v for k, v in values.items() if v is not None}


def _error_text(err: InvalidInput) -> str:
    from app.ui.texts import error_text

    return error_text(err, "en")


def _warning_json(w: ParseWarning) -> dict[str, Any]:
    return {"code": w.code, "message": w.message, "place": w.place}


# ----------------------------------------------------------------------------------------- bulk write


def _copy_allowed(db: Session) -> bool:
    """PostgreSQL refuses COPY FROM into a table under row-level security (a scoped session)."""
    return not db.execute(text("SELECT row_security_active('official_candidate_votes')")).scalar_one()


def _bulk(
    db: Session, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]], *, copy: bool
) -> int:
    raw = db.connection().connection.driver_connection
    assert raw is not None
    n = 0
    with raw.cursor() as cur:
        if copy:
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)
                    n += 1
            return n
        # INSERT … SELECT FROM unnest(arrays), in chunks: works under row-level security.
        casts = ", ".join(f"%s::{_SQL_TYPES[c]}[]" for c in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({casts})"
        chunk: list[tuple[Any, ...]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= 50_000:
                cur.execute(sql, [list(col) for col in zip(*chunk, strict=True)])
                n += len(chunk)
                chunk = []
        if chunk:
            cur.execute(sql, [list(col) for col in zip(*chunk, strict=True)])
            n += len(chunk)
    return n


def _write_counts(
    db: Session,
    file_id: int,
    eid: str,
    counts: Sequence[ParsedCount],
    list_names: dict[int, str | None],
    candidate_names: dict[tuple[int, int], str | None],
) -> None:
    if not counts:
        return
    from psycopg.types.json import Jsonb

    ids = list(
        db.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence('official_count', 'id')) FROM generate_series(1, :n)"
            ),
            {"n": len(counts)},
        ).scalars()
    )
    copy = _copy_allowed(db)
    count_rows = []
    for cid, c in zip(ids, counts, strict=True):
        count_rows.append(
            (
                cid,
                file_id,
                eid,
                c.municipality_code,
                c.level,
                c.unit_id[:60],
                c.station_number,
                c.name[:300] if c.name else None,
                c.postcode,
                *(getattr(c, f) for f in _BOX_FIELDS),
                Jsonb(c.explanations) if c.explanations else None,
            )
        )
    if not copy:  # unnest of jsonb[] needs text
        import json

        count_rows = [(*r[:-1], json.dumps(r[-1].obj) if r[-1] is not None else None) for r in count_rows]
    _bulk(db, "official_count", COUNT_COLUMNS, count_rows, copy=copy)

    def list_rows():
        for cid, c in zip(ids, counts, strict=True):
            unit = (cid, file_id, eid, c.municipality_code, c.level, c.station_number)
            for number, votes in c.list_votes.items():
                yield (*unit, number, list_names.get(number), votes)

    def candidate_rows():
        for cid, c in zip(ids, counts, strict=True):
            unit = (cid, file_id, eid, c.municipality_code, c.level, c.station_number)
            for key, votes in c.candidate_votes.items():
                yield (*unit, key[0], key[1], candidate_names.get(key), votes)

    _bulk(db, "official_list_votes", LIST_COLUMNS, list_rows(), copy=copy)
    _bulk(db, "official_candidate_votes", CANDIDATE_COLUMNS, candidate_rows(), copy=copy)


# ----------------------------------------------------------------------------------------- store


def store(
    db: Session,
    actor: Actor,
    result: ParseResult,
    *,
    file_name: str | None = None,
    election_id: str | None = None,
    municipality_code: str | None = None,
) -> ImportSummary:
    """Write one parsed file in the caller's transaction (the caller commits or rolls back)."""
    kind = KIND_BY_FORMAT.get(result.format)
    if kind is None:
        if result.format == FORMAT_STEMLOKALEN_2023:
            raise _problem(
                result,
                "",
                "a national list of voting locations has no station numbers: it is used by the analysis "
                "as it is, not imported (import the municipality's own WIMS list instead)",
            )
        raise _problem(result, "", f"files of format {result.format} cannot be imported")
    eid = _election_id(result, election_id)
    muni, counts, total = _counts_for(result, municipality_code)
    name = file_name or Path(result.source).name

    existing = db.scalar(
        select(ImportFile).where(
            ImportFile.election_id == eid,
            ImportFile.municipality_code.is_not_distinct_from(muni),
            ImportFile.format == result.format,
            ImportFile.sha256 == result.sha256,
        )
    )
    stations = (
        sum(1 for c in counts if c.level == LEVEL_STATION)
        if kind == "counts"
        else len({s.number for s in result.stations})
    )
    valid_votes = sum(c.valid_votes_count or 0 for c in counts) if counts else result.valid_votes
    if existing is not None:
        if muni is not None and not actor.is_global_admin and actor.municipality_code != muni:
            authz.require_municipality(db, actor, muni)
        summary = existing.summary or {}
        return ImportSummary(
            file=name,
            format=result.format,
            kind=kind,
            election_id=eid,
            municipality_code=muni,
            status="unchanged",
            version=existing.version,
            import_file_id=existing.id,
            superseded_id=None,
            stations=summary.get("stations", stations),
            lists=summary.get("lists", len(result.lists)),
            candidates=summary.get("candidates", len(result.candidates)),
            valid_votes=summary.get("valid_votes", valid_votes),
            warnings=result.warnings,
        )

    # Set-up rows through the audited services (only what is missing).
    if muni is not None:
        _ensure_municipality(
            db,
            actor,
            muni,
            result.municipality_name or (result.election.domain_name if result.election else None),
        )
    else:
        for c in counts:
            if c.municipality_code:
                _ensure_municipality(db, actor, c.municipality_code, c.name)
    _ensure_election(db, actor, result, eid)
    municipalities = [muni] if muni else sorted({c.municipality_code for c in counts if c.municipality_code})
    has_candidates = any(c.candidate_votes for c in counts)
    for code in municipalities:
        unit_total = total if muni else next((c for c in counts if c.municipality_code == code), None)
        _ensure_election_municipality(
            db,
            actor,
            eid,
            code,
            electorate=unit_total.electorate
            if unit_total is not None and unit_total.level != LEVEL_STATION
            else None,
            counting_method="DSO" if has_candidates or kind != "counts" else "CSO",
            council_size=result.election.number_of_seats
            if result.election and eid.startswith("GR")
            else None,
        )

    list_names: dict[int, str | None] = {lst.number: lst.name or None for lst in result.lists}
    candidate_names: dict[tuple[int, int], str | None] = {
        (c.list_number, c.number): c.name or None for c in result.candidates
    }
    candidates_stored = len(result.candidates)
    if muni is not None and kind in ("counts", "candidates"):
        groups = _ensure_lists(db, actor, result, eid, muni, rename=kind == "candidates")
        for number, group in groups.items():
            list_names.setdefault(number, group.name)
        if kind == "candidates":
            from app.services.imports import upsert_candidate

            for cand in result.candidates:
                owner = groups.get(cand.list_number)
                if owner is None:
                    raise _problem(
                        result, f"list {cand.list_number}", "a candidate of a list the file does not define"
                    )
                upsert_candidate(
                    db,
                    actor,
                    owner,
                    cand.number,
                    last_name=cand.last_name or cand.name,
                    prefix=cand.prefix,
                    initials=cand.initials,
                    first_name=cand.first_name,
                    locality=cand.locality,
                    gender=cand.gender,
                )
        elif has_candidates and not candidate_names:
            # EML 510 carries candidate numbers only: names from the candidate lists set up before.
            rows = db.execute(
                select(
                    PoliticalGroup.number,
                    Candidate.number,
                    Candidate.prefix,
                    Candidate.last_name,
                    Candidate.initials,
                )
                .join(Candidate, Candidate.political_group_id == PoliticalGroup.id)
                .where(PoliticalGroup.election_id == eid, PoliticalGroup.municipality_code == muni)
            )
            for ln, cn, prefix, last, initials in rows:
                surname = f"{prefix} {last}" if prefix else last
                candidate_names[(ln, cn)] = f"{surname}, {initials}" if initials else surname
            candidates_stored = len({k for c in counts for k in c.candidate_votes})
    if kind == "counts" and has_candidates and candidates_stored == 0:
        candidates_stored = len({k for c in counts for k in c.candidate_votes})
    if kind == "stations":
        if muni is None:
            raise _problem(
                result,
                "municipality",
                "the file does not say which municipality: give it (--municipality GM####)",
            )
        # A list of several municipalities: only this municipality's stations are stored (another's were
        # stored under this one's code), and the others are said to be left out.
        own = [s for s in result.stations if s.municipality_code in (None, muni)]
        others = sorted(
            {s.municipality_code for s in result.stations if s.municipality_code not in (None, muni)}
        )
        if others:
            skipped = ParseWarning(
                None,
                f"{len(result.stations) - len(own)} rows of other municipalities"
                f" ({', '.join(map(str, others))}) left out: only {muni}'s stations are stored",
                "CBS gemeentecode",
            )
            result = dataclasses.replace(result, stations=tuple(own), warnings=(*result.warnings, skipped))
        for station_number, station_rows in _station_groups(result.stations).items():
            if station_number is None or station_number <= 0:
                raise _problem(result, f"station {station_rows[0].name!r}", "a station without a number")
            values, locations = _station_spec(station_rows)
            try:
                # The parser checked the hours row by row and reported the warnings (wims.check_hours):
                # the file is stored as it says. A station of one row keeps no location rows.
                setup.upsert_station(
                    db,
                    actor,
                    eid,
                    muni,
                    station_number,
                    locations=locations,
                    accept_hours_warnings=True,
                    **values,
                )
            except InvalidInput as err:
                raise _problem(result, f"station {station_number}", _error_text(err)) from None

    # The file itself, its version, and what it supersedes.
    previous = db.scalar(
        select(ImportFile)
        .where(
            ImportFile.election_id == eid,
            ImportFile.municipality_code.is_not_distinct_from(muni),
            ImportFile.kind == kind,
            ImportFile.superseded_by.is_(None),
        )
        .with_for_update()
    )
    last_version = db.scalar(
        select(func.max(ImportFile.version)).where(
            ImportFile.election_id == eid,
            ImportFile.municipality_code.is_not_distinct_from(muni),
            ImportFile.kind == kind,
        )
    )
    summary = {
        "stations": stations,
        "lists": len(result.lists),
        "candidates": candidates_stored,
        "valid_votes": valid_votes,
        "reporting_units": len(counts),
        "warnings": len(result.warnings),
    }
    row = ImportFile(
        election_id=eid,
        municipality_code=muni,
        kind=kind,
        format=result.format,
        file_name=name[:300],
        size=result.size,
        sha256=result.sha256,
        version=(last_version or 0) + 1,
        imported_by=f"{actor.audit_id} {actor.name}"[:200],
        summary=summary,
        warnings=[_warning_json(w) for w in result.warnings[:1000]],
    )
    db.add(row)
    db.flush()
    after = {
        "file": row.file_name,
        "format": row.format,
        "kind": kind,
        "version": row.version,
        "sha256": row.sha256,
        **summary,
    }
    audit.record(
        db,
        actor,
        "official_file_imported",
        entity="import_file",
        entity_id=row.id,
        municipality_code=muni,
        election_id=eid,
        after=after,
    )
    if previous is not None:
        previous.superseded_by = row.id
        audit.record(
            db,
            actor,
            "official_file_superseded",
            entity="import_file",
            entity_id=previous.id,
            municipality_code=muni,
            election_id=eid,
            before={"file": previous.file_name, "version": previous.version, "superseded_by": None},
            after={"superseded_by": row.id, "version": row.version},
        )
    if kind == "counts":
        units = list(counts)
        if total is not None and muni is not None:
            units.append(total)
        _write_counts(db, row.id, eid, units, list_names, candidate_names)
    db.flush()
    return ImportSummary(
        file=name,
        format=result.format,
        kind=kind,
        election_id=eid,
        municipality_code=muni,
        status="new_version" if previous is not None else "imported",
        version=row.version,
        import_file_id=row.id,
        superseded_id=previous.id if previous is not None else None,
        stations=stations,
        lists=len(result.lists),
        candidates=candidates_stored,
        valid_votes=valid_votes,
        warnings=result.warnings,
    )


def import_path(
    db: Session,
    actor: Actor,
    path: str | os.PathLike[str],
    *,
    file_name: str | None = None,
    election_id: str | None = None,
    municipality_code: str | None = None,
) -> ImportSummary:
    """Parse, store and commit one file; on any problem roll back (nothing stored) and re-raise."""
    try:
        result = parse_file(path, expected_municipality=municipality_code, expected_election=election_id)
        summary = store(
            db,
            actor,
            result,
            file_name=file_name,
            election_id=election_id,
            municipality_code=municipality_code,
        )
        if summary.changed:
            db.commit()
        else:
            db.rollback()
        return summary
    except BaseException:
        db.rollback()
        raise


# ----------------------------------------------------------------------------------------- demo history

GR2022_DEMO_FILES = {
    "GM0392": "osv4-3_telling_gr2022_haarlem.csv",
    "GM0268": "osv4-3_telling_gr2022_nijmegen.csv",
    "GM0668": "osv4-3_telling_gr2022_westmaasenwaal.csv",
}


def load_gr2022_history(db: Session, actor: Actor, *, folder: Path | None = None) -> list[ImportSummary]:
    """Import the past election GR2022 for the demo municipalities (data/gr2022). Idempotent: the
    second time every file is ``unchanged``."""
    folder = folder or ROOT / "data" / "gr2022"
    out = []
    for code, file in GR2022_DEMO_FILES.items():
        path = folder / file
        if path.is_file():
            out.append(import_path(db, actor, path, election_id="GR2022", municipality_code=code))
    return out
