"""Exports of the imported official results (issue 5), with fixed, documented columns.

``results_rows`` reads the *current* official results (``official_*_current``: superseded files left
out) per polling station. ``write_results`` writes them as

* ``csv``: comma-separated UTF-8, header row;
* ``csv-nl``: ``;``-separated UTF-8 with a BOM (opens correctly in a Dutch Excel);
* ``parquet``: typed columns (pyarrow).

Columns (``RESULT_COLUMNS``): ``election_id, municipality_code, municipality_name, station_number,
station_name, postcode, list_number, list_name, votes``; at candidate level
``CANDIDATE_RESULT_COLUMNS`` adds ``candidate_number, candidate_name`` before ``votes``.

``write_osv`` writes one municipality's count in the Kiesraad's osv4-3 CSV layout (metadata block,
``Gebiednummer``/``Postcode`` rows, count rows, lists and candidates), which ``etl.parsers.osv``
reads back to the same counts.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.exports.cells import inert

RESULT_COLUMNS = (
    "election_id",
    "municipality_code",
    "municipality_name",
    "station_number",
    "station_name",
    "postcode",
    "list_number",
    "list_name",
    "votes",
)
CANDIDATE_RESULT_COLUMNS = (*RESULT_COLUMNS[:-1], "candidate_number", "candidate_name", "votes")
FORMATS = ("csv", "csv-nl", "parquet")
LEVELS = ("list", "candidate")


def results_rows(
    db: Session, election_id: str, municipality_code: str | None = None, *, level: str = "list"
) -> Iterator[tuple[Any, ...]]:
    """Current official results per station, ordered by municipality, station, list (, candidate)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    table = "official_list_votes_current" if level == "list" else "official_candidate_votes_current"
    extra = "v.list_number, g.list_name" if level == "candidate" else "v.list_number, v.list_name"
    cand = ", v.candidate_number, v.candidate_name" if level == "candidate" else ""
    join_names = (
        "LEFT JOIN official_list_votes g ON g.official_count_id = v.official_count_id "
        "AND g.list_number = v.list_number "
        if level == "candidate"
        else ""
    )
    order = ", v.candidate_number" if level == "candidate" else ""
    sql = (
        "SELECT v.election_id, v.municipality_code, m.name, v.station_number, c.station_name, c.postcode, "
        f"{extra}{cand}, v.votes FROM {table} v "
        "JOIN official_count c ON c.id = v.official_count_id "
        f"{join_names}"
        "LEFT JOIN municipality m ON m.code = v.municipality_code "
        "WHERE v.election_id = :e AND v.level = 'station' "
        "AND (CAST(:m AS text) IS NULL OR v.municipality_code = :m) "
        f"ORDER BY v.municipality_code, v.station_number, v.list_number{order}"
    )
    result = db.execute(
        text(sql).execution_options(yield_per=50_000), {"e": election_id, "m": municipality_code}
    )
    for row in result:
        yield tuple(row)


def write_results(
    db: Session,
    out: str | os.PathLike[str],
    election_id: str,
    municipality_code: str | None = None,
    *,
    level: str = "list",
    fmt: str = "csv",
) -> int:
    """Write the results to ``out``; returns the number of data rows."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    columns = CANDIDATE_RESULT_COLUMNS if level == "candidate" else RESULT_COLUMNS
    rows = results_rows(db, election_id, municipality_code, level=level)
    path = Path(out)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {
            "station_number": pa.int32(),
            "list_number": pa.int32(),
            "candidate_number": pa.int32(),
            "votes": pa.int64(),
        }
        schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
        data = list(rows)
        table = pa.table({c: [r[i] for r in data] for i, c in enumerate(columns)}, schema=schema)
        pq.write_table(table, path)
        return len(data)
    n = 0
    nl = fmt == "csv-nl"
    with path.open("w", encoding="utf-8-sig" if nl else "utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";" if nl else ",")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else inert(v) for v in row])
            n += 1
    return n


# ------------------------------------------------------------------------------------ osv4-3 layout

# ParsedCount field → the osv4-3 row label (the labels etl.parsers.osv reads).
OSV_BOX_LABELS = (
    ("electorate", "opgeroepenen"),
    ("poll_card_count", "geldige stempas"),
    ("proxy_certificate_count", "geldig volmachtbewijs"),
    ("voter_card_count", "geldige kiezerspas"),
    ("total_admitted_voters_count", "toegelaten kiezers"),
    ("valid_votes_count", "geldige stembiljetten"),
    ("blank_votes_count", "blanco stembiljetten"),
    ("invalid_votes_count", "ongeldige stembiljetten"),
    ("total_votes_cast_count", "aangetroffen stembiljetten"),
    ("more_ballots_count", "meer stembiljetten dan toegelaten kiezers"),
    ("fewer_ballots_count", "minder stembiljetten dan toegelaten kiezers"),
)
OSV_EXPLANATION_LABELS = (
    ("ballots_taken_away", "kiezers met stembiljet hebben niet gestemd"),
    ("too_few_ballots_issued", "er zijn te weinig stembiljetten uitgereikt"),
    ("too_many_ballots_issued", "er zijn te veel stembiljetten uitgereikt"),
    ("no_explanation", "geen verklaring"),
    ("other_explanation", "andere verklaring"),
)
_ELECTION_TITLES = {
    "GR": "Gemeenteraad {municipality} {year}",
    "TK": "Tweede Kamer der Staten-Generaal {year}",
    "EK": "Eerste Kamer der Staten-Generaal {year}",
    "PS": "Provinciale Staten {year}",
    "WS": "Waterschap {year}",
    "EP": "Europees Parlement {year}",
}


def _postcode(value: str | None) -> str:
    return f"{value[:4]} {value[4:]}" if value and len(value) == 6 else (value or "")


def osv_text(db: Session, election_id: str, municipality_code: str) -> str:
    """One municipality's current official count in the osv4-3 layout (``ValueError`` when none)."""
    head = db.execute(
        text(
            "SELECT e.kind, e.election_date, m.name FROM election e, municipality m "
            "WHERE e.id = :e AND m.code = :m"
        ),
        {"e": election_id, "m": municipality_code},
    ).one_or_none()
    params = {"e": election_id, "m": municipality_code}
    counts = (
        db.execute(
            text(
                "SELECT * FROM official_count_current WHERE election_id = :e AND municipality_code = :m "
                "AND level IN ('station', 'municipality') ORDER BY level DESC, station_number"
            ),
            params,
        )
        .mappings()
        .all()
    )
    stations = [c for c in counts if c["level"] == "station"]
    if head is None or not stations:
        raise ValueError(f"no official station results for {election_id} in {municipality_code}")
    total = next((c for c in counts if c["level"] == "municipality"), None)
    index = {c["id"]: j for j, c in enumerate(stations)}
    n = len(stations)
    lists: dict[int, tuple[str, list[int]]] = {}
    for cid, number, name, votes in db.execute(
        text(
            "SELECT official_count_id, list_number, list_name, votes FROM official_list_votes_current "
            "WHERE election_id = :e AND municipality_code = :m AND level = 'station'"
        ),
        params,
    ):
        entry = lists.setdefault(number, (name or "", [0] * n))
        entry[1][index[cid]] = votes
    candidates: dict[tuple[int, int], tuple[str, list[int]]] = {}
    for cid, ln, cn, name, votes in db.execute(
        text(
            "SELECT official_count_id, list_number, candidate_number, candidate_name, votes "
            "FROM official_candidate_votes_current "
            "WHERE election_id = :e AND municipality_code = :m AND level = 'station'"
        ),
        params,
    ):
        entry = candidates.setdefault((ln, cn), (name or "", [0] * n))
        entry[1][index[cid]] = votes

    kind, when, muni_name = head
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    title = _ELECTION_TITLES.get(kind, "{kind} {year}").format(
        municipality=muni_name, year=when.year, kind=kind
    )
    w.writerow(["Verkiezing", "", title])
    w.writerow(["Datum", "", when.isoformat()])
    w.writerow(["Gebied", "", f"Gemeente {muni_name}"])
    w.writerow(["Nummer", "", municipality_code[2:]])
    buf.write("\r\n")
    w.writerow(
        [
            "Lijstnummer",
            "Aanduiding",
            "Volgnummer",
            "Naam kandidaat",
            "Totaal",
            *(s["station_name"] or "" for s in stations),
        ]
    )
    w.writerow(["Gebiednummer", "", "", "", "", *(s["station_number"] for s in stations)])
    if any(s["postcode"] for s in stations):
        w.writerow(["Postcode", "", "", "", "", *(_postcode(s["postcode"]) for s in stations)])

    def count_row(label: str, values: list[int | None], total_value: int | None) -> None:
        if all(v is None for v in values):
            return
        if total_value is None and all(v is not None for v in values):
            total_value = sum(values)  # type: ignore[arg-type]
        w.writerow(
            [
                "",
                label,
                "",
                "",
                "" if total_value is None else total_value,
                *("" if v is None else v for v in values),
            ]
        )

    for field, label in OSV_BOX_LABELS:
        given = total[field] if total is not None else None
        count_row(label, [s[field] for s in stations], given if field == "electorate" else None)
    for key, label in OSV_EXPLANATION_LABELS:
        values = [(s["explanations"] or {}).get(key) for s in stations]
        count_row(label, values, None)
    for number in sorted(lists):
        name, values = lists[number]
        w.writerow([number, name, "", "", sum(values), *values])
        for ln, cn in sorted(k for k in candidates if k[0] == number):
            cname, cvalues = candidates[(ln, cn)]
            w.writerow(["", "", cn, cname, sum(cvalues), *cvalues])
    return buf.getvalue()


def write_osv(db: Session, out: str | os.PathLike[str], election_id: str, municipality_code: str) -> int:
    """Write ``osv_text`` to ``out`` as UTF-8 with a BOM (as the Kiesraad publishes); returns the
    number of stations."""
    content = osv_text(db, election_id, municipality_code)
    Path(out).write_text(content, encoding="utf-8-sig", newline="")
    return content.split("\r\n", 7)[6].count(";") - 4
