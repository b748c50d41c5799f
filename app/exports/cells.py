"""Spreadsheet-safe text cells (CSV injection, OWASP "CSV Injection").

A spreadsheet opening a CSV file reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula: a chair's incident text ``=HYPERLINK("https://…?"&A1; "…")``
would run on the office's computer. Every CSV Stemdag writes for people (plain and Dutch Excel) passes
its text cells through :func:`inert`: such a cell gets a leading apostrophe, as OWASP recommends, so it
shows as the text typed. Numbers are never changed. The osv4-3 file (an official format read by the
Kiesraad's software, not a spreadsheet export) is written as is.
"""

from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """``value`` unchanged, except a text that a spreadsheet would read as a formula: ``'`` + text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with :func:`inert` applied to its text columns (a copy when anything changes)."""
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    if not text:
        return frame
    out = frame.copy()
    for c in text:
        out[c] = out[c].map(inert, na_action="ignore")
    return out
