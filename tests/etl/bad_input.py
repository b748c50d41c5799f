"""Real official files with one defect each, for the bad-input tests (parsers and imports).

The sources are the byte-identical copies of ../shared/data in tests/fixtures/etl/real (and the 110b
built from real values in variants/, as no real 110b is published); each helper changes one thing in
them, so everything else about the file is exactly as the Kiesraad wrote it.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "etl"
REAL = FIX / "real"
OSV_GR = REAL / "osv4-3_telling_gr2022_westmaasenwaal.csv"
OSV_TK = REAL / "osv4-3_telling_tk2025_gemeente_westmaasenwaal.csv"
EML_510_GZ = REAL / "Telling_GR2022_WestMaasenWaal.eml.xml.gz"
EML_230B = REAL / "Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml"
EML_110A = REAL / "Verkiezingsdefinitie_TK2023.eml.xml"
EML_110B = FIX / "variants" / "eml_110b_westmaasenwaal_gr2022.xml"
OSV_LIST_TOTALS_ONLY = FIX / "variants" / "osv_list_totals_only.csv"


def osv_text(path: Path = OSV_GR) -> str:
    return path.read_bytes().decode("utf-8-sig")


def osv_lines(path: Path = OSV_GR) -> list[str]:
    return osv_text(path).split("\n")


def cells(line: str) -> list[str]:
    return [c.strip('"') for c in line.rstrip("\r").split(";")]


def join(values: list[str]) -> str:
    return ";".join(f'"{v}"' for v in values)


def list_row_index(lines: list[str], number: int) -> int:
    return next(i for i, line in enumerate(lines) if cells(line)[0] == str(number))


def osv_with_row(index: int, values: list[str], path: Path = OSV_GR) -> bytes:
    lines = osv_lines(path)
    lines[index] = join(values) + ("\r" if lines[index].endswith("\r") else "")
    return ("\ufeff" + "\n".join(lines)).encode("utf-8")


def osv_list_cell(list_number: int, column: int, value: str, *, fix_total: bool = True) -> bytes:
    """The GR2022 CSV with one cell of a list row changed (``column`` 0-based; 5 = the first station),
    the row's ``Totaal`` adjusted when the new value is a number."""
    lines = osv_lines()
    i = list_row_index(lines, list_number)
    row = cells(lines[i])
    old = int(row[column])
    row[column] = value
    if fix_total and re.fullmatch(r"-?\d+", value):
        row[4] = str(int(row[4]) - old + int(value))
    return osv_with_row(i, row)


def osv_replace(old: str, new: str, path: Path = OSV_GR) -> bytes:
    text = osv_text(path)
    assert old in text, old
    return ("\ufeff" + text.replace(old, new, 1)).encode("utf-8")


def osv_cut_after_line(n: int, path: Path = OSV_GR) -> bytes:
    """The file as if the transfer stopped after line ``n`` (1-based), at a row boundary."""
    return ("\ufeff" + "\n".join(osv_lines(path)[:n]) + "\n").encode("utf-8")


def eml_510() -> bytes:
    return gzip.decompress(EML_510_GZ.read_bytes())


def first_unit(data: bytes, old: bytes, new: bytes, *, regex: bool = False) -> bytes:
    """``data`` with the first match of ``old`` inside the first ReportingUnitVotes (station 1)."""
    i = data.index(b"<ReportingUnitVotes>")
    head, tail = data[:i], data[i:]
    if regex:
        changed = re.sub(old, new, tail, count=1)
    else:
        assert old in tail, old
        changed = tail.replace(old, new, 1)
    assert changed != tail
    return head + changed


def eml_510_cast(value: str) -> bytes:
    return first_unit(eml_510(), rb"<Cast>\d+</Cast>", f"<Cast>{value}</Cast>".encode(), regex=True)


def replace_once(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data, old
    return data.replace(old, new, 1)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path
