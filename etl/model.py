"""Plain parse results of official election files.

Pure Python, no database: the parsers in ``etl.parsers`` produce these objects, and a loader (a
later phase) writes them. All dataclasses are frozen. The vote mappings inside a ``ParsedCount`` are
ordinary dicts for speed; treat them as read-only.

Field names follow the proces-verbaal boxes (model N 10-1 / N 10-2):

======================================  ====  ==========================================
field                                   box   Dutch
======================================  ====  ==========================================
``poll_card_count``                     A     geldige stempassen
``proxy_certificate_count``             B     geldige volmachtbewijzen
``voter_card_count``                    C     geldige kiezerspassen
``total_admitted_voters_count``         D     toegelaten kiezers
``list_votes[n]``                       E.n   stemmen op lijst n
``valid_votes_count``                   E     geldige stembiljetten (ΣE.n as given)
``blank_votes_count``                   F     blanco stembiljetten
``invalid_votes_count``                 G     ongeldige stembiljetten
``total_votes_cast_count``              H     aangetroffen / uitgebrachte stembiljetten
``more_ballots_count``                  I     meer getelde stembiljetten dan toegelaten
``fewer_ballots_count``                 J     minder getelde stembiljetten
``electorate``                          -     opgeroepenen (meaningless per station)
======================================  ====  ==========================================
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from datetime import datetime

# Formats produced by the parsers (``ParseResult.format``).
FORMAT_EML_110A = "eml-110a"
FORMAT_EML_110B = "eml-110b"
FORMAT_EML_230B = "eml-230b"
FORMAT_EML_510 = "eml-510"
FORMAT_OSV43 = "osv4-3-csv"
FORMAT_WIMS_CSV = "wims-csv"
FORMAT_WIMS_XLSX = "wims-xlsx"
FORMAT_STEMLOKALEN_2023 = "stemlokalen-2023-csv"

# Reporting-unit levels (``ParsedCount.level``).
LEVEL_STATION = "station"
LEVEL_MUNICIPALITY = "municipality"
LEVEL_KIESKRING = "kieskring"
LEVEL_TOTAL = "total"  # the file's own total over all its reporting units

_POSTCODE_RE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})\s*$")
_POSTCODE_IN_NAME_RE = re.compile(r"\s*\(postcode:\s*(\d{4}\s*[A-Za-z]{2})\s*\)\s*$", re.IGNORECASE)


def normalise_postcode(value: str | None) -> str | None:
    """``"6626 ac"`` → ``"6626AC"``; anything that is not a Dutch postcode → ``None``."""
    if not value:
        return None
    match = _POSTCODE_RE.match(value)
    if not match:
        return None
    return f"{match.group(1)}{match.group(2).upper()}"


def split_postcode_from_name(name: str) -> tuple[str, str | None]:
    """``"Stembureau De Damsteen (postcode: 2951 ED)"`` → ``("Stembureau De Damsteen", "2951ED")``."""
    match = _POSTCODE_IN_NAME_RE.search(name)
    if not match:
        return name.strip(), None
    return name[: match.start()].strip(), normalise_postcode(match.group(1))


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something worth telling the user that does not refuse the file.

    ``code`` is a Kiesraad check code (``F.202``, ``W.203``...) when one applies, else ``None``.
    ``place`` says where: a reporting unit (``station 3``), a row, an xpath.
    """

    code: str | None
    message: str
    place: str = ""


@dataclass(frozen=True, slots=True)
class ParsedRegion:
    """A region of an election tree (EML 110a ``kr:Region``): kieskring, municipality...

    For a municipality, ``municipality_code`` holds the normalised ``GM####`` code.
    """

    category: str  # STAAT, KIESKRING, GEMEENTE, PROVINCIE, ...
    number: int | None
    name: str
    superior_category: str | None = None
    superior_number: int | None = None
    municipality_code: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedElection:
    """An election as a file describes it.

    ``election_id`` is normalised (``GR2022_WestMaasenWaal`` → ``GR2022``); ``raw_id`` keeps the
    file's own id. ``domain_code`` is the municipality (``GM0668``) for a municipal election.
    """

    election_id: str
    kind: str | None = None  # GR, TK, PS, WS, EP, EK, ...
    name: str | None = None
    date: _dt.date | None = None
    raw_id: str | None = None
    subcategory: str | None = None
    domain_code: str | None = None
    domain_name: str | None = None
    number_of_seats: int | None = None
    preference_threshold: int | None = None
    nomination_date: _dt.date | None = None


@dataclass(frozen=True, slots=True)
class ParsedStation:
    """A polling station (stembureau) or voting location.

    ``number`` is ``None`` for the 2023 national location lists (they have none). ``postcode`` is
    normalised to ``1234AB``. Opening hours are local date-times as the file gives them.
    """

    municipality_code: str | None
    number: int | None
    name: str
    postcode: str | None = None
    street: str | None = None
    house_number: str | None = None
    house_letter: str | None = None
    house_number_suffix: str | None = None
    locality: str | None = None
    extra_address: str | None = None
    station_type: str | None = None  # regulier, bijzonder, mobiel
    latitude: float | None = None
    longitude: float | None = None
    rd_x: float | None = None
    rd_y: float | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    accessible: bool | None = None
    bag_id: str | None = None
    website: str | None = None
    expected_voters: int | None = None
    # Remaining attributes of the source as (name, value) pairs, in file order.
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedList:
    """A candidate list (political group) by its number on the ballot."""

    number: int
    name: str
    list_type: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedCandidate:
    """A candidate on a list. ``name`` is the display form ``"van Dreumel, C.G.H.M."``."""

    list_number: int
    number: int
    name: str
    initials: str | None = None
    first_name: str | None = None
    prefix: str | None = None
    last_name: str | None = None
    locality: str | None = None
    gender: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedCount:
    """The count of one reporting unit: a station, a municipality, a kieskring, or the file total.

    ``unit_id`` is the file's own identifier (``0668::SB1``, ``0668``, ``Totaal``...).
    ``list_votes`` maps list number → votes; ``candidate_votes`` maps (list number, candidate
    number) → votes and is empty when the file has list totals only. Boxes the file does not give
    are ``None``.
    """

    level: str
    unit_id: str
    name: str | None
    municipality_code: str | None
    station_number: int | None
    postcode: str | None = None
    electorate: int | None = None
    poll_card_count: int | None = None
    proxy_certificate_count: int | None = None
    voter_card_count: int | None = None
    total_admitted_voters_count: int | None = None
    valid_votes_count: int | None = None
    blank_votes_count: int | None = None
    invalid_votes_count: int | None = None
    total_votes_cast_count: int | None = None
    more_ballots_count: int | None = None
    fewer_ballots_count: int | None = None
    explanations: dict[str, int] = field(default_factory=dict)
    list_votes: dict[int, int] = field(default_factory=dict)
    candidate_votes: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def has_candidate_votes(self) -> bool:
        return bool(self.candidate_votes)


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Everything one file says, plus where it came from.

    ``counts`` holds the reporting units below the file's own total, which is in ``total`` (when
    the file gives one). ``sha256`` is the hash of the file's bytes: the same content always gives
    the same hash, whatever its name.
    """

    format: str
    source: str
    sha256: str
    size: int
    election: ParsedElection | None = None
    municipality_code: str | None = None
    municipality_name: str | None = None
    contest_id: str | None = None
    stations: tuple[ParsedStation, ...] = ()
    lists: tuple[ParsedList, ...] = ()
    candidates: tuple[ParsedCandidate, ...] = ()
    counts: tuple[ParsedCount, ...] = ()
    total: ParsedCount | None = None
    regions: tuple[ParsedRegion, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()

    @property
    def election_id(self) -> str | None:
        return self.election.election_id if self.election else None

    @property
    def valid_votes(self) -> int:
        """Sum of valid votes over the reporting units (the total's figure when there are none)."""
        if self.counts:
            return sum(c.valid_votes_count or 0 for c in self.counts)
        return (self.total.valid_votes_count or 0) if self.total else 0


_ELECTION_PREFIX_RE = re.compile(r"^\s*([A-Za-z]{2,3})\s*(\d{4})")
# Name of an election as the osv4-3 CSV writes it ("Gemeenteraad Aa en Hunze 2022") → kind.
_KIND_BY_NAME = (
    ("gemeenteraad", "GR"),
    ("tweede kamer", "TK"),
    ("eerste kamer", "EK"),
    ("provinciale staten", "PS"),
    ("europees parlement", "EP"),
    ("waterschap", "WS"),
    ("algemeen bestuur", "WS"),
    ("eilandsraad", "ER"),
    ("kiescollege", "NR"),
    ("referendum", "REF"),
)


def normalise_election_id(raw: str) -> str | None:
    """``"GR2022_WestMaasenWaal"`` → ``"GR2022"``, ``"tk2025"`` → ``"TK2025"``; else ``None``."""
    match = _ELECTION_PREFIX_RE.match(raw or "")
    if not match:
        return None
    return f"{match.group(1).upper()}{match.group(2)}"


def election_kind_from_name(name: str | None) -> str | None:
    """``"Gemeenteraad Aa en Hunze 2022"`` → ``"GR"``; ``None`` when the name is not recognised."""
    lowered = (name or "").lower()
    for needle, kind in _KIND_BY_NAME:
        if needle in lowered:
            return kind
    return None
