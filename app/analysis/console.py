"""The analysts' SQL console: read-only queries over the analysis tables.

The real boundary is the database itself: every query runs in a fresh in-memory DuckDB holding only
copies of the analysis tables, with external access off (no files, no network, no ATTACH, no COPY),
extensions neither installed nor loaded, and the configuration locked so a query cannot switch any of
that back on. On top of that the statement is inspected and anything but one SELECT / WITH / EXPLAIN /
DESCRIBE / SHOW / SUMMARIZE is refused with a clear message; a timer interrupts a query that runs too
long, and the result is fetched in small record batches and cut after ``row_limit`` rows or
``RESULT_BYTE_BUDGET`` bytes, whichever comes first (DuckDB's ``memory_limit`` does not bound the
result handed to Python). Errors come back as messages, not tracebacks, including the ones DuckDB
raises while the result streams (they arrive as ``OSError`` through Arrow) and running out of memory.

The result is made fit for the grid and the three downloads before the page sees it
(:func:`_project`, :func:`_presentable`): duplicate column names get a suffix (``a``, ``a_2``); a type
that pandas, Streamlit's grid, CSV or Parquet cannot show becomes text as DuckDB writes it (BLOB in
hexadecimal, LIST / ARRAY / STRUCT / MAP as JSON, BIT, BIGNUM, UNION, INTERVAL, TIME WITH TIME ZONE, ...);
and so does a DATE or TIMESTAMP column holding a value outside the years 1-9999 (``infinity``). The
pandas frame (:func:`run_query`) and the downloads (:func:`with_downloads`) are made here, so anything
that still fails is a message too (``analysis.sql.unsupported_type``).

Not bounded here: DuckDB builds one vector (2,048 rows) of a projection in full before it hands any of
it over, outside its ``memory_limit``; a query whose first 2,048 values are huge
(``repeat('x', 10000000) FROM range(2048)``) still makes the process allocate them. The page therefore
runs the query in a process of its own (:mod:`app.analysis.console_worker`), ended past its memory.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from app.analysis.workspace import SCHEMAS, TABLES, new_connection
from app.exports import tables as exports

log = logging.getLogger(__name__)

DEFAULT_TIME_LIMIT_S = 10.0
DEFAULT_ROW_LIMIT = 10_000
#: The most bytes (Arrow buffers) of a result the console keeps; the rest is not fetched.
RESULT_BYTE_BUDGET = 50 * 1024 * 1024
#: Rows per record batch fetched from DuckDB: small, so that one batch of wide rows stays far below
#: the byte budget (and Arrow's 2 GB string buffers) and the budget is checked often.
BATCH_ROWS = 128
_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}

#: DuckDB types (``DuckDBPyType.id``) a column keeps: pandas, the grid, CSV and Parquet show them as
#: they are. Every other type becomes text (:func:`_project`).
_KEPT_TYPES = frozenset(
    {
        "boolean",
        "tinyint",
        "smallint",
        "integer",
        "bigint",
        "utinyint",
        "usmallint",
        "uinteger",
        "ubigint",
        "hugeint",
        "float",
        "double",
        "decimal",
        "varchar",  # also JSON
        "uuid",  # a string in Arrow
        "enum",  # a dictionary in Arrow, a categorical in pandas
        "null",
        "date",  # values outside the years 1-9999 become text (_presentable)
        "time",
        "timestamp",
        "timestamp_s",
        "timestamp_ms",
        "timestamp_ns",
        "timestamp with time zone",
    }
)
#: Nested types: shown as JSON text, which the grid and a CSV file show readably (pandas would show
#: NumPy reprs) and which any tool reads back.
_JSON_TYPES = frozenset({"list", "array", "struct", "map"})
#: Dates and time stamps pandas (``datetime.date``) and the grid show: the years 1-9999.
_FIRST_DAY = dt.date(1, 1, 1)
_LAST_DAY = dt.date(9999, 12, 31)
_EPOCH = dt.date(1970, 1, 1)
#: DuckDB's ``infinity`` and ``-infinity`` of a time stamp, in every unit.
_INFINITY_TS = (2**63 - 1, -(2**63 - 1))
_UNITS_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


@dataclass(frozen=True)
class Downloads:
    """The three downloads of a result, as app/exports/tables.py writes them."""

    csv: bytes
    csv_excel_nl: bytes
    parquet: bytes


@dataclass(frozen=True)
class ConsoleResult:
    """Either ``table`` (with ``truncated`` when more rows existed) or ``error_key`` + ``detail``.

    A truncated result says why in ``truncated_key`` (``analysis.sql.truncated``: the row limit;
    ``analysis.sql.truncated_bytes``: the byte budget, with the budget in MB in ``detail``).

    A result also carries what the page shows: ``frame`` (the table in pandas), ``renamed`` (the
    given and the new name of each repeated column name) and ``as_text`` (the name and DuckDB type of
    each column shown as text); :func:`with_downloads` adds ``downloads``."""

    table: pa.Table | None = None
    truncated: bool = False
    truncated_key: str | None = None
    seconds: float = 0.0
    error_key: str | None = None
    detail: str = ""
    frame: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    downloads: Downloads | None = field(default=None, compare=False, repr=False)
    renamed: tuple[tuple[str, str], ...] = ()
    as_text: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return self.error_key is None


def schema() -> dict[str, list[tuple[str, str]]]:
    """The tables the console offers and their columns (for the schema browser)."""
    return {name: [(f.name, str(f.type)) for f in SCHEMAS[name]] for name in TABLES}


def check_statement(sql: str) -> tuple[str, str] | None:
    """``None`` when ``sql`` is one read-only statement, else (error key, detail)."""
    text = (sql or "").strip().rstrip(";").strip()
    if not text:
        return "analysis.sql.empty", ""
    bad = _unencodable(text)
    if bad is not None:
        return "analysis.sql.bad_character", bad
    try:
        with duckdb.connect(":memory:", config={"enable_external_access": False}) as parser:
            statements = parser.extract_statements(text)
    except duckdb.Error as err:
        return "analysis.sql.syntax", _first_line(err)
    if not statements:
        return "analysis.sql.only_comments", ""
    if len(statements) != 1:
        return "analysis.sql.one_statement", str(len(statements))
    try:
        kind = statements[0].type
    except ValueError:  # a kind the Python client has no name for (``UPDATE EXTENSIONS``): not a read
        return "analysis.sql.read_only", _statement_name(statements[0].query, "?")
    if kind not in _ALLOWED:
        return "analysis.sql.read_only", _statement_name(statements[0].query, kind.name)
    return None


def _unencodable(text: str) -> str | None:
    """The position (from 1) and code of the first character that is not valid text (a lone UTF-16
    surrogate: DuckDB takes UTF-8), or ``None``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        return f"{err.start + 1} (U+{ord(text[err.start]):04X})"
    return None


_COMMENTS = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*", re.DOTALL)
_KEYWORD = re.compile(r"[A-Za-z_]+")


def _statement_name(query: str, kind: str) -> str:
    """The statement as the analyst named it: its first keyword (two for ``FORCE INSTALL``), so a
    refusal says ``INSTALL`` where DuckDB files it under ``LOAD``; ``kind`` when there is none or it is
    ``WITH`` (``WITH ... DELETE`` is a DELETE)."""
    comments = _COMMENTS.match(query)
    rest = query[comments.end() :] if comments else query
    words: list[str] = []
    while len(words) < 2 and (word := _KEYWORD.match(rest)) is not None:
        words.append(word.group().upper())
        if words != ["FORCE"]:
            break
        rest = rest[word.end() :].lstrip()
    name = " ".join(words)[:40]
    return name if name and name != "WITH" else kind


def _first_line(err: BaseException) -> str:
    return str(err).strip().splitlines()[0][:300] if str(err).strip() else type(err).__name__


def run_query(
    tables: Mapping[str, pa.Table],
    sql: str,
    *,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    row_limit: int = DEFAULT_ROW_LIMIT,
    byte_budget: int = RESULT_BYTE_BUDGET,
    memory_limit: str = "512MB",
) -> ConsoleResult:
    """Run one read-only query over copies of ``tables``."""
    refused = check_statement(sql)
    if refused is not None:
        return ConsoleResult(error_key=refused[0], detail=refused[1])
    started = time.perf_counter()
    con = new_connection(tables, locked=True, memory_limit=memory_limit, threads=1)
    timer = threading.Timer(time_limit_s, con.interrupt)
    timer.daemon = True
    budget_mb = f"{byte_budget / (1024 * 1024):g}"
    try:
        timer.start()
        relation = con.sql(sql.strip().rstrip(";"))
        if relation is None:  # a statement without a result (check_statement lets none through)
            return ConsoleResult(error_key="analysis.sql.error", detail="no result")
        names, renamed = _unique_names(relation.columns)
        kinds = [str(kind) for kind in relation.types]
        relation, as_text = _project(relation, names)
        reader = relation.to_arrow_reader(batch_size=min(row_limit + 1, BATCH_ROWS))
        schema = reader.schema
        batches: list[pa.RecordBatch] = []
        rows = size = 0
        truncated_key = None
        for batch in reader:
            room = row_limit - rows
            if batch.num_rows > room:
                batch, truncated_key = batch.slice(0, room), "analysis.sql.truncated"
            kept = _within(batch, byte_budget - size)
            if kept.num_rows < batch.num_rows:
                # a copy, so the rest of the batch's buffers are freed with it
                batch = kept.take(pa.array(range(kept.num_rows), pa.int64()))
                truncated_key = "analysis.sql.truncated_bytes"
            batches.append(batch)
            rows += batch.num_rows
            size += batch.nbytes
            if truncated_key is not None:
                break
        if truncated_key == "analysis.sql.truncated_bytes" and rows == 0:
            return ConsoleResult(error_key="analysis.sql.too_large", detail=budget_mb)
        table = pa.Table.from_batches(batches, schema=schema).rename_columns(names)
        seconds = time.perf_counter() - started
    except duckdb.InterruptException:
        return _timeout(time_limit_s)
    except duckdb.PermissionException as err:
        return ConsoleResult(error_key="analysis.sql.not_permitted", detail=_first_line(err))
    except duckdb.OutOfMemoryException as err:
        return ConsoleResult(error_key="analysis.sql.memory", detail=_first_line(err))
    except duckdb.Error as err:
        return ConsoleResult(error_key="analysis.sql.error", detail=_first_line(err))
    except MemoryError:
        return ConsoleResult(error_key="analysis.sql.memory", detail="MemoryError")
    except OSError as err:
        # DuckDB's errors while the result streams reach Python through Arrow as OSError.
        message = _first_line(err)
        if message.startswith("INTERRUPT"):
            return _timeout(time_limit_s)
        if message.startswith("Out of Memory"):
            return ConsoleResult(error_key="analysis.sql.memory", detail=message)
        if "maximum total string size" in message:  # one batch over Arrow's 2 GB string buffer
            return ConsoleResult(error_key="analysis.sql.too_large", detail=budget_mb)
        return ConsoleResult(error_key="analysis.sql.error", detail=message)
    except (pa.ArrowException, ValueError, RuntimeError) as err:
        return ConsoleResult(error_key="analysis.sql.error", detail=_first_line(err))
    finally:
        timer.cancel()
        con.close()
    try:
        table, more_text = _presentable(table, kinds)
        frame = table.to_pandas()
    except Exception as err:  # a type or value still not shown: a message, never a traceback
        return _unsupported(err)
    return ConsoleResult(
        table=table,
        truncated=truncated_key is not None,
        truncated_key=truncated_key,
        detail=budget_mb if truncated_key == "analysis.sql.truncated_bytes" else "",
        seconds=seconds,
        frame=frame,
        renamed=tuple(renamed),
        as_text=tuple(as_text + more_text),
    )


def with_downloads(result: ConsoleResult) -> ConsoleResult:
    """``result`` with its three downloads (CSV and Dutch Excel CSV of ``frame``, Parquet of
    ``table``), or an ``analysis.sql.unsupported_type`` error when one cannot be written; an error
    result as it is. Apart from :func:`run_query`, whose memory stays bounded by the byte budget: a
    CSV file of a 50 MB result takes a few hundred MB while it is written, as it did on the page."""
    if not result.ok or result.table is None or result.frame is None:
        return result
    try:
        downloads = Downloads(
            csv=exports.to_csv(result.frame),
            csv_excel_nl=exports.to_csv_excel_nl(result.frame),
            parquet=exports.to_parquet(result.table),
        )
    except Exception as err:  # a type or value still not written: a message, never a traceback
        return _unsupported(err)
    return replace(result, downloads=downloads)


def _unsupported(err: Exception) -> ConsoleResult:
    if isinstance(err, MemoryError):
        return ConsoleResult(error_key="analysis.sql.memory", detail="MemoryError")
    log.warning("console result not shown: %s: %s", type(err).__name__, _first_line(err))
    return ConsoleResult(
        error_key="analysis.sql.unsupported_type", detail=f"{type(err).__name__}: {_first_line(err)}"
    )


def _unique_names(names: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """``names`` with every repeat of a name given a suffix (``a``, ``a_2``, ``a_3``; one no other
    column has), and the (given, new) name of each renamed column. The grid and pandas need unique
    names; a self-join or ``SELECT count(*), count(*)`` repeats them."""
    taken = set(names)
    seen: set[str] = set()
    unique: list[str] = []
    renamed: list[tuple[str, str]] = []
    for name in names:
        if name not in seen:
            seen.add(name)
            unique.append(name)
            continue
        n = 2
        while f"{name}_{n}" in taken:
            n += 1
        new = f"{name}_{n}"
        taken.add(new)
        unique.append(new)
        renamed.append((name, new))
    return unique, renamed


def _project(
    relation: duckdb.DuckDBPyRelation, names: list[str]
) -> tuple[duckdb.DuckDBPyRelation, list[tuple[str, str]]]:
    """``relation`` with each column of a type not in ``_KEPT_TYPES`` as text, in DuckDB (which
    knows BIT, BIGNUM and UNION; Arrow sees only their bytes or cannot convert them): a BLOB in
    hexadecimal, a nested value as JSON, anything else cast to VARCHAR. The columns are referred to by
    position (``#1``), so repeated names do not matter; ``names`` only names the ``as_text`` list.
    Unchanged (no projection) when every column keeps its type."""
    exprs: list[str] = []
    as_text: list[tuple[str, str]] = []
    for i, (name, kind) in enumerate(zip(names, relation.types, strict=True), start=1):
        if kind.id in _KEPT_TYPES:
            exprs.append(f"#{i}")
            continue
        if kind.id == "blob":
            exprs.append(f"hex(#{i})")
        elif kind.id in _JSON_TYPES:
            exprs.append(f"to_json(#{i})")
        else:
            exprs.append(f"CAST(#{i} AS VARCHAR)")
        as_text.append((name, str(kind)))
    if not as_text:
        return relation, []
    # aliases by position: the names are set in Arrow, where any name and repeats are fine
    return relation.project(", ".join(f"{e} AS c{i}" for i, e in enumerate(exprs))), as_text


def _presentable(table: pa.Table, kinds: list[str]) -> tuple[pa.Table, list[tuple[str, str]]]:
    """``table`` with each DATE or TIMESTAMP column holding a value pandas or the grid cannot show (a
    year outside 1-9999, ``infinity``, ``-infinity``) as text as DuckDB writes it, and those columns
    (name, DuckDB type from ``kinds``)."""
    as_text: list[tuple[str, str]] = []
    for i, name in enumerate(table.column_names):
        column = table.column(i)
        if not _out_of_range(column):
            continue
        with duckdb.connect(":memory:", config={"enable_external_access": False, "threads": 1}) as conv:
            text = conv.from_arrow(pa.table({"v": column})).project("CAST(v AS VARCHAR) AS v")
            table = table.set_column(i, name, text.to_arrow_table().column(0))
        as_text.append((name, kinds[i]))
    return table, as_text


def _out_of_range(column: pa.ChunkedArray) -> bool:
    """Whether a DATE or TIMESTAMP column holds a value outside the years 1-9999 or an infinity."""
    kind = column.type
    if pa.types.is_date32(kind):
        low, high = (_FIRST_DAY - _EPOCH).days, (_LAST_DAY - _EPOCH).days
        values = pc.cast(column, pa.int32())
        sentinels: tuple[int, ...] = ()
    elif pa.types.is_timestamp(kind):
        per_second = _UNITS_PER_SECOND[kind.unit]
        day = 86_400 * per_second
        low, high = (_FIRST_DAY - _EPOCH).days * day, ((_LAST_DAY - _EPOCH).days + 1) * day - 1
        values = pc.cast(column, pa.int64())
        sentinels = _INFINITY_TS
    else:
        return False
    if column.null_count == len(column):
        return False
    bounds = pc.min_max(values)
    least, most = bounds["min"].as_py(), bounds["max"].as_py()
    return least < low or most > high or least in sentinels or most in sentinels


def _timeout(time_limit_s: float) -> ConsoleResult:
    return ConsoleResult(error_key="analysis.sql.timeout", detail=f"{time_limit_s:g}")


def _within(batch: pa.RecordBatch, room: int) -> pa.RecordBatch:
    """The longest head of ``batch`` whose size is at most ``room`` bytes (``nbytes`` of a slice
    counts only the part of the buffers it refers to)."""
    if batch.nbytes <= room:
        return batch
    low, high = 0, batch.num_rows  # head(low) fits, head(high) does not
    while high - low > 1:
        mid = (low + high) // 2
        if batch.slice(0, mid).nbytes <= room:
            low = mid
        else:
            high = mid
    return batch.slice(0, low)


#: The query the console opens with.
EXAMPLE = (
    "SELECT election_id, municipality_code, party_key, sum(votes) AS votes\n"
    "FROM station_party_votes\nGROUP BY ALL\nORDER BY votes DESC\nLIMIT 20"
)
