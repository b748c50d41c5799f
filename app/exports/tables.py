"""Exports of any table shown on screen: CSV (plain: ``,`` UTF-8; Dutch Excel: ``;``, decimal comma,
UTF-8 with BOM so Excel opens it with the right characters) and Parquet. The columns are exactly the
table's columns, in the same order, with the same names. A text cell that a spreadsheet would run as a
formula gets a leading apostrophe in the CSV files (app/exports/cells.py); Parquet keeps it as is."""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from app.exports.cells import inert_frame

CSV_MIME = "text/csv"
PARQUET_MIME = "application/vnd.apache.parquet"


def _frame(table: pd.DataFrame | pa.Table) -> pd.DataFrame:
    return table.to_pandas() if isinstance(table, pa.Table) else table


def to_csv(table: pd.DataFrame | pa.Table) -> bytes:
    """Plain CSV: comma-separated, decimal point, UTF-8 without BOM."""
    return inert_frame(_frame(table)).to_csv(index=False).encode("utf-8")


def to_csv_excel_nl(table: pd.DataFrame | pa.Table) -> bytes:
    """CSV for Excel with Dutch settings: semicolon-separated, decimal comma, UTF-8 with BOM."""
    return inert_frame(_frame(table)).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def to_parquet(table: pd.DataFrame | pa.Table) -> bytes:
    arrow = table if isinstance(table, pa.Table) else pa.Table.from_pandas(table, preserve_index=False)
    buffer = io.BytesIO()
    pq.write_table(arrow, buffer, compression="zstd")
    return buffer.getvalue()
