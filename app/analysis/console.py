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

Not bounded here: DuckDB builds one vector (2,048 rows) of a projection in full before it hands any of
it over, outside its ``memory_limit``; a query whose first 2,048 values are huge
(``repeat('x', 10000000) FROM range(2048)``) still makes the process allocate them. Only a separate
process with an address-space limit would bound that.
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
#: The most bytes (Arrow buffers) of a result the console keeps; the rest is not fetched.
RESULT_BYTE_BUDGET = 50 * 1024 * 1024
#: Rows per record batch fetched from DuckDB: small, so that one batch of wide rows stays far below
#: the byte budget (and Arrow's 2 GB string buffers) and the budget is checked often.
BATCH_ROWS = 128
_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


@dataclass(frozen=True)
class ConsoleResult:
    """Either ``table`` (with ``truncated`` when more rows existed) or ``error_key`` + ``detail``.

    A truncated result says why in ``truncated_key`` (``analysis.sql.truncated``: the row limit;
    ``analysis.sql.truncated_bytes``: the byte budget, with the budget in MB in ``detail``)."""

    table: pa.Table | None = None
    truncated: bool = False
    truncated_key: str | None = None
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
        reader = con.sql(sql.strip().rstrip(";")).to_arrow_reader(batch_size=min(row_limit + 1, BATCH_ROWS))
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
        return ConsoleResult(
            table=pa.Table.from_batches(batches, schema=schema),
            truncated=truncated_key is not None,
            truncated_key=truncated_key,
            detail=budget_mb if truncated_key == "analysis.sql.truncated_bytes" else "",
            seconds=time.perf_counter() - started,
        )
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
