"""Station lists in the "Waar is mijn stemlokaal" open-data standard (v1.7), and the 2023 lists.

* **WIMS CSV**: one row per station (per location/time row for a *mobiel* station), columns named
  after the standard's attributes (``Nummer stembureau``, ``Naam stembureau``, ``Type
  stembureau``, ``BAG Nummeraanduiding ID``, ``X``, ``Y``, ``Latitude``, ``Longitude``,
  ``Openingstijd``, ...), optionally with ``Gemeente``/``CBS gemeentecode`` and address columns.
  Separator ``,`` or ``;`` (sniffed).
* **WIMS XLSX**: the upload template. Sheet ``Attributen`` has one attribute per *row* and one
  station per ``Invulveld N`` *column*; the ``Metadata`` sheet's ID (``NLODSGM0518stembureaus…``)
  names the municipality. A sheet with attributes as a header row is read too. Read with
  openpyxl in read-only mode.
* **Stemlokalen 2023** (``stemlokalen_tk2023.csv``, ``stemlokalen_ps_ws2023.csv``): national lists
  of voting *locations* with the same attribute names but **no station number**
  (``ParsedStation.number`` is ``None``; link by municipality and postcode, then name).

Unknown attributes are kept in ``ParsedStation.extra``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

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
    stations: list[ParsedStation] = []
    try:
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            values = {header[i]: row[i].strip() for i in range(min(len(header), len(row))) if header[i]}
            stations.append(_station(p, values, f"line {reader.line_num}", default_muni, numbered))
    except csv.Error as exc:
        raise ImportProblem(p, f"line {reader.line_num}", f"malformed CSV: {exc}") from None
    munis = {s.municipality_code for s in stations}
    return ParseResult(
        format=fmt,
        source=str(p),
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        municipality_code=next(iter(munis)) if len(munis) == 1 else None,
        stations=tuple(stations),
        warnings=() if stations else (ParseWarning(None, "the file lists no stations", "line 2"),),
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


def parse_wims_xlsx(
    path: str | os.PathLike[str],
    *,
    expected_municipality: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParseResult:
    """The WIMS upload template (attributes as rows, stations as ``Invulveld`` columns)."""
    import openpyxl  # local import: only this format needs it

    p = Path(path)
    raw = _read(p, max_bytes)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise ImportProblem(p, "", f"not a readable .xlsx workbook: {exc}") from None
    try:
        sheet_name = next((n for n in wb.sheetnames if n.lower() == "attributen"), wb.sheetnames[0])
        ws = wb[sheet_name]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        muni = municipality_code(expected_municipality) if expected_municipality else None
        election: ParsedElection | None = None
        if "Metadata" in wb.sheetnames:
            title = ""
            ods_date = None
            for r in wb["Metadata"].iter_rows(values_only=True):
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
    finally:
        wb.close()
    stations: list[ParsedStation] = []
    labels = [_clean(r[0]) if r else "" for r in rows]
    lowered = [label.lower() for label in labels]
    if "naam stembureau" in lowered:
        # Transposed template: row = attribute, column = station (from column F, 'Invulveld 1').
        header = rows[0] if rows else []
        first_col = next((i for i, h in enumerate(header) if _clean(h).lower().startswith("invulveld")), 5)
        width = max(len(r) for r in rows)
        from openpyxl.utils import get_column_letter

        for col in range(first_col, width):
            values = {
                labels[i]: _clean(rows[i][col]) if col < len(rows[i]) else ""
                for i in range(1, len(rows))
                if labels[i]
            }
            if not any(
                values.get(k) for k in values if k.lower() in ("nummer stembureau", "naam stembureau")
            ):
                continue
            place = f"sheet {sheet_name}, column {get_column_letter(col + 1)}"
            stations.append(_station(p, values, place, muni, True))
    else:
        header_row = next(
            (i for i, r in enumerate(rows) if any(_clean(c).lower() == "naam stembureau" for c in r)), None
        )
        if header_row is None:
            raise ImportProblem(
                p, f"sheet {sheet_name}", "not a station list: no 'Naam stembureau' attribute"
            )
        header = [_clean(h) for h in rows[header_row]]
        for i in range(header_row + 1, len(rows)):
            r = rows[i]
            if not any(_clean(c) for c in r):
                continue
            values = {header[k]: _clean(r[k]) for k in range(min(len(header), len(r))) if header[k]}
            stations.append(_station(p, values, f"sheet {sheet_name}, row {i + 1}", muni, True))
    return ParseResult(
        format=FORMAT_WIMS_XLSX,
        source=str(p),
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        election=election,
        municipality_code=muni,
        stations=tuple(stations),
        warnings=()
        if stations
        else (ParseWarning(None, "the template lists no stations", f"sheet {sheet_name}"),),
    )
