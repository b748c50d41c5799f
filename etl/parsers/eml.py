"""Streaming parsers for the Kiesraad's EML_NL files.

* ``110a`` election definition → ``ParsedElection`` (+ seats, preference threshold, election tree)
* ``110b`` polling stations → ``ParsedStation``
* ``230b`` candidate lists → ``ParsedList`` / ``ParsedCandidate``
* ``510a``–``510d`` counts at every level → ``ParsedCount`` per reporting unit (``0668::SB1`` is
  station 1 of GM0668, ``0668`` is the municipality, anything else a kieskring or higher)

Safety: a file larger than ``max_bytes`` is refused before parsing; any ``<!DOCTYPE`` or
``<!ENTITY`` is refused (EML never needs one, and that is how an XML bomb or an external entity
arrives); lxml runs with ``resolve_entities=False, load_dtd=False, no_network=True,
huge_tree=False``. Streaming: ``lxml.etree.iterparse`` with a tag filter, so only the elements we
use reach Python, and each reporting unit is cleared as soon as it has been read.

Refused with the line and element (``ImportProblem``), so that nothing reaches the database that it
would refuse or that would overwrite something else: numbers that are not ASCII digits, below 0 (ids,
list numbers and seats below 1) or beyond a PostgreSQL integer; text longer than its column; an empty
Selection; a reporting unit twice in a contest, a list or candidate twice in a unit, a list twice in a
230b contest, a candidate twice in a list, a polling station twice in a 110b; a 230b candidate without
a last name; a GEMEENTE region whose number is not a municipality's; a UTF-16 file (re-save as UTF-8).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import IO, Any

from lxml import etree

from app.domain.errors import InvalidInput
from app.domain.ids import election_id as _check_election_id
from app.domain.ids import municipality_code
from etl.model import (
    FORMAT_EML_110A,
    FORMAT_EML_110B,
    FORMAT_EML_230B,
    FORMAT_EML_510,
    LEVEL_KIESKRING,
    LEVEL_MUNICIPALITY,
    LEVEL_STATION,
    LEVEL_TOTAL,
    ParsedCandidate,
    ParsedCount,
    ParsedElection,
    ParsedList,
    ParsedRegion,
    ParsedStation,
    ParseResult,
    ParseWarning,
    normalise_election_id,
    normalise_postcode,
    split_postcode_from_name,
)
from etl.parsers import checks, common
from etl.parsers.errors import ImportProblem

DEFAULT_MAX_BYTES = 500 * 1024 * 1024
PROLOG_SCAN_BYTES = 64 * 1024

NS = "urn:oasis:names:tc:evs:schema:eml"
KR = "http://www.kiesraad.nl/extensions"
XNL = "urn:oasis:names:tc:ciq:xsdschema:xNL:2.0"
XAL = "urn:oasis:names:tc:ciq:xsdschema:xAL:2.0"


def _q(name: str, ns: str = NS) -> str:
    return f"{{{ns}}}{name}"


T_EML = _q("EML")
T_MANAGING = _q("ManagingAuthority")
T_ELECTION_ID = _q("ElectionIdentifier")
T_CONTEST_ID = _q("ContestIdentifier")
T_TOTAL = _q("TotalVotes")
T_RUV = _q("ReportingUnitVotes")
T_RU_ID = _q("ReportingUnitIdentifier")
T_SELECTION = _q("Selection")
T_AFFILIATION_ID = _q("AffiliationIdentifier")
T_CANDIDATE = _q("Candidate")
T_VALID = _q("ValidVotes")
T_CAST = _q("Cast")
T_TOTAL_COUNTED = _q("TotalCounted")
T_REJECTED = _q("RejectedVotes")
T_UNCOUNTED = _q("UncountedVotes")
T_AFFILIATION = _q("Affiliation")
T_POLLING_PLACE = _q("PollingPlace")
T_REPORTING_UNIT = _q("ReportingUnit")
T_SEATS = _q("NumberOfSeats", KR)
T_THRESHOLD = _q("PreferenceThreshold", KR)
T_REGION = _q("Region", KR)

KIND_NAMES = {
    "110a": "election definition",
    "110b": "polling stations",
    "230b": "candidate lists",
    "510a": "counts (central)",
    "510b": "counts (municipality, per station)",
    "510c": "counts (kieskring)",
    "510d": "counts (total)",
}

# UncountedVotes / RejectedVotes reason codes → ParsedCount fields or explanation keys.
_UNCOUNTED_FIELDS = {
    "geldige stempassen": "poll_card_count",
    "geldige volmachtbewijzen": "proxy_certificate_count",
    "geldige kiezerspassen": "voter_card_count",
    "toegelaten kiezers": "total_admitted_voters_count",
    "meer getelde stembiljetten": "more_ballots_count",
    "minder getelde stembiljetten": "fewer_ballots_count",
}
UNCOUNTED_EXPLANATIONS = {
    "meegenomen stembiljetten": "ballots_taken_away",
    "te weinig uitgereikte stembiljetten": "too_few_ballots_issued",
    "te veel uitgereikte stembiljetten": "too_many_ballots_issued",
    "geen verklaring": "no_explanation",
    "andere verklaring": "other_explanation",
}
_STATION_ID_RE = re.compile(r"^\s*(\d{1,4})::([A-Za-z]*)(\d+)\s*$", re.ASCII)
_MUNI_ID_RE = re.compile(r"^\s*(?:GM|G)?(\d{4})\s*$", re.ASCII)
_DOCTYPE_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class _HashingReader:
    """File wrapper that hashes what lxml reads, so the file is read once."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self._raw.read(n)
        self.sha.update(data)
        self.size += len(data)
        return data


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _check_size(path: Path, max_bytes: int) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportProblem(path, "", f"cannot read the file: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise ImportProblem(
            path,
            "size",
            f"file is {size:,} bytes, more than the limit of {max_bytes:,} bytes for an EML file",
        )
    if size == 0:
        raise ImportProblem(path, "size", "file is empty")
    return size


def _check_prolog(path: Path, head: bytes) -> None:
    match = _DOCTYPE_RE.search(head)
    if match:
        line = head.count(b"\n", 0, match.start()) + 1
        raise ImportProblem(
            path,
            f"line {line}",
            f"XML with a <!{match.group(1).decode().upper()}> declaration is refused: EML files never "
            "need one, and it is how entity expansion ('billion laughs') and external entities attack "
            "a parser",
        )


def _syntax_problem(path: Path, exc: etree.XMLSyntaxError) -> ImportProblem:
    line, column = exc.position if exc.position else (exc.lineno or 0, 0)
    msg = str(exc.msg if hasattr(exc, "msg") and exc.msg else exc)
    return ImportProblem(path, f"line {line}, column {column}", f"malformed or truncated XML: {msg}")


def _iterparse(source: Any, tags: tuple[str, ...] | None, events: tuple[str, ...] = ("end",)) -> Any:
    return etree.iterparse(
        source,
        events=events,
        tag=tags,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def read_eml_id(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The document id of an EML file (``510b``, ``230b``...), checking size and prolog only."""
    p = Path(path)
    _check_size(p, max_bytes)
    with open(p, "rb") as fh:
        head = fh.read(PROLOG_SCAN_BYTES)
        utf16 = common.utf16_problem(p, head)
        if utf16 is not None:
            raise utf16
        if len(head) < PROLOG_SCAN_BYTES and not common.without_bom(head).strip():
            raise ImportProblem(p, "size", "file is empty")
        _check_prolog(p, head)
        fh.seek(0)
        try:
            for _event, elem in _iterparse(fh, None, ("start",)):
                if elem.getroottree().docinfo.doctype:
                    raise ImportProblem(p, "line 1", "XML with a <!DOCTYPE> declaration is refused")
                if elem.tag != T_EML:
                    raise ImportProblem(
                        p,
                        f"line {elem.sourceline}",
                        f"not an EML_NL file: the root element is <{_local(elem.tag)}>, expected <EML> "
                        f"in namespace {NS}",
                    )
                doc_id = (elem.get("Id") or "").strip()
                if doc_id not in KIND_NAMES:
                    raise ImportProblem(
                        p,
                        f"line {elem.sourceline}, /EML/@Id",
                        f"unsupported EML document id {doc_id!r}; expected one of {', '.join(KIND_NAMES)}",
                    )
                return doc_id
        except etree.XMLSyntaxError as exc:
            raise _syntax_problem(p, exc) from None
    raise ImportProblem(p, "", "no XML root element found")


def _check_expected(path: Path, doc_id: str, expected: str | None) -> None:
    if expected and not doc_id.startswith(expected):
        raise ImportProblem(
            path,
            "/EML/@Id",
            f"wrong EML document: this is an EML {doc_id} ({KIND_NAMES.get(doc_id, '?')}), "
            f"expected an EML {expected} ({KIND_NAMES.get(expected, KIND_NAMES.get(expected + 'b', '?'))})",
        )


def _text(elem: Any) -> str | None:
    if elem is None or elem.text is None:
        return None
    text = elem.text.strip()
    return text or None


def _date(path: Path, value: str | None, place: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ImportProblem(path, place, f"not a date: {value!r}") from None


def _int(path: Path, value: str | None, place: str, what: str, *, minimum: int = 0) -> int:
    """A whole number within ``minimum`` and the largest PostgreSQL integer (ASCII digits only)."""
    return common.whole_number(path, place, what, value, minimum=minimum)


def _str(path: Path, value: str | None, place: str, what: str, limit: int) -> str | None:
    """Text that fits its column (XML itself already refuses control characters other than tab and
    new lines; ``common.text_value`` checks DEL too)."""
    return common.text_value(path, place, what, value, limit)


def _twice(element: str, first: tuple[int, int | None], second: tuple[int, int | None]) -> str:
    """Names both places of a duplicate: the elements' numbers in the file and their lines (a file
    written on one line has the same line for both)."""
    return f"{element} number {first[0]} (line {first[1]}) and number {second[0]} (line {second[1]})"


def _lines(first: tuple[int, Any], second: tuple[int, Any]) -> tuple[tuple[int, int | None], ...]:
    """(number, element) pairs as (number, line) for :func:`_twice`."""
    return tuple((n, el.sourceline) for n, el in (first, second))


def _selection_place(child: Any, what: str, unit_id: str) -> str:
    """Where a Selection is, for a message: ``line 12, Selection in ReportingUnitVotes 0668::SB1``."""
    return f"line {child.sourceline}, Selection in {what} {unit_id}"


def _muni(value: str | None) -> str | None:
    if not value or not _MUNI_ID_RE.match(value):
        return None
    try:
        return municipality_code(value)
    except InvalidInput:
        return None


def _parse_election_identifier(path: Path, elem: Any) -> ParsedElection:
    raw_id = (elem.get("Id") or "").strip()
    fields: dict[str, Any] = {}
    domain_code = domain_name = None
    for child in elem:
        name = _local(child.tag)
        if name == "ElectionDomain":
            domain_code = _muni(child.get("Id"))
            domain_name = _text(child)
        else:
            fields[name] = _text(child)
    place = f"line {elem.sourceline}, ElectionIdentifier"
    sizes = common.sizes()
    _str(path, fields.get("ElectionName"), place, "ElectionName", sizes.election_name)
    _str(path, domain_name, place, "ElectionDomain", sizes.municipality_name)
    normalised = normalise_election_id(raw_id)
    if normalised is None:
        raise ImportProblem(path, place, f"not an election id: {raw_id!r}")
    try:
        normalised = _check_election_id(normalised)
    except InvalidInput:
        raise ImportProblem(path, place, f"not an election id: {raw_id!r}") from None
    return ParsedElection(
        election_id=normalised,
        kind=fields.get("ElectionCategory"),
        name=fields.get("ElectionName"),
        date=_date(path, fields.get("ElectionDate"), place),
        raw_id=raw_id,
        subcategory=fields.get("ElectionSubcategory"),
        domain_code=domain_code,
        domain_name=domain_name,
        nomination_date=_date(path, fields.get("NominationDate"), place),
    )


# --------------------------------------------------------------------------------------------- 510


def _unit_of(unit_id: str) -> tuple[str, str | None, int | None]:
    """``0668::SB1`` → (station, GM0668, 1); ``0668`` → (municipality, GM0668, None); else kieskring."""
    match = _STATION_ID_RE.match(unit_id)
    if match:
        return LEVEL_STATION, _muni(match.group(1).zfill(4)), int(match.group(3))
    code = _muni(unit_id)
    if code:
        return LEVEL_MUNICIPALITY, code, None
    return LEVEL_KIESKRING, None, None


def _parse_votes_block(
    path: Path,
    elem: Any,
    level: str,
    default_muni: str | None,
    lists: dict[int, str],
) -> ParsedCount:
    """Read a TotalVotes or ReportingUnitVotes element into a ParsedCount.

    Refused with the line and element: a number that is not a whole number, below 0 or too large to
    store; an empty Selection or one without ValidVotes; a list or a candidate twice in one unit."""
    list_votes: dict[int, int] = {}
    candidate_votes: dict[tuple[int, int], int] = {}
    list_seen: dict[int, tuple[int, Any]] = {}  # list → (Selection number, its element: its line)
    candidate_seen: dict[tuple[int, int], tuple[int, Any]] = {}
    selections = 0
    boxes: dict[str, int] = {}
    explanations: dict[str, int] = {}
    unit_id = "total"
    name: str | None = None
    current_list: int | None = None
    what = _local(elem.tag)
    place = f"line {elem.sourceline}, {what}"
    sizes = common.sizes()
    for child in elem:
        tag = child.tag
        if tag == T_SELECTION:
            selections += 1
            here = (selections, child)
            if len(child) == 0:
                raise ImportProblem(
                    path,
                    _selection_place(child, what, unit_id),
                    "empty Selection (no AffiliationIdentifier or Candidate)",
                )
            first = child[0]
            votes_el = child[-1]
            if votes_el.tag != T_VALID:
                votes_el = child.find(T_VALID)
            if votes_el is None:
                raise ImportProblem(
                    path, _selection_place(child, what, unit_id), "a Selection without ValidVotes"
                )
            # the place is written out only for a message: a file has hundreds of thousands of these
            votes = common.plain_number(votes_el.text)
            if votes is None:
                votes = _int(path, votes_el.text, _selection_place(child, what, unit_id), "ValidVotes")
            if first.tag == T_AFFILIATION_ID:
                sel_place = _selection_place(child, what, unit_id)  # one per list: a few per unit
                current_list = _int(path, first.get("Id"), sel_place, "AffiliationIdentifier Id", minimum=1)
                if current_list in list_seen:
                    raise ImportProblem(
                        path,
                        sel_place,
                        f"list {current_list} appears twice in {what} {unit_id}: "
                        + _twice("Selection", *_lines(list_seen[current_list], here)),
                    )
                list_votes[current_list] = votes
                list_seen[current_list] = here
                if current_list not in lists:
                    reg = first.find(_q("RegisteredName"))
                    lists[current_list] = (
                        _str(path, _text(reg), sel_place, "RegisteredName", sizes.list_name) or ""
                    )
            elif first.tag == T_CANDIDATE:
                if current_list is None:
                    raise ImportProblem(
                        path,
                        _selection_place(child, what, unit_id),
                        "a candidate Selection comes before any list Selection",
                    )
                cand_id = first[0].get("Id") if len(first) else None
                cand = common.plain_number(cand_id)
                if not cand:  # (0 is refused below: an id is 1 or more)
                    cand = _int(
                        path,
                        cand_id,
                        _selection_place(child, what, unit_id),
                        "CandidateIdentifier Id",
                        minimum=1,
                    )
                key = (current_list, cand)
                if key in candidate_seen:
                    raise ImportProblem(
                        path,
                        _selection_place(child, what, unit_id),
                        f"candidate {cand} of list {current_list} appears twice in {what} {unit_id}: "
                        + _twice("Selection", *_lines(candidate_seen[key], here)),
                    )
                candidate_votes[key] = votes
                candidate_seen[key] = here
        elif tag == T_RU_ID:
            unit_id = (child.get("Id") or "").strip()
            place = f"line {elem.sourceline}, ReportingUnitVotes {unit_id}"
            _str(path, unit_id, place, "ReportingUnitIdentifier Id", sizes.unit_id)
            name = _text(child)
        elif tag == T_CAST:
            boxes["electorate"] = _int(path, child.text, place, "Cast")
        elif tag == T_TOTAL_COUNTED:
            boxes["valid_votes_count"] = _int(path, child.text, place, "TotalCounted")
        elif tag == T_REJECTED:
            reason = (child.get("ReasonCode") or "").strip().lower()
            value = _int(path, child.text, place, f"RejectedVotes {reason}")
            if reason == "ongeldig":
                boxes["invalid_votes_count"] = value
            elif reason == "blanco":
                boxes["blank_votes_count"] = value
        elif tag == T_UNCOUNTED:
            reason = (child.get("ReasonCode") or "").strip().lower()
            value = _int(path, child.text, place, f"UncountedVotes {reason}")
            field_name = _UNCOUNTED_FIELDS.get(reason)
            if field_name:
                boxes[field_name] = value
            else:
                explanations[UNCOUNTED_EXPLANATIONS.get(reason, reason)] = value
    municipality = default_muni
    station_number = None
    postcode = None
    if elem.tag == T_RUV:
        level, code, station_number = _unit_of(unit_id)
        if station_number is not None:
            common.check_value(
                path, place, "the station number in ReportingUnitIdentifier Id", station_number
            )
        municipality = code or default_muni if level != LEVEL_KIESKRING else None
        if name:
            name, postcode = split_postcode_from_name(name)
    _str(path, name, place, "the name in ReportingUnitIdentifier", sizes.station_name)
    valid = boxes.get("valid_votes_count")
    blank = boxes.get("blank_votes_count")
    invalid = boxes.get("invalid_votes_count")
    cast = valid + blank + invalid if None not in (valid, blank, invalid) else None  # type: ignore[operator]
    common.check_value(path, place, "votes cast (TotalCounted + blanco + ongeldig)", cast)
    return ParsedCount(
        level=level,
        unit_id=unit_id,
        name=name,
        municipality_code=municipality,
        station_number=station_number,
        postcode=postcode,
        total_votes_cast_count=cast,
        explanations=explanations,
        list_votes=list_votes,
        candidate_votes=candidate_votes,
        **boxes,
    )


def _release(elem: Any) -> None:
    """Free a processed element and the already-processed siblings before it."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def _parse_510(path: Path, source: Any, doc_id: str) -> dict[str, Any]:
    tags = (T_MANAGING, T_ELECTION_ID, T_CONTEST_ID, T_TOTAL, T_RUV)
    total_level = {"510b": LEVEL_MUNICIPALITY, "510c": LEVEL_KIESKRING}.get(doc_id, LEVEL_TOTAL)
    election: ParsedElection | None = None
    muni: str | None = None
    muni_name: str | None = None
    contest_id: str | None = None
    lists: dict[int, str] = {}
    counts: list[ParsedCount] = []
    totals: list[tuple[ParsedCount, int, str]] = []  # (total, first index of its units, place)
    contest_start = 0
    # (contest, unit id) → (its number in the file, line): a unit once per contest
    seen_units: dict[tuple[str | None, str], tuple[int, int | None]] = {}
    for _event, elem in _iterparse(source, tags):
        tag = elem.tag
        if tag == T_RUV:
            count = _parse_votes_block(path, elem, LEVEL_STATION, muni, lists)
            n = len(counts) + 1
            key = (contest_id, count.unit_id)
            if key in seen_units:
                raise ImportProblem(
                    path,
                    f"line {elem.sourceline}, ReportingUnitVotes {count.unit_id}",
                    f"reporting unit {count.unit_id} appears twice: "
                    + _twice("ReportingUnitVotes", seen_units[key], (n, elem.sourceline)),
                )
            seen_units[key] = (n, elem.sourceline)
            counts.append(count)
            _release(elem)
        elif tag == T_TOTAL:
            contest_start = len(counts)
            total = _parse_votes_block(path, elem, total_level, muni, lists)
            totals.append(
                (total, contest_start, f"line {elem.sourceline}, TotalVotes of contest {contest_id}")
            )
            _release(elem)
        elif tag == T_MANAGING:
            auth = elem.find(_q("AuthorityIdentifier"))
            if auth is not None:
                muni = _muni(auth.get("Id")) or muni
                muni_name = _text(auth)
        elif tag == T_ELECTION_ID:
            election = _parse_election_identifier(path, elem)
            if election.domain_code and not muni:
                muni = election.domain_code
        elif tag == T_CONTEST_ID:
            contest_id = elem.get("Id")
    # Each contest's total must be the sum of its reporting units.
    for i, (total, start, place) in enumerate(totals):
        end = totals[i + 1][1] if i + 1 < len(totals) else len(counts)
        checks.check_file_totals(str(path), total, counts[start:end], place=place)
    if total_level == LEVEL_MUNICIPALITY and muni is None and counts:
        muni = counts[0].municipality_code
    return {
        "election": election,
        "municipality_code": muni if total_level == LEVEL_MUNICIPALITY else None,
        "municipality_name": muni_name if total_level == LEVEL_MUNICIPALITY else None,
        "contest_id": contest_id,
        "lists": tuple(ParsedList(n, name) for n, name in lists.items()),
        "counts": tuple(counts),
        "total": totals[0][0] if len(totals) == 1 else None,
        "warnings": tuple(checks.check_counts(counts, h_given=False)),
    }


# --------------------------------------------------------------------------------------------- 230b


def _parse_candidate(path: Path, elem: Any, list_number: int) -> ParsedCandidate:
    cid = elem.find(_q("CandidateIdentifier"))
    number = _int(
        path,
        cid.get("Id") if cid is not None else None,
        f"line {elem.sourceline}, Candidate",
        "CandidateIdentifier Id",
        minimum=1,
    )
    place = f"line {elem.sourceline}, Candidate {number} of list {list_number}"
    sizes = common.sizes()
    limits = {
        "initials": ("Initials", sizes.initials),
        "FirstName": ("FirstName", sizes.first_name),
        "NamePrefix": ("NamePrefix", sizes.prefix),
        "LastName": ("LastName", sizes.last_name),
        "Gender": ("Gender", sizes.gender),
        "LocalityName": ("LocalityName", sizes.locality),
    }
    parts: dict[str, str | None] = {}
    for sub in elem.iter():
        name = _local(sub.tag)
        key = None
        if name == "NameLine" and sub.get("NameType") == "Initials":
            key = "initials"
        elif name in ("FirstName", "NamePrefix", "LastName", "Gender", "LocalityName"):
            key = name
        if key is not None:
            label, limit = limits[key]
            parts[key] = _str(
                path,
                _text(sub),
                f"line {sub.sourceline}, Candidate {number} of list {list_number}",
                label,
                limit,
            )
    last = parts.get("LastName") or ""
    if not last:
        raise ImportProblem(path, place, "no LastName: every candidate on a list has a last name")
    prefix = parts.get("NamePrefix")
    initials = parts.get("initials")
    surname = f"{prefix} {last}" if prefix else last
    display = f"{surname}, {initials}" if initials else surname
    return ParsedCandidate(
        list_number=list_number,
        number=number,
        name=display,
        initials=initials,
        first_name=parts.get("FirstName"),
        prefix=prefix,
        last_name=last,
        locality=parts.get("LocalityName"),
        gender=parts.get("Gender"),
    )


def _parse_230b(path: Path, source: Any, doc_id: str) -> dict[str, Any]:
    tags = (T_ELECTION_ID, T_CONTEST_ID, T_AFFILIATION)
    election = None
    contest_id = None
    lists: list[ParsedList] = []
    candidates: list[ParsedCandidate] = []
    list_seen: dict[int, tuple[int, int | None]] = {}  # list → (Affiliation number, line), per contest
    sizes = common.sizes()
    for _event, elem in _iterparse(source, tags):
        if elem.tag == T_AFFILIATION:
            aff = elem.find(T_AFFILIATION_ID)
            place = f"line {elem.sourceline}, Affiliation"
            number = _int(
                path,
                aff.get("Id") if aff is not None else None,
                f"line {aff.sourceline if aff is not None else elem.sourceline}, AffiliationIdentifier",
                "Id",
                minimum=1,
            )
            here = (len(lists) + 1, elem.sourceline)
            if number in list_seen:
                raise ImportProblem(
                    path,
                    place,
                    f"list {number} appears twice: " + _twice("Affiliation", list_seen[number], here),
                )
            list_seen[number] = here
            reg = aff.find(_q("RegisteredName")) if aff is not None else None
            list_name = _str(path, _text(reg), place, "RegisteredName", sizes.list_name) or ""
            list_type = _str(path, _text(elem.find(_q("Type"))), place, "Type", sizes.list_name)
            lists.append(ParsedList(number, list_name, list_type))
            candidate_seen: dict[int, tuple[int, int | None]] = {}
            for k, cand in enumerate(elem.iterchildren(T_CANDIDATE), start=1):
                parsed = _parse_candidate(path, cand, number)
                if parsed.number in candidate_seen:
                    raise ImportProblem(
                        path,
                        f"line {cand.sourceline}, Candidate {parsed.number} of list {number}",
                        f"candidate {parsed.number} of list {number} appears twice in that list: "
                        + _twice("Candidate", candidate_seen[parsed.number], (k, cand.sourceline)),
                    )
                candidate_seen[parsed.number] = (k, cand.sourceline)
                candidates.append(parsed)
            _release(elem)
        elif elem.tag == T_ELECTION_ID:
            election = _parse_election_identifier(path, elem)
        elif elem.tag == T_CONTEST_ID:
            contest_id = elem.get("Id")
            list_seen = {}
    return {
        "election": election,
        "municipality_code": election.domain_code if election else None,
        "municipality_name": election.domain_name if election else None,
        "contest_id": contest_id,
        "lists": tuple(lists),
        "candidates": tuple(candidates),
    }


# --------------------------------------------------------------------------------------------- 110a


def _parse_110a(path: Path, source: Any, doc_id: str) -> dict[str, Any]:
    tags = (T_ELECTION_ID, T_SEATS, T_THRESHOLD, T_REGION)
    election: ParsedElection | None = None
    seats = threshold = None
    regions: list[ParsedRegion] = []
    for _event, elem in _iterparse(source, tags):
        tag = elem.tag
        place = f"line {elem.sourceline}"
        if tag == T_REGION:
            place = f"line {elem.sourceline}, Region"
            category = (elem.get("RegionCategory") or "").strip()
            number_text = elem.get("RegionNumber")
            number = _int(path, number_text, place, "RegionNumber") if number_text else None
            sup = elem.get("SuperiorRegionNumber")
            name_el = elem.find(_q("RegionName", KR))
            code = None
            if category == "GEMEENTE" and number is not None:
                try:
                    code = municipality_code(number)
                except InvalidInput:
                    raise ImportProblem(
                        path,
                        f"{place} {_text(name_el) or ''}".rstrip(),
                        f"RegionNumber: {number_text!r} is not a municipality number (a GEMEENTE region "
                        "has the CBS number, 1 to 4 digits)",
                    ) from None
            regions.append(
                ParsedRegion(
                    category=category,
                    number=number,
                    name=_text(name_el) or "",
                    superior_category=elem.get("SuperiorRegionCategory"),
                    superior_number=_int(path, sup, place, "SuperiorRegionNumber") if sup else None,
                    municipality_code=code,
                )
            )
            elem.clear()
        elif tag == T_SEATS:
            seats = _int(path, elem.text, f"{place}, NumberOfSeats", "", minimum=1)
        elif tag == T_THRESHOLD:
            threshold = _int(path, elem.text, f"{place}, PreferenceThreshold", "")
        elif tag == T_ELECTION_ID:
            election = _parse_election_identifier(path, elem)
    if election is None:
        raise ImportProblem(path, "/EML/ElectionEvent/Election", "no ElectionIdentifier found")
    election = ParsedElection(
        **{
            **{f: getattr(election, f) for f in election.__slots__},
            "number_of_seats": seats,
            "preference_threshold": threshold,
        }
    )
    return {
        "election": election,
        "municipality_code": election.domain_code,
        "municipality_name": election.domain_name,
        "regions": tuple(regions),
    }


# --------------------------------------------------------------------------------------------- 110b


def _parse_110b(path: Path, source: Any, doc_id: str) -> dict[str, Any]:
    tags = (T_ELECTION_ID, T_REPORTING_UNIT, T_POLLING_PLACE)
    election = None
    muni: str | None = None
    muni_name: str | None = None
    stations: list[ParsedStation] = []
    station_seen: dict[int, tuple[int, int | None]] = {}  # station → (PollingPlace number, line)
    sizes = common.sizes()
    for _event, elem in _iterparse(source, tags):
        tag = elem.tag
        if tag == T_POLLING_PLACE:
            place = f"line {elem.sourceline}, PollingPlace"
            name = postcode = locality = None
            number = voters = None
            station_line = elem.sourceline
            for sub in elem.iter():
                local = _local(sub.tag)
                if local == "LocalityName":
                    name = _str(
                        path, _text(sub), f"line {sub.sourceline}, LocalityName", "", sizes.station_name
                    )
                elif local == "PostalCodeNumber":
                    postcode = normalise_postcode(_text(sub))
                elif local == "PollingStation":
                    station_line = sub.sourceline
                    sub_place = f"line {sub.sourceline}, PollingStation"
                    number = _int(path, sub.get("Id"), sub_place, "Id", minimum=1)
                    voters_text = _text(sub)
                    voters = _int(path, voters_text, sub_place, "number of voters") if voters_text else None
            if number is None:
                raise ImportProblem(path, place, "PollingPlace without a PollingStation Id")
            here = (len(stations) + 1, station_line)
            if number in station_seen:
                raise ImportProblem(
                    path,
                    f"line {station_line}, PollingStation",
                    f"station {number} appears twice: " + _twice("PollingPlace", station_seen[number], here),
                )
            station_seen[number] = here
            station_name, in_name = split_postcode_from_name(name or "")
            stations.append(
                ParsedStation(
                    municipality_code=muni,
                    number=number,
                    name=station_name,
                    postcode=postcode or in_name,
                    locality=locality,
                    expected_voters=voters,
                    extra=(("channel", elem.get("Channel") or ""),),
                )
            )
            _release(elem)
        elif tag == T_REPORTING_UNIT:
            ru = elem.find(T_RU_ID)
            if ru is not None:
                muni = _muni(ru.get("Id")) or muni
                muni_name = _str(
                    path,
                    _text(ru),
                    f"line {ru.sourceline}, ReportingUnitIdentifier",
                    "",
                    sizes.municipality_name,
                )
        elif tag == T_ELECTION_ID:
            election = _parse_election_identifier(path, elem)
            muni = muni or election.domain_code
    return {
        "election": election,
        "municipality_code": muni,
        "municipality_name": muni_name or (election.domain_name if election else None),
        "stations": tuple(stations),
    }


_HANDLERS: dict[str, tuple[str, Callable[[Path, Any, str], dict[str, Any]]]] = {
    "110a": (FORMAT_EML_110A, _parse_110a),
    "110b": (FORMAT_EML_110B, _parse_110b),
    "230b": (FORMAT_EML_230B, _parse_230b),
    "510a": (FORMAT_EML_510, _parse_510),
    "510b": (FORMAT_EML_510, _parse_510),
    "510c": (FORMAT_EML_510, _parse_510),
    "510d": (FORMAT_EML_510, _parse_510),
}


def parse_eml(
    path: str | os.PathLike[str],
    *,
    expected: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParseResult:
    """Parse any supported EML_NL file. ``expected`` (``"510"``, ``"230b"``...) refuses other kinds."""
    p = Path(path)
    doc_id = read_eml_id(p, max_bytes=max_bytes)
    _check_expected(p, doc_id, expected)
    fmt, handler = _HANDLERS[doc_id]
    with open(p, "rb") as fh:
        reader = _HashingReader(fh)
        try:
            data = handler(p, reader, doc_id)
        except etree.XMLSyntaxError as exc:
            raise _syntax_problem(p, exc) from None
        # lxml may stop reading before EOF (trailing whitespace): hash the rest too.
        while reader.read(1 << 20):
            pass
    warnings = list(data.pop("warnings", ()))
    if fmt == FORMAT_EML_510 and not data.get("counts") and data.get("total") is None:
        warnings.append(ParseWarning(None, "the file holds no counts", "/EML/Count"))
    return ParseResult(
        format=fmt,
        source=str(p),
        sha256=reader.sha.hexdigest(),
        size=reader.size,
        warnings=tuple(warnings),
        **data,
    )


def parse_510(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParseResult:
    """Counts (510a–d); any other EML document is refused."""
    return parse_eml(path, expected="510", max_bytes=max_bytes)


def parse_230b(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParseResult:
    """Candidate lists (230b); any other EML document is refused."""
    return parse_eml(path, expected="230b", max_bytes=max_bytes)


def parse_110a(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParseResult:
    """Election definition (110a); any other EML document is refused."""
    return parse_eml(path, expected="110a", max_bytes=max_bytes)


def parse_110b(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParseResult:
    """Polling stations (110b); any other EML document is refused."""
    return parse_eml(path, expected="110b", max_bytes=max_bytes)
