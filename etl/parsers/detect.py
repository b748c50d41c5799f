"""Which format is this file, and parse it.

``detect_format`` looks at the content, not only the name: the first bytes tell XML from CSV from
XLSX (a zip) from an HTML page saved as ``.csv``; for XML the EML document id decides, for CSV the
header row does.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from app.domain.errors import InvalidInput
from app.domain.ids import election_id as _check_election_id
from app.domain.ids import municipality_code
from etl.model import (
    FORMAT_EML_110A,
    FORMAT_EML_110B,
    FORMAT_EML_230B,
    FORMAT_EML_510,
    FORMAT_OSV43,
    FORMAT_STEMLOKALEN_2023,
    FORMAT_WIMS_CSV,
    FORMAT_WIMS_XLSX,
    ParseResult,
)
from etl.parsers import common, eml, osv, wims
from etl.parsers.errors import ImportProblem

SNIFF_BYTES = 64 * 1024
_EML_FORMATS = {
    "110a": FORMAT_EML_110A,
    "110b": FORMAT_EML_110B,
    "230b": FORMAT_EML_230B,
    "510a": FORMAT_EML_510,
    "510b": FORMAT_EML_510,
    "510c": FORMAT_EML_510,
    "510d": FORMAT_EML_510,
}
_OSV_START_RE = re.compile(r'^\s*"?(verkiezing|datum|gebied|nummer|lijstnummer)"?\s*;', re.I)


def detect_format(path: str | os.PathLike[str]) -> str:
    """One of the ``FORMAT_*`` names in ``etl.model``; ``ImportProblem`` when none fits."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise ImportProblem(p, "", f"cannot read the file: {exc.strerror or exc}") from None
    utf16 = common.utf16_problem(p, head)
    if utf16 is not None:
        raise utf16
    if not common.without_bom(head).strip():
        raise ImportProblem(p, "", "file is empty")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(p) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            raise ImportProblem(p, "", "a damaged zip/xlsx file") from None
        if "xl/workbook.xml" in names:
            return FORMAT_WIMS_XLSX
        raise ImportProblem(p, "", "a zip archive, not a single election file (unpack it first)")
    body = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    lowered = body[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        raise ImportProblem(
            p, "line 1", "this is an HTML page, not an election file (a web page saved as a file?)"
        )
    if body.startswith(b"<"):
        return _EML_FORMATS[eml.read_eml_id(p)]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut off at the sniff boundary is fine; anything else is not UTF-8.
        if exc.start < len(body) - 4:
            text = body.decode("latin-1")
        else:
            text = body[: exc.start].decode("utf-8")
    first_line = text.split("\n", 1)[0]
    if _OSV_START_RE.match(first_line):
        return FORMAT_OSV43
    separator = osv.other_separator(first_line)
    if separator is not None:
        raise osv.separator_problem(p, separator)
    header = first_line.lower()
    if "naam stembureau" in header:
        return FORMAT_WIMS_CSV if "nummer stembureau" in header else FORMAT_STEMLOKALEN_2023
    raise ImportProblem(
        p,
        "line 1",
        "unknown file format: not EML_NL XML, not an osv4-3 CSV, not a station list "
        f"(starts with {first_line[:60]!r})",
    )


def parse_file(
    path: str | os.PathLike[str],
    *,
    expected_municipality: str | None = None,
    expected_election: str | None = None,
    expected_format: str | None = None,
) -> ParseResult:
    """Detect the format, parse, and check the file is for the municipality/election asked.

    ``expected_format`` is a ``FORMAT_*`` name, or an EML id prefix such as ``"510"``.
    """
    p = Path(path)
    want_muni = None
    if expected_municipality:
        try:
            want_muni = municipality_code(expected_municipality)
        except InvalidInput:
            raise ImportProblem(p, "", f"not a municipality code: {expected_municipality!r}") from None
    want_election = None
    if expected_election:
        try:
            want_election = _check_election_id(expected_election)
        except InvalidInput:
            raise ImportProblem(p, "", f"not an election id: {expected_election!r}") from None
    fmt = detect_format(p)
    if expected_format and expected_format != fmt:
        if fmt.startswith("eml-") and expected_format[:1].isdigit():
            eml.parse_eml(p, expected=expected_format)  # raises the wrong-EML-id problem
        else:
            raise ImportProblem(p, "", f"this is a {fmt} file, expected {expected_format}")
    if fmt.startswith("eml-"):
        result = eml.parse_eml(p)
    elif fmt == FORMAT_OSV43:
        result = osv.parse_osv(p, expected_municipality=want_muni)
    elif fmt == FORMAT_WIMS_XLSX:
        result = wims.parse_wims_xlsx(p, expected_municipality=want_muni)
    else:
        result = wims.parse_wims_csv(p, expected_municipality=want_muni)

    if want_muni:
        _check_municipality(p, result, want_muni)
    if want_election and result.election is not None and result.election.election_id != want_election:
        raise ImportProblem(
            p,
            "election",
            f"this file is for election {result.election.election_id}, not {want_election}",
        )
    return result


def _check_municipality(path: Path, result: ParseResult, want: str) -> None:
    found = result.municipality_code
    if found is None and result.election is not None and result.election.domain_code:
        found = result.election.domain_code
    if found is not None:
        if found != want:
            name = f" ({result.municipality_name})" if result.municipality_name else ""
            raise ImportProblem(path, "municipality", f"this file is for {found}{name}, not {want}")
        return
    # Files spanning several municipalities: the one asked for must be among them.
    present = {c.municipality_code for c in result.counts} | {s.municipality_code for s in result.stations}
    present.discard(None)
    if present and want not in present:
        raise ImportProblem(
            path,
            "municipality",
            f"this file covers {', '.join(sorted(p for p in present if p)[:5])}..., not {want}",
        )
