"""Exports of the election office: station status, turnout timeline, incidents, and counts per station.

Two CSV flavours, the same columns: ``csv`` (``,``, UTF-8 without BOM) and ``csv-nl`` (Dutch Excel:
``;``, UTF-8 with BOM so that Excel shows accented names right). Values are integers and text only, so
no decimal separator question arises. Column lists are fixed and documented here (also for
``stemdag export counts --format csv|csv-nl``).

The office page's "Excel-CSV" download is meant for people, not programs: it writes ``csv-nl`` with the
headers and coded values (state, category, severity, status) in the interface language and times as
local ``dd-mm-jjjj uu:mm:ss`` (``app.ui.office.excel_table``). The plain CSV keeps these columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence

from app.exports.cells import inert

FORMATS = ("csv", "csv-nl")
CSV_MIME = "text/csv"

#: Counts per station: these columns, with one column per list (its name) in place of ``*lists*``.
COUNT_COLUMNS_BEFORE_LISTS = (
    "election_id",
    "municipality_code",
    "station_number",
    "station_name",
    "poll_card_count",
    "proxy_certificate_count",
    "voter_card_count",
    "total_admitted_voters_count",
)
COUNT_COLUMNS_AFTER_LISTS = (
    "blank_votes_count",
    "invalid_votes_count",
    "total_votes_cast_count",
    "more_ballots_count",
    "fewer_ballots_count",
    "status",
)
STATION_STATUS_COLUMNS = (
    "election_id",
    "municipality_code",
    "station_number",
    "station_name",
    "state",
    "opened_at",
    "closed_at",
    "last_report_at",
    "members_present",
    "ballots_remaining",
    "admitted_voters",
    "open_incidents",
    "count_status",
)
TURNOUT_COLUMNS = (
    "election_id",
    "municipality_code",
    "moment",
    "stations_reported",
    "stations_total",
    "admitted_voters",
    "electorate",
    "turnout_permille",
)
INCIDENT_COLUMNS = (
    "incident_id",
    "election_id",
    "municipality_code",
    "station_number",
    "station_name",
    "category",
    "severity",
    "status",
    "assigned_to",
    "raised_at",
    "updated_at",
    "description",
)


def count_columns(list_names: Sequence[str]) -> list[str]:
    return [*COUNT_COLUMNS_BEFORE_LISTS, *list_names, *COUNT_COLUMNS_AFTER_LISTS]


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return inert(value)  # a chair's text that a spreadsheet would run as a formula (cells.py)


def to_csv(columns: Sequence[str], rows: Iterable[Mapping[str, object]], fmt: str = "csv") -> bytes:
    """Rows (dicts keyed by column) as CSV in ``fmt`` (``csv`` or ``csv-nl``); missing keys are empty."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";" if fmt == "csv-nl" else ",", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue().encode("utf-8-sig" if fmt == "csv-nl" else "utf-8")
