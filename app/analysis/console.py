"""The analysts' SQL console: read-only queries over the analysis tables.

The real boundary is the database itself: every query runs in a fresh in-memory DuckDB holding only
copies of the analysis tables, with external access off (no files, no network, no ATTACH, no COPY),
extensions neither installed nor loaded, and the configuration locked so a query cannot switch any of
that back on. On top of that the statement is inspected and anything but one SELECT / WITH / EXPLAIN /
DESCRIBE / SHOW / SUMMARIZE is refused with a clear message; a timer interrupts a query that runs too
long and only the first ``row_limit`` rows are fetched. Errors come back as messages, not tracebacks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from app.analysis.workspace import SCHEMAS, TABLES, new_connection

DEFAULT_TIME_LIMIT_S = 10.0
DEFAULT_ROW_LIMIT = 10_000
_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


@dataclass(frozen=True)
class ConsoleResult:
    """Either ``table`` (with ``truncated`` when more rows existed) or ``error_key`` + ``detail``."""

    table: pa.Table | None = None
    truncated: bool = False
    seconds: float = 0.0
    error_key: str | None = None
    detail: str = ""

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
    try:
        with duckdb.connect(":memory:", config={"enable_external_access": False}) as parser:
            statements = parser.extract_statements(text)
    except duckdb.Error as err:
        return "analysis.sql.syntax", _first_line(err)
    if len(statements) != 1:
        return "analysis.sql.one_statement", str(len(statements))
    kind = statements[0].type
    if kind not in _ALLOWED:
        return "analysis.sql.read_only", kind.name
    return None


def _first_line(err: BaseException) -> str:
    return str(err).strip().splitlines()[0][:300] if str(err).strip() else type(err).__name__


def run_query(
    tables: Mapping[str, pa.Table],
    sql: str,
    *,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    row_limit: int = DEFAULT_ROW_LIMIT,
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
    try:
        timer.start()
        reader = con.sql(sql.strip().rstrip(";")).to_arrow_reader(batch_size=min(row_limit + 1, 100_000))
        batches, rows = [], 0
        for batch in reader:
            batches.append(batch)
            rows += batch.num_rows
            if rows > row_limit:
                break
        table = (
            pa.Table.from_batches(batches, schema=reader.schema) if batches else reader.schema.empty_table()
        )
        truncated = table.num_rows > row_limit
        return ConsoleResult(
            table=table.slice(0, row_limit), truncated=truncated, seconds=time.perf_counter() - started
        )
    except duckdb.InterruptException:
        return ConsoleResult(error_key="analysis.sql.timeout", detail=f"{time_limit_s:g}")
    except duckdb.PermissionException as err:
        return ConsoleResult(error_key="analysis.sql.not_permitted", detail=_first_line(err))
    except duckdb.OutOfMemoryException as err:
        return ConsoleResult(error_key="analysis.sql.memory", detail=_first_line(err))
    except duckdb.Error as err:
        return ConsoleResult(error_key="analysis.sql.error", detail=_first_line(err))
    except (pa.ArrowException, ValueError, RuntimeError) as err:
        return ConsoleResult(error_key="analysis.sql.error", detail=_first_line(err))
    finally:
        timer.cancel()
        con.close()


#: The query the console opens with.
EXAMPLE = (
    "SELECT election_id, municipality_code, party_key, sum(votes) AS votes\n"
    "FROM station_party_votes\nGROUP BY ALL\nORDER BY votes DESC\nLIMIT 20"
)
