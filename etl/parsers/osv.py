"""Parser for the Kiesraad's osv4-3 CSV export (counts per station, or per municipality).

Layout: ``;``-separated; an optional metadata block (``Verkiezing``, ``Datum``, ``Gebied``,
``Nummer``); a header row ``Lijstnummer;Aanduiding;Volgnummer;Naam kandidaat;Totaal;<unit>...``;
a ``Gebiednummer`` row (station numbers, or municipality codes in a kieskring file); an optional
``Postcode`` row; the count rows (``;opgeroepenen;;;...``); then one row per list
(``1;Partij;;;total;...``) and, in candidate-level files, one per candidate (``;;1;Name;total;...``).

Every published variant is accepted: quoted or unquoted values, with or without a UTF-8 BOM,
trailing ``;;;`` padding, quoted empty cells, no metadata block, list totals only, no Postcode row,
``Datum`` as ``2022-03-16`` or ``16-03-2022``, and kieskring files whose columns are municipalities
(recognised by ``Gebied`` starting with ``Kieskring``/``Provincie``/``Nederland``, or by
``Gebiednummer`` values written as municipality codes such as ``0668``/``GM0668``).

Encoding decision: the Kiesraad publishes UTF-8. A file that is not valid UTF-8 (typically Latin-1
or Windows-1252 after re-saving in a spreadsheet) is **refused**, naming the line and byte: guessing
would silently turn ``ë`` into another letter in a party or candidate name, and names must match
the candidate lists exactly. Re-save the file as UTF-8 and import again. UTF-16 (a byte-order
mark FF FE / FE FF, or NULs between letters) is refused the same way, and so is a control character
anywhere (tab, CR and LF excepted: real station names hold tabs). A file separated by ``,`` or a tab
instead of ``;`` is refused saying so.

Numbers are ASCII digits only, 0 up to the largest PostgreSQL integer (list and candidate numbers from
1); text must fit its column; a list number, a candidate of a list or a count row (box) given twice is
refused naming both lines (it would overwrite the first).

The file's own ``Totaal`` column must equal the sum of its unit columns for every count, list and
candidate row (``opgeroepenen`` excepted: its per-station values are placeholders), else the file
is refused as inconsistent. Per-unit count rules are reported as warnings (see ``checks``), except
the two patterns of a file cut off at a row boundary (``_check_complete``): the list votes fall short
of the valid votes in the Totaal and in every column with votes, or the candidates of the last list
fall short of its Totaal. Such a file is refused: it must never become the current result.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from app.domain.errors import InvalidInput
from app.domain.ids import election_id as _check_election_id
from app.domain.ids import municipality_code
from etl.model import (
    FORMAT_OSV43,
    LEVEL_MUNICIPALITY,
    LEVEL_STATION,
    LEVEL_TOTAL,
    ParsedCandidate,
    ParsedCount,
    ParsedElection,
    ParsedList,
    ParsedStation,
    ParseResult,
    ParseWarning,
    election_kind_from_name,
    normalise_postcode,
)
from etl.parsers import checks, common
from etl.parsers.errors import ImportProblem

DEFAULT_MAX_BYTES = 200 * 1024 * 1024

# Count-row labels → ParsedCount field (or explanation key).
COUNT_ROWS: dict[str, str] = {
    "opgeroepenen": "electorate",
    "geldige stempas": "poll_card_count",
    "geldige stempassen": "poll_card_count",
    "geldig volmachtbewijs": "proxy_certificate_count",
    "geldige volmachtbewijzen": "proxy_certificate_count",
    "geldige kiezerspas": "voter_card_count",
    "geldige kiezerspassen": "voter_card_count",
    "toegelaten kiezers": "total_admitted_voters_count",
    "geldige stembiljetten": "valid_votes_count",
    "blanco stembiljetten": "blank_votes_count",
    "ongeldige stembiljetten": "invalid_votes_count",
    "aangetroffen stembiljetten": "total_votes_cast_count",
    "meer stembiljetten dan toegelaten kiezers": "more_ballots_count",
    "minder stembiljetten dan toegelaten kiezers": "fewer_ballots_count",
    "kiezers met stembiljet hebben niet gestemd": "x:ballots_taken_away",
    "er zijn te weinig stembiljetten uitgereikt": "x:too_few_ballots_issued",
    "er zijn te veel stembiljetten uitgereikt": "x:too_many_ballots_issued",
    "geen verklaring": "x:no_explanation",
    "andere verklaring": "x:other_explanation",
}
_META_KEYS = ("verkiezing", "datum", "gebied", "nummer")
_HEADER = ("lijstnummer", "aanduiding", "volgnummer", "naam kandidaat", "totaal")
_FIRST_UNIT = 5
_HIGHER_AREA_RE = re.compile(r"^\s*(kieskring|provincie|nederland|waterschap|hoofdstembureau)", re.I)
_MUNI_COL_RE = re.compile(r"^(?:GM|G)?0\d{3}$|^(?:GM|G)\d{4}$", re.ASCII)
_DMY_RE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$", re.ASCII)
_OTHER_SEPARATOR_RE = re.compile(r'^\s*"?(verkiezing|datum|gebied|nummer|lijstnummer)"?\s*([,\t|])', re.I)


def _decode(path: Path, raw: bytes) -> str:
    utf16 = common.utf16_problem(path, raw[:64])
    if utf16 is not None:
        raise utf16
    raw = common.without_bom(raw)
    head = raw[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")) or b"<html" in head:
        kind = "an XML file" if head.startswith(b"<?xml") and b"<html" not in head else "an HTML page"
        raise ImportProblem(
            path,
            "line 1",
            f"this is {kind}, not an osv4-3 CSV export (was a web page saved with a .csv name?)",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = raw[max(0, exc.start - 10) : exc.start + 10].decode("latin-1", "replace")
        raise ImportProblem(
            path,
            f"line {line}, byte column {column}",
            f"not UTF-8 (byte 0x{raw[exc.start]:02X} near {guess!r}; probably Latin-1 or Windows-1252): "
            "re-save the file as UTF-8 and import it again",
        ) from None
    control = common.control_character_problem(path, text)
    if control is not None:
        raise control
    return text


def other_separator(first_line: str) -> str | None:
    """``','`` (or tab, ``'|'``) when an osv4-3 file was saved with another separator than ``;``."""
    match = _OTHER_SEPARATOR_RE.match(first_line)
    if match is None or ";" in first_line:
        return None
    return {"\t": "a tab"}.get(match.group(2), repr(match.group(2)))


def separator_problem(path: Path, separator: str) -> ImportProblem:
    return ImportProblem(
        path,
        "line 1",
        f"an osv4-3 CSV export separated by {separator} instead of ';' (re-saved by a spreadsheet with "
        "another list separator?): export it again from the Kiesraad software, or save it with ';'",
    )


def _parse_date(path: Path, value: str, place: str) -> date:
    value = value.strip()
    try:
        if match := _DMY_RE.match(value):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ImportProblem(
            path, place, f"Datum {value!r} is not a date (expected 2022-03-16 or 16-03-2022)"
        ) from None


def _election(path: Path, meta: dict[str, tuple[str, int]]) -> ParsedElection | None:
    if "verkiezing" not in meta and "datum" not in meta:
        return None
    name, name_line = meta.get("verkiezing", ("", 0))
    common.text_value(
        path, f"line {name_line} (Verkiezing)", "Verkiezing", name, common.sizes().election_name
    )
    when = (
        _parse_date(path, *meta["datum"][:1], f"line {meta['datum'][1]} (Datum)") if "datum" in meta else None
    )
    kind = election_kind_from_name(name)
    year = when.year if when else (int(m.group(0)) if (m := re.search(r"\b(19|20)\d{2}\b", name)) else None)
    if kind is None or year is None:
        raise ImportProblem(path, f"line {name_line} (Verkiezing)", f"cannot tell which election {name!r} is")
    try:
        eid = _check_election_id(f"{kind}{year}")
    except InvalidInput:
        raise ImportProblem(path, f"line {name_line} (Verkiezing)", f"not an election: {name!r}") from None
    return ParsedElection(election_id=eid, kind=kind, name=name or None, date=when, raw_id=name or None)


def _cell_int(path: Path, text: str, line: int, col: int, label: str, unit: str, *, minimum: int = 0) -> int:
    """A cell holding a whole number (ASCII digits, ``minimum`` up to the largest PostgreSQL integer)."""
    place = f"line {line} ({label}), column {col + 1} ({unit})"
    if not text:
        raise ImportProblem(path, place, "an empty cell where a whole number is expected")
    try:
        return common.whole_number(path, place, "", text, minimum=minimum)
    except ImportProblem as problem:
        if problem.message.endswith("is not a whole number"):
            raise ImportProblem(path, place, f"{text!r} where a whole number is expected") from None
        raise


def _split_name(name: str) -> tuple[str | None, str | None, str | None]:
    """``"van Dreumel, C.G.H.M."`` → (prefix ``van``, last name ``Dreumel``, initials)."""
    surname, _, initials = name.partition(",")
    words = surname.split()
    prefix_words: list[str] = []
    while len(words) > 1 and words[0][:1].islower():
        prefix_words.append(words.pop(0))
    return (" ".join(prefix_words) or None, " ".join(words) or None, initials.strip() or None)


def _check_complete(
    path: Path,
    counts: list[ParsedCount],
    total: ParsedCount,
    lists: list[ParsedList],
    list_lines: dict[int, int],
    last_line: int,
) -> None:
    """Refuse a file that ends too early (cut off at a row boundary: every row it has is well formed).

    A station whose list votes do not add up is imported with a warning (F.202, F.402: paper leads);
    these two patterns are what a missing tail of the file looks like, not a station's arithmetic:

    * the votes per list fall short of the valid votes in the file's Totaal **and** at every column
      that has valid votes (list rows are missing);
    * in a candidate-level file, the candidates of the **last** list add up to less than its Totaal
      and to no more than its votes in any column (the file ends inside that list's candidates).
    """
    where = f"line {last_line}, the end of the file"
    valid_total = total.valid_votes_count
    if valid_total is not None and total.list_votes:
        list_sum = sum(total.list_votes.values())
        voted = [c for c in counts if c.valid_votes_count]
        if (
            list_sum < valid_total
            and voted
            and all(sum(c.list_votes.values()) < (c.valid_votes_count or 0) for c in voted)
        ):
            last = lists[-1].number
            raise ImportProblem(
                path,
                where,
                f"the file is incomplete (cut off?): the votes per list add up to {list_sum:,} in its "
                f"Totaal column, not the {valid_total:,} valid votes (geldige stembiljetten), and fall "
                f"short in all {len(voted)} columns with votes; the last list in the file is list {last} "
                f"(line {list_lines[last]}). Import the complete file",
            )
    if total.candidate_votes and lists:
        last = lists[-1].number
        list_total = total.list_votes.get(last, 0)
        cand_sum = sum(v for (ln, _), v in total.candidate_votes.items() if ln == last)

        def candidates_at(c: ParsedCount) -> int:
            return sum(v for (ln, _), v in c.candidate_votes.items() if ln == last)

        if cand_sum < list_total and all(candidates_at(c) <= c.list_votes.get(last, 0) for c in counts):
            raise ImportProblem(
                path,
                where,
                f"the file is incomplete (cut off?): it ends inside list {last} (line {list_lines[last]}), "
                f"whose candidates add up to {cand_sum:,} votes in the Totaal column, not the list's "
                f"{list_total:,}. Import the complete file",
            )


def parse_osv(
    path: str | os.PathLike[str],
    *,
    expected_municipality: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParseResult:
    """Parse an osv4-3 CSV file. ``expected_municipality`` fills in a file without metadata."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise ImportProblem(p, "", f"file is {size:,} bytes, more than the limit of {max_bytes:,} bytes")
        raw = p.read_bytes()
    except OSError as exc:
        raise ImportProblem(p, "", f"cannot read the file: {exc.strerror or exc}") from None
    sha = hashlib.sha256(raw).hexdigest()
    if not raw.strip(b'\xef\xbb\xbf \r\n\t;"'):
        raise ImportProblem(p, "", "file is empty")
    text = _decode(p, raw)
    if text.count(";") < 4:
        separator = other_separator(text.split("\n", 1)[0])
        if separator is not None:
            raise separator_problem(p, separator)
        raise ImportProblem(p, "line 1", "not an osv4-3 CSV export: no ';'-separated columns")
    sizes = common.sizes()

    meta: dict[str, tuple[str, int]] = {}
    header: list[str] | None = None
    n_units = 0
    unit_names: list[str] = []
    unit_keys: list[str] = []
    postcodes: list[str | None] = []
    boxes: list[dict[str, int]] = []
    explanations: list[dict[str, int]] = []
    list_votes: list[dict[int, int]] = []
    cand_votes: list[dict[tuple[int, int], int]] = []
    total_boxes: dict[str, int] = {}
    total_expl: dict[str, int] = {}
    total_lists: dict[int, int] = {}
    total_cands: dict[tuple[int, int], int] = {}
    lists: list[ParsedList] = []
    candidates: list[ParsedCandidate] = []
    warnings: list[ParseWarning] = []
    current_list: int | None = None
    seen_aangetroffen = False
    list_lines: dict[int, int] = {}  # list number → its line
    candidate_lines: dict[tuple[int, int], int] = {}
    count_lines: dict[str, tuple[int, str]] = {}  # field → (line, label) of the count row
    last_line = gebied_row_line = 0

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    try:
        for row in reader:
            line = reader.line_num
            last_line = line
            # drop trailing padding
            while row and row[-1] == "":
                row.pop()
            if not row:
                continue
            first = row[0].strip()
            key = first.lower()
            if header is None:
                if key in _META_KEYS:
                    value = next((c.strip() for c in row[1:] if c.strip()), "")
                    meta[key] = (value, line)
                    continue
                if key == "lijstnummer":
                    cells = [c.strip().lower() for c in row[:_FIRST_UNIT]]
                    if tuple(cells) != _HEADER:
                        raise ImportProblem(
                            p,
                            f"line {line}",
                            f"unexpected header {row[:_FIRST_UNIT]!r}; expected {list(_HEADER)!r}",
                        )
                    header = row
                    unit_names = [c.strip() for c in row[_FIRST_UNIT:]]
                    for j, unit_name in enumerate(unit_names):
                        common.text_value(
                            p,
                            f"line {line}, column {_FIRST_UNIT + j + 1}",
                            "the station name",
                            unit_name,
                            sizes.station_name,
                        )
                    n_units = len(unit_names)
                    if n_units == 0:
                        raise ImportProblem(
                            p, f"line {line}", "the header has no station or municipality columns"
                        )
                    postcodes = [None] * n_units
                    boxes = [{} for _ in range(n_units)]
                    explanations = [{} for _ in range(n_units)]
                    list_votes = [{} for _ in range(n_units)]
                    cand_votes = [{} for _ in range(n_units)]
                    continue
                raise ImportProblem(
                    p,
                    f"line {line}",
                    f"not an osv4-3 CSV export: expected the metadata block or the 'Lijstnummer' header, "
                    f"found {first[:40]!r}",
                )
            cells = row[_FIRST_UNIT : _FIRST_UNIT + n_units]
            if len(row) > _FIRST_UNIT + n_units and any(c.strip() for c in row[_FIRST_UNIT + n_units :]):
                raise ImportProblem(
                    p, f"line {line}", f"row has values beyond the {n_units} columns of the header"
                )
            if len(cells) < n_units:
                cells = cells + [""] * (n_units - len(cells))
            if key == "gebiednummer":
                gebied_row_line = line
                unit_keys = [c.strip() for c in cells]
                continue
            if key == "postcode":
                postcodes = [normalise_postcode(c) for c in cells]
                continue
            label = row[1].strip() if len(row) > 1 else ""
            total_text = row[4].strip() if len(row) > 4 else ""
            if first:
                # list row
                current_list = common.whole_number(
                    p, f"line {line}, column 1 (Lijstnummer)", "list number", first, minimum=1
                )
                if current_list in list_lines:
                    raise ImportProblem(
                        p,
                        f"line {line}, column 1 (Lijstnummer)",
                        f"list {current_list} appears twice (lines {list_lines[current_list]} and {line})",
                    )
                list_lines[current_list] = line
                common.text_value(
                    p, f"line {line}, column 2 (Aanduiding)", "the list name", label, sizes.list_name
                )
                lists.append(ParsedList(current_list, label))
                values = [
                    _cell_int(p, c.strip(), line, _FIRST_UNIT + j, f"list {current_list}", unit_names[j])
                    for j, c in enumerate(cells)
                ]
                for j, v in enumerate(values):
                    list_votes[j][current_list] = v
                total = _cell_int(p, total_text, line, 4, f"list {current_list}", "Totaal")
                total_lists[current_list] = total
                if total != sum(values):
                    raise ImportProblem(
                        p,
                        f"line {line} (list {current_list} {label!r}), column 5 (Totaal)",
                        f"inconsistent totals: Totaal is {total} but the columns add up to {sum(values)}",
                    )
                continue
            cand_text = row[2].strip() if len(row) > 2 else ""
            if not label and cand_text:
                if current_list is None:
                    raise ImportProblem(p, f"line {line}", "a candidate row comes before any list row")
                cand = _cell_int(p, cand_text, line, 2, f"list {current_list}", "Volgnummer", minimum=1)
                if (current_list, cand) in candidate_lines:
                    raise ImportProblem(
                        p,
                        f"line {line}, column 3 (Volgnummer)",
                        f"candidate {cand} of list {current_list} appears twice "
                        f"(lines {candidate_lines[(current_list, cand)]} and {line})",
                    )
                candidate_lines[(current_list, cand)] = line
                name = row[3].strip() if len(row) > 3 else ""
                common.text_value(
                    p,
                    f"line {line}, column 4 (Naam kandidaat)",
                    "the candidate name",
                    name,
                    sizes.candidate_name,
                )
                prefix, last, initials = _split_name(name)
                candidates.append(ParsedCandidate(current_list, cand, name, initials, None, prefix, last))
                values = [
                    _cell_int(
                        p,
                        c.strip(),
                        line,
                        _FIRST_UNIT + j,
                        f"list {current_list} candidate {cand}",
                        unit_names[j],
                    )
                    for j, c in enumerate(cells)
                ]
                k = (current_list, cand)
                for j, v in enumerate(values):
                    cand_votes[j][k] = v
                total = _cell_int(p, total_text, line, 4, f"list {current_list} candidate {cand}", "Totaal")
                total_cands[k] = total
                if total != sum(values):
                    raise ImportProblem(
                        p,
                        f"line {line} (list {current_list} candidate {cand} {name!r}), column 5 (Totaal)",
                        f"inconsistent totals: Totaal is {total} but the columns add up to {sum(values)}",
                    )
                continue
            field_name = COUNT_ROWS.get(label.lower())
            if field_name is None:
                if label:
                    warnings.append(ParseWarning(None, f"unknown row {label!r} ignored", f"line {line}"))
                continue
            if field_name in count_lines:
                first_line, first_label = count_lines[field_name]
                raise ImportProblem(
                    p,
                    f"line {line} ({label})",
                    f"the count row {label!r} gives the same box as {first_label!r} on line {first_line}: "
                    "a box appears once",
                )
            count_lines[field_name] = (line, label)
            if field_name == "total_votes_cast_count":
                seen_aangetroffen = True
            parsed = [
                None
                if not c.strip()
                else _cell_int(p, c.strip(), line, _FIRST_UNIT + j, label, unit_names[j])
                for j, c in enumerate(cells)
            ]
            given: int | None = None if not total_text else _cell_int(p, total_text, line, 4, label, "Totaal")
            target_key = field_name[2:] if field_name.startswith("x:") else field_name
            for j, cell in enumerate(parsed):
                if cell is not None:
                    (explanations[j] if field_name.startswith("x:") else boxes[j])[target_key] = cell
            if given is not None:
                (total_expl if field_name.startswith("x:") else total_boxes)[target_key] = given
                if field_name != "electorate" and None not in parsed and given != sum(parsed):  # type: ignore[arg-type]
                    raise ImportProblem(
                        p,
                        f"line {line} ({label}), column 5 (Totaal)",
                        f"inconsistent totals: Totaal is {given} but the columns add up to {sum(parsed)}",  # type: ignore[arg-type]
                    )
    except csv.Error as exc:
        raise ImportProblem(p, f"line {reader.line_num}", f"malformed CSV: {exc}") from None

    if header is None:
        raise ImportProblem(
            p, "", "not an osv4-3 CSV export: no 'Lijstnummer;Aanduiding;...' header row found"
        )
    if not unit_keys:
        raise ImportProblem(p, "", "no 'Gebiednummer' row (station numbers) after the header")
    if not lists:
        raise ImportProblem(p, "", "no list rows found: the file holds no votes")

    election = _election(p, meta)
    area, _ = meta.get("gebied", ("", 0))
    number, number_line = meta.get("nummer", ("", 0))
    higher = bool(_HIGHER_AREA_RE.match(area)) or (
        not area and all(_MUNI_COL_RE.match(k) for k in unit_keys if k)
    )
    muni: str | None = None
    muni_name: str | None = None
    contest_id: str | None = None
    if higher:
        contest_id = number or None
    elif number:
        try:
            muni = municipality_code(number)
        except InvalidInput:
            raise ImportProblem(
                p, f"line {number_line} (Nummer)", f"not a municipality code: {number!r}"
            ) from None
        muni_name = re.sub(r"^\s*gemeente\s+", "", area, flags=re.I) or None
        gebied_line = meta.get("gebied", ("", 0))[1]
        common.text_value(p, f"line {gebied_line} (Gebied)", "Gebied", muni_name, sizes.municipality_name)
    elif expected_municipality:
        muni = municipality_code(expected_municipality)
        warnings.append(ParseWarning(None, f"no metadata block: municipality taken as {muni}", "line 1"))

    if election is not None and election.kind == "GR" and muni:
        election = replace(election, domain_code=muni, domain_name=muni_name)
    counts: list[ParsedCount] = []
    stations: list[ParsedStation] = []
    station_number: int | None
    unit_muni: str | None
    for j in range(n_units):
        unit = unit_keys[j] if j < len(unit_keys) else ""
        place = f"column {_FIRST_UNIT + j + 1} ({unit_names[j]})"
        if higher:
            try:
                code = municipality_code(unit)
            except InvalidInput:
                raise ImportProblem(
                    p,
                    f"line {gebied_row_line} (Gebiednummer), {place}",
                    f"{unit!r} is not a municipality code",
                ) from None
            level, station_number, unit_muni = LEVEL_MUNICIPALITY, None, code
        else:
            station_number = common.whole_number(
                p, f"line {gebied_row_line} (Gebiednummer), {place}", "station number", unit
            )
            level, unit_muni = LEVEL_STATION, muni
            stations.append(ParsedStation(muni, station_number, unit_names[j], postcodes[j]))
        b = boxes[j]
        if not seen_aangetroffen and None not in (
            b.get("valid_votes_count"),
            b.get("blank_votes_count"),
            b.get("invalid_votes_count"),
        ):
            b["total_votes_cast_count"] = (
                b["valid_votes_count"] + b["blank_votes_count"] + b["invalid_votes_count"]
            )
            common.check_value(p, place, "votes cast (valid + blank + invalid)", b["total_votes_cast_count"])
        counts.append(
            ParsedCount(
                level=level,
                unit_id=unit,
                name=unit_names[j],
                municipality_code=unit_muni,
                station_number=station_number,
                postcode=postcodes[j],
                explanations=explanations[j],
                list_votes=list_votes[j],
                candidate_votes=cand_votes[j],
                **b,
            )
        )
    if not seen_aangetroffen and None not in (
        total_boxes.get("valid_votes_count"),
        total_boxes.get("blank_votes_count"),
        total_boxes.get("invalid_votes_count"),
    ):
        total_boxes["total_votes_cast_count"] = (
            total_boxes["valid_votes_count"]
            + total_boxes["blank_votes_count"]
            + total_boxes["invalid_votes_count"]
        )
        common.check_value(
            p,
            "column 5 (Totaal)",
            "votes cast (valid + blank + invalid)",
            total_boxes["total_votes_cast_count"],
        )
    total_count = ParsedCount(
        level=LEVEL_TOTAL if higher else LEVEL_MUNICIPALITY,
        unit_id="Totaal",
        name=area or None,
        municipality_code=muni,
        station_number=None,
        explanations=total_expl,
        list_votes=total_lists,
        candidate_votes=total_cands,
        **total_boxes,  # type: ignore[arg-type]
    )
    _check_complete(p, counts, total_count, lists, list_lines, last_line)
    warnings.extend(checks.check_counts(counts, h_given=seen_aangetroffen))
    seen_numbers: set[str] = set()
    for c in counts:
        if c.unit_id in seen_numbers:
            warnings.append(
                ParseWarning(None, f"Gebiednummer {c.unit_id} appears more than once", c.name or "")
            )
        seen_numbers.add(c.unit_id)
    return ParseResult(
        format=FORMAT_OSV43,
        source=str(p),
        sha256=sha,
        size=len(raw),
        election=election,
        municipality_code=muni,
        municipality_name=muni_name,
        contest_id=contest_id,
        stations=tuple(stations),
        lists=tuple(lists),
        candidates=tuple(candidates),
        counts=tuple(counts),
        total=total_count,
        warnings=tuple(warnings),
    )
