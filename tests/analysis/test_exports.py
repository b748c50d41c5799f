"""Table exports: plain CSV, Dutch Excel CSV and Parquet round-trip the table shown."""

import io

import pandas as pd
import pyarrow.parquet as pq

from app.exports import tables


def test_exports_keep_columns_and_values():
    frame = pd.DataFrame({"gemeente": ["'s-Hertogenbosch", "Súdwest-Fryslân"], "opkomst": [71.25, 80.5]})
    plain = tables.to_csv(frame)
    assert plain.startswith(b"gemeente,opkomst\n") and "Súdwest".encode() in plain
    excel = tables.to_csv_excel_nl(frame)
    assert excel.startswith("\ufeffgemeente;opkomst".encode())
    assert b"71,25" in excel
    back = pq.read_table(io.BytesIO(tables.to_parquet(frame))).to_pandas()
    pd.testing.assert_frame_equal(back, frame)
