"""Station lists in the "Waar is mijn stemlokaal" open-data standard (v1.7), and the 2023 lists.

* **WIMS CSV**: one row per station (per location/time row for a *mobiel* station), columns named
  after the standard's attributes (``Nummer stembureau``, ``Naam stembureau``, ``Type
  stembureau``, ``BAG Nummeraanduiding ID``, ``X``, ``Y``, ``Latitude``, ``Longitude``,
  ``Openingstijd``, ...), optionally with ``Gemeente``/``CBS gemeentecode`` and address columns.
  Separator ``,`` or ``;`` (sniffed).
* **WIMS XLSX**: the upload template. Sheet ``Attributen`` has one attribute per *row* and one
  station per ``Invulveld N`` *column*; the ``Metadata`` sheet's ID (``NLODSGM0518stembureaus…``)
  names the municipality. A sheet with attributes as a header row is read too. Read with
  openpyxl in read-only mode, row by row, after the zip itself is checked: an .xlsx that unpacks to
  more than ``MAX_XLSX_UNPACKED`` bytes, or a part compressed more than ``MAX_XLSX_RATIO`` : 1 (a
  zip bomb: 0.6 MB that unpacks to 145 MB of sheet), is refused before openpyxl sees it; a sheet
  with more than ``MAX_SHEET_ROWS`` rows or ``MAX_SHEET_COLUMNS`` columns is refused while it is read.
* **Stemlokalen 2023** (``stemlokalen_tk2023.csv``, ``stemlokalen_ps_ws2023.csv``): national lists
  of voting *locations* with the same attribute names but **no station number**
  (``ParsedStation.number`` is ``None``; link by municipality and postcode, then name).

Unknown attributes are kept in ``ParsedStation.extra``.

The opening hours of a numbered list (WIMS CSV/XLSX) are checked against the Kieswet (J 1, J 4a:
``app.domain.stations``) per station, over all its rows (a *mobiel* station, or a station closed for a
while, has one row per location/time): hours that cannot be used (closing not after opening, after
21:00, on another day, rows of one number that overlap in time, as two stations numbered alike do)
refuse the file at the row and field concerned; hours that do not fit the
station's type (a ``regulier`` station not open 07:30–21:00, a ``bijzonder`` one open less than 8
consecutive hours) are warnings: the file is imported as it says. The 2023 national lists are not
checked (they are read for the analysis, never imported).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain import stations as station_rules
from app.domain.errors import InvalidInput
from app.domain.ids import municipality_code
from etl.model import (
    FORMAT_STEMLOKALEN_2023,
    FORMAT_WIMS_CSV,
    FORMAT_WIMS_XLSX,
    ParsedElection,
    ParsedStation,
    ParseResult,
    ParseWarning,
)
from etl.parsers.errors import ImportProblem

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
#: An .xlsx whose parts together unpack to more bytes than this is refused (the v1.7 template with
#: 1,019 stations filled in is a few MB).
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
#: A part of an .xlsx (of at least ``_RATIO_FROM`` bytes) compressed more than this : 1 is refused.
MAX_XLSX_RATIO = 100
_RATIO_FROM = 1024 * 1024
#: Stations as rows: a municipality has at most a few hundred stations.
MAX_SHEET_ROWS = 100_000
#: Stations as columns: the template itself is 1,024 columns wide (5 + 'Invulveld 1' … 'Invulveld 1019').
MAX_SHEET_COLUMNS = 2_000
#: Attributes as rows (the standard has 31), and how far down the 'Naam stembureau' row may be.
MAX_ATTRIBUTE_ROWS = 1_000

# Attribute name (lower case) → ParsedStation field.
ATTRIBUTES: dict[str, str] = {
    "nummer stembureau": "number",
    "naam stembureau": "name",
    "type stembureau": "station_type",
    "website locatie": "website",
    "bag nummeraanduiding id": "bag_id",
    "extra adresaanduiding": "extra_address",
    "x": "rd_x",
    "y": "rd_y",
    "latitude": "latitude",
    "longitude": "longitude",
    "openingstijd": "opens_at",
    "sluitingstijd": "closes_at",
    "toegankelijk voor mensen met een lichamelijke beperking": "accessible",
    "straatnaam": "street",
    "huisnummer": "house_number",
    "huisletter": "house_letter",
    "huisnummertoevoeging": "house_number_suffix",
    "postcode": "postcode",
    "plaats": "locality",
    "cbs gemeentecode": "municipality_code",
}
_FLOATS = {"rd_x", "rd_y", "latitude", "longitude"}
_ODS_ID_RE = re.compile(r"NLODS(GM\d{4})stembureaus(\d{8})", re.I)
_TITLE_KINDS = (
    ("gemeenteraad", "GR"),
    ("tweede kamer", "TK"),
    ("provinciale staten", "PS"),
    ("europese parlement", "EP"),
    ("waterschap", "WS"),
)


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()


def _station(
    path: Path,
    values: dict[str, str],
    place: str,
    default_muni: str | None,
    require_number: bool,
) -> ParsedStation:
    fields: dict[str, Any] = {}
    extra: list[tuple[str, str]] = []
    for attr, text in values.items():
        target = ATTRIBUTES.get(attr.lower())
        if target is None:
            if text:
                extra.append((attr, text))
            continue
        if not text:
            continue
        where = f"{place}, {attr}"
        try:
            if target == "number":
                fields[target] = int(float(text)) if re.fullmatch(r"\d+(\.0+)?", text) else int(text)
            elif target in _FLOATS:
                fields[target] = float(text.replace(",", "."))
            elif target in ("opens_at", "closes_at"):
                fields[target] = datetime.fromisoformat(text)
            elif target == "accessible":
                fields[target] = text.lower().startswith("ja") if text.lower()[:2] in ("ja", "ne") else None
            elif target == "municipality_code":
                fields[target] = municipality_code(text)
            elif target == "house_number":
                fields[target] = text[:-2] if text.endswith(".0") else text
            elif target == "postcode":
                fields[target] = text.replace(" ", "").upper()
            elif target == "station_type":
                fields[target] = text.lower()
            else:
                fields[target] = text
        except (ValueError, InvalidInput):
            raise ImportProblem(path, where, f"{text!r} is not a valid {attr}") from None
    if not fields.get("name"):
        raise ImportProblem(path, place, "station without 'Naam stembureau'")
    if require_number and fields.get("number") is None:
        raise ImportProblem(path, place, "station without 'Nummer stembureau'")
    fields.setdefault("municipality_code", default_muni)
    fields.setdefault("number", None)
    return ParsedStation(extra=tuple(extra), **fields)


def _read(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportProblem(
                path, "", f"file is {size:,} bytes, more than the limit of {max_bytes:,} bytes"
            )
        return path.read_bytes()
    except OSError as exc:
        raise ImportProblem(path, "", f"cannot read the file: {exc.strerror or exc}") from None


def parse_wims_csv(
    path: str | os.PathLike[str],
    *,
    expected_municipality: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParseResult:
    """A WIMS CSV, or a 2023 national location list (no station numbers)."""
    p = Path(path)
    raw = _read(p, max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ImportProblem(
            p, f"line {line}", "not UTF-8: re-save the file as UTF-8 and import it again"
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ImportProblem(p, "", "file is empty") from None
    lowered = [h.lower() for h in header]
    if "naam stembureau" not in lowered:
        raise ImportProblem(p, "line 1", "not a station list: no 'Naam stembureau' column")
    numbered = "nummer stembureau" in lowered
    fmt = FORMAT_WIMS_CSV if numbered else FORMAT_STEMLOKALEN_2023
    default_muni = municipality_code(expected_municipality) if expected_municipality else None
    rows: list[tuple[ParsedStation, str]] = []
    try:
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            values = {header[i]: row[i].strip() for i in range(min(len(header), len(row))) if header[i]}
            place = f"line {reader.line_num}"
            rows.append((_station(p, values, place, default_muni, numbered), place))
    except csv.Error as exc:
        raise ImportProblem(p, f"line {reader.line_num}", f"malformed CSV: {exc}") from None
    stations = [s for s, _ in rows]
    hours = check_hours(p, rows) if numbered else []
    munis = {s.municipality_code for s in stations}
    return ParseResult(
        format=fmt,
        source=str(p),
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        municipality_code=next(iter(munis)) if len(munis) == 1 else None,
        stations=tuple(stations),
        warnings=tuple(hours) if stations else (ParseWarning(None, "the file lists no stations", "line 2"),),
    )


def _election_from_title(title: str, ods_date: str | None) -> ParsedElection | None:
    lowered = title.lower()
    kind = next((k for needle, k in _TITLE_KINDS if needle in lowered), None)
    year = re.search(r"\b(20\d{2})\b", title)
    if not kind or not year:
        return None
    when = None
    if ods_date:
        when = datetime.strptime(ods_date, "%Y%m%d").date()
    return ParsedElection(election_id=f"{kind}{year.group(1)}", kind=kind, name=title, date=when)


def _check_zip(path: Path, raw: bytes) -> None:
    """Refuse a zip bomb before openpyxl unpacks anything (zipfile never unpacks a part beyond the
    size its directory declares, so the declared sizes are the ones to check)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ImportProblem(path, "", f"not a readable .xlsx workbook: {exc}") from None
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_XLSX_UNPACKED:
        raise ImportProblem(
            path,
            "",
            f"the workbook unpacks to {unpacked:,} bytes, more than the limit of "
            f"{MAX_XLSX_UNPACKED:,} bytes; refused",
        )
    for part in parts:
        if part.file_size >= _RATIO_FROM and part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1):
            ratio = part.file_size // max(part.compress_size, 1)
            raise ImportProblem(
                path,
                part.filename,
                f"compressed {ratio:,} : 1 ({part.compress_size:,} bytes unpack to {part.file_size:,}), "
                f"more than the limit of {MAX_XLSX_RATIO} : 1 for a workbook; refused",
            )


def _sheet_rows(path: Path, ws: Any, sheet_name: str, max_rows: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) for every row of ``ws``, up to ``max_rows`` rows and ``MAX_SHEET_COLUMNS``
    columns; more of either is an ``ImportProblem``. Each row is as wide as its last cell: the
    declared dimension is ignored (openpyxl would pad every row to it, 16,384 columns if it says so)."""
    ws.reset_dimensions()
    for number, row in enumerate(ws.iter_rows(max_row=max_rows + 1, values_only=True), start=1):
        if number > max_rows:
            raise ImportProblem(
                path, f"sheet {sheet_name}", f"more than {max_rows:,} rows; not a station list"
            )
        if len(row) > MAX_SHEET_COLUMNS:
            if row[MAX_SHEET_COLUMNS:].count(None) < len(row) - MAX_SHEET_COLUMNS:
                raise ImportProblem(
                    path,
                    f"sheet {sheet_name}, row {number}",
                    f"more than {MAX_SHEET_COLUMNS:,} columns; not a station list",
                )
            row = row[:MAX_SHEET_COLUMNS]
        yield number, tuple(row)


def _is_naam(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() == "naam stembureau"


def parse_wims_xlsx(
    path: str | os.PathLike[str],
    *,
    expected_municipality: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParseResult:
    """The WIMS upload template (attributes as rows, stations as ``Invulveld`` columns), or a sheet
    with the attributes as a header row (stations as rows, read one by one)."""
    import openpyxl  # local import: only this format needs it

    p = Path(path)
    raw = _read(p, max_bytes)
    _check_zip(p, raw)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise ImportProblem(p, "", f"not a readable .xlsx workbook: {exc}") from None
    muni = municipality_code(expected_municipality) if expected_municipality else None
    sheet_name = ""
    try:
        election: ParsedElection | None = None
        if "Metadata" in wb.sheetnames:
            title = ""
            ods_date = None
            for _, r in _sheet_rows(p, wb["Metadata"], "Metadata", MAX_ATTRIBUTE_ROWS):
                label = _clean(r[0]).lower() if r else ""
                cells = [_clean(c) for c in r[5:]] if len(r) > 5 else []
                filled = next((c for c in cells if c), "")
                if label == "id" and (m := _ODS_ID_RE.search(filled)):
                    muni = muni or m.group(1).upper()
                    ods_date = m.group(2)
                    if expected_municipality and m.group(1).upper() != muni:
                        raise ImportProblem(
                            p, "Metadata!ID", f"the file is for {m.group(1).upper()}, not {muni}"
                        )
                elif label == "titel" and filled:
                    title = filled
            if title:
                election = _election_from_title(title, ods_date)
        sheet_name = next((n for n in wb.sheetnames if n.lower() == "attributen"), wb.sheetnames[0])
        rows = _stations_from_sheet(p, wb[sheet_name], sheet_name, muni)
    except ImportProblem:
        raise
    except Exception as exc:  # a damaged part found while reading (bad XML, CRC error)
        where = f"sheet {sheet_name}" if sheet_name else ""
        raise ImportProblem(p, where, f"not a readable .xlsx workbook: {exc}") from None
    finally:
        wb.close()
    stations = [s for s, _ in rows]
    hours = check_hours(p, rows)
    return ParseResult(
        format=FORMAT_WIMS_XLSX,
        source=str(p),
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        election=election,
        municipality_code=muni,
        stations=tuple(stations),
        warnings=tuple(hours)
        if stations
        else (ParseWarning(None, "the template lists no stations", f"sheet {sheet_name}"),),
    )


def _stations_from_sheet(
    path: Path, ws: Any, sheet_name: str, muni: str | None
) -> list[tuple[ParsedStation, str]]:
    """The stations of the sheet, each with its place (``sheet Attributen, column F``)."""
    from openpyxl.utils import get_column_letter

    rows = _sheet_rows(path, ws, sheet_name, MAX_SHEET_ROWS)
    # The rows down to the first one that names 'Naam stembureau' (kept: the template's attribute rows).
    head: list[tuple[Any, ...]] = []  # row number - 1 -> values (openpyxl yields empty rows for gaps)
    marker: tuple[Any, ...] | None = None
    for number, r in rows:
        head.append(r)
        if any(_is_naam(c) for c in r):
            marker = r
            break
        if number >= MAX_ATTRIBUTE_ROWS:
            raise ImportProblem(
                path,
                f"sheet {sheet_name}",
                "not a station list: no 'Naam stembureau' attribute in the first "
                f"{MAX_ATTRIBUTE_ROWS:,} rows",
            )
    if marker is None:
        raise ImportProblem(path, f"sheet {sheet_name}", "not a station list: no 'Naam stembureau' attribute")
    stations: list[tuple[ParsedStation, str]] = []
    if _is_naam(marker[0]):
        # Transposed template: row = attribute, column = station (from column F, 'Invulveld 1').
        for number, r in rows:
            if number > MAX_ATTRIBUTE_ROWS:
                raise ImportProblem(
                    path,
                    f"sheet {sheet_name}",
                    f"more than {MAX_ATTRIBUTE_ROWS:,} attribute rows; not a station list",
                )
            head.append(r)
        labels = [_clean(r[0]) if r else "" for r in head]
        header = head[0] if head else ()
        first_col = next((i for i, h in enumerate(header) if _clean(h).lower().startswith("invulveld")), 5)
        width = max(len(r) for r in head)
        for col in range(first_col, width):
            values = {
                labels[i]: _clean(head[i][col]) if col < len(head[i]) else ""
                for i in range(1, len(head))
                if labels[i]
            }
            if not any(
                values.get(k) for k in values if k.lower() in ("nummer stembureau", "naam stembureau")
            ):
                continue
            place = f"sheet {sheet_name}, column {get_column_letter(col + 1)}"
            stations.append((_station(path, values, place, muni, True), place))
    else:
        # Attributes as a header row: one station per row, read one at a time.
        columns = [_clean(h) for h in marker]
        for number, r in rows:
            if not any(_clean(c) for c in r):
                continue
            values = {columns[k]: _clean(r[k]) for k in range(min(len(columns), len(r))) if columns[k]}
            place = f"sheet {sheet_name}, row {number}"
            stations.append((_station(path, values, place, muni, True), place))
    return stations


_TIME_ATTRIBUTES = {"opens_at": "Openingstijd", "closes_at": "Sluitingstijd"}


def check_hours(path: Path, rows: Sequence[tuple[ParsedStation, str]]) -> list[ParseWarning]:
    """Check the opening hours of a numbered station list, station by station over all its rows
    (``app.domain.stations``). Hours that cannot be used raise an ``ImportProblem`` naming the row and
    field; hours that do not fit the station's type come back as warnings (code, text, row and field)."""
    # a list may hold several municipalities, each numbering its own stations
    groups: dict[tuple[str | None, int | None], list[tuple[ParsedStation, str]]] = {}
    for station, place in rows:
        if (station.opens_at is None) != (station.closes_at is None):
            missing = "Sluitingstijd" if station.closes_at is None else "Openingstijd"
            raise ImportProblem(
                path,
                f"{place}, {missing}",
                f"station {station.number}: 'Openingstijd' and 'Sluitingstijd' go together: give both",
            )
        groups.setdefault((station.municipality_code, station.number), []).append((station, place))
    warnings: list[ParseWarning] = []
    for (_municipality, number), members in groups.items():
        where = f"station {number} ({', '.join(place for _, place in members)})"
        types = sorted({s.station_type for s, _ in members if s.station_type})
        if len(types) > 1:
            raise ImportProblem(
                path,
                f"{where}, Type stembureau",
                f"the rows of station {number} do not agree on its type ({', '.join(types)})",
            )
        kind = types[0] if types and types[0] in station_rules.STATION_TYPES else None
        untimed = [place for s, place in members if s.opens_at is None]
        if untimed:
            if len(members) > 1 or kind == station_rules.MOBIEL:
                raise ImportProblem(
                    path,
                    f"{untimed[0]}, Openingstijd",
                    f"station {number} is at several locations or times: each row needs its "
                    "'Openingstijd' and 'Sluitingstijd'",
                )
            continue  # one row without hours: the station keeps the hours it has (07:30–21:00)
        periods = []
        for s, place in members:
            if s.opens_at is None or s.closes_at is None:
                continue  # (not reached: refused or skipped above)
            if s.closes_at.date() != s.opens_at.date():
                raise ImportProblem(
                    path,
                    f"{place}, Sluitingstijd",
                    f"station {number} closes on {s.closes_at:%Y-%m-%d} but opens on {s.opens_at:%Y-%m-%d}: "
                    "a station closes on the day it opens, at 21:00 at the latest",
                )
            periods.append((s.opens_at.time(), s.closes_at.time()))
        days = sorted({s.opens_at.date() for s, _ in members if s.opens_at is not None})
        if len(days) > 1:
            raise ImportProblem(
                path,
                f"{where}, Openingstijd",
                f"the rows of station {number} are on different days ({', '.join(map(str, days))}): "
                "a station open on several days has a number per day",
            )
        for problem in station_rules.check_station_periods(kind, periods):
            attribute = _TIME_ATTRIBUTES[problem.field]
            place = members[problem.row][1] if problem.row is not None else where
            message = f"station {number}: {problem.text_en}"
            if problem.is_error:
                raise ImportProblem(path, f"{place}, {attribute}", message)
            warnings.append(ParseWarning(problem.code, message, f"{place}, {attribute}"))
    return warnings
