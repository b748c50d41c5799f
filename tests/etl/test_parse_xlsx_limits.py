"""An .xlsx station list that would take the importer's memory or time is refused, quickly and with a
message that names the file; the real WIMS workbooks still import.

The hostile workbooks are built here: a real openpyxl workbook whose sheet part is replaced."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from etl.parsers import wims
from etl.parsers.detect import parse_file
from etl.parsers.errors import ImportProblem

STATIONS = Path(__file__).resolve().parents[1] / "fixtures" / "etl" / "stations"
SHARED_TEMPLATE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "stations"
    / "wims_stembureaus_standard_v1.7.xlsx"
)
SHEET = "xl/worksheets/sheet1.xml"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_TAIL = b"</sheetData></worksheet>"


def _cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def _header_row() -> bytes:
    return b'<row r="1">' + _cell("A1", "Nummer stembureau") + _cell("B1", "Naam stembureau") + b"</row>"


def _station_row(row: int, name: str = "Stadhuis") -> bytes:
    return f'<row r="{row}"><c r="A{row}"><v>{row - 1}</v></c>'.encode() + _cell(f"B{row}", name) + b"</row>"


def _workbook(path: Path, sheet_parts) -> Path:
    """A real workbook (sheet 'Attributen') whose sheet XML is ``sheet_parts`` (bytes, streamed)."""
    wb = openpyxl.Workbook()
    wb.active.title = "Attributen"
    base = io.BytesIO()
    wb.save(base)
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename == SHEET:
                with zout.open(SHEET, "w", force_zip64=True) as fh:
                    for part in sheet_parts:
                        fh.write(part)
            else:
                zout.writestr(item, zin.read(item.filename))
    return path


def _refused(path: Path, *, within_s: float = 5.0) -> ImportProblem:
    started = time.perf_counter()
    with pytest.raises(ImportProblem) as info:
        parse_file(path)
    assert time.perf_counter() - started < within_s
    assert path.name in str(info.value) and "Traceback" not in str(info.value)
    return info.value


def test_a_zip_bomb_larger_than_the_unpacked_limit_is_refused_before_reading(tmp_path):
    # the review's workbook: 0.6 MB that unpacks to 145 MB of rows (46 s of CPU and 383 MB before)
    row = b"<row>" + _cell("A1", "Naam stembureau") + _cell("B1", "x" * 45) + b"</row>"
    rows = (wims.MAX_XLSX_UNPACKED // len(row)) + 1
    bomb = _workbook(tmp_path / "bomb.xlsx", [_HEAD, *([row * 10_000] * (rows // 10_000 + 1)), _TAIL])
    assert bomb.stat().st_size < 2_000_000
    err = _refused(bomb, within_s=2)
    assert "unpacks to" in err.message and f"{wims.MAX_XLSX_UNPACKED:,} bytes" in err.message


def test_a_part_compressed_more_than_the_ratio_is_refused_before_reading(tmp_path):
    row = _station_row(2) * 20_000  # 2 MB of one row repeated: far more than 100 : 1
    bomb = _workbook(tmp_path / "ratio.xlsx", [_HEAD, _header_row(), row, _TAIL])
    err = _refused(bomb, within_s=2)
    assert err.place == SHEET and f"limit of {wims.MAX_XLSX_RATIO} : 1" in err.message


def test_more_rows_than_the_limit_are_refused_while_reading(tmp_path):
    # three rows on disk, but the last is numbered 100,001: openpyxl makes every row in between
    last = wims.MAX_SHEET_ROWS + 1
    path = _workbook(
        tmp_path / "rows.xlsx", [_HEAD, _header_row(), _station_row(2), _station_row(last), _TAIL]
    )
    err = _refused(path)
    assert err.place == "sheet Attributen" and "more than 100,000 rows" in err.message


def test_more_columns_than_the_limit_are_refused_while_reading(tmp_path):
    far = get_column_letter(wims.MAX_SHEET_COLUMNS + 1)
    wide = b'<row r="2"><c r="A2"><v>1</v></c>' + _cell("B2", "Stadhuis") + _cell(f"{far}2", "x") + b"</row>"
    path = _workbook(tmp_path / "columns.xlsx", [_HEAD, _header_row(), wide, _TAIL])
    err = _refused(path)
    assert err.place == "sheet Attributen, row 2" and "more than 2,000 columns" in err.message


def test_too_many_attribute_rows_in_the_template_layout_are_refused(tmp_path):
    rows = [_HEAD, b'<row r="1">' + _cell("A1", "Naam stembureau") + _cell("F1", "Stadhuis") + b"</row>"]
    rows.append(f'<row r="{wims.MAX_ATTRIBUTE_ROWS + 1}">'.encode() + _cell("A2", "Extra") + b"</row>")
    err = _refused(_workbook(tmp_path / "attributes.xlsx", [*rows, _TAIL]))
    assert "more than 1,000 attribute rows" in err.message


def test_a_declared_dimension_of_the_whole_sheet_does_not_pad_every_row(tmp_path):
    # openpyxl pads each row to the <dimension> the file declares; 16,384 columns would be refused
    dimension = b'<dimension ref="A1:XFD4"/>'
    head = _HEAD.replace(b"<sheetData>", dimension + b"<sheetData>")
    path = _workbook(
        tmp_path / "dimension.xlsx", [head, _header_row(), _station_row(2), _station_row(3), _TAIL]
    )
    result = parse_file(path)
    assert [(s.number, s.name) for s in result.stations] == [(1, "Stadhuis"), (2, "Stadhuis")]


def test_a_damaged_sheet_is_a_message_not_a_traceback(tmp_path):
    # the damage is past the <dimension>, so openpyxl opens the workbook and fails while reading rows
    head = _HEAD.replace(b"<sheetData>", b'<dimension ref="A1:B2"/><sheetData>')
    path = _workbook(tmp_path / "damaged.xlsx", [head, _header_row(), b"<row r='2'><c r='A2'><v>1</v>"])
    err = _refused(path)
    assert "not a readable .xlsx workbook" in err.message


def test_the_real_wims_workbooks_still_import():
    result = parse_file(STATIONS / "wims_westmaasenwaal.xlsx")
    assert [s.number for s in result.stations] == [1, 2, 3, 4] and result.municipality_code == "GM0668"
    if SHARED_TEMPLATE.exists():  # the empty v1.7 template as published: no stations yet
        empty = parse_file(SHARED_TEMPLATE)
        assert empty.stations == () and "no stations" in empty.warnings[0].message
