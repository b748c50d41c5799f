"""The SQL console: read-only, no file or network access, limits, clear errors."""

import subprocess
import sys
from pathlib import Path

import pytest

from app.analysis import console
from app.ui.texts import t

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "sql",
    [
        "COPY station TO '/tmp/stemdag_console_test.csv'",
        "COPY (SELECT 1) TO '/tmp/stemdag_console_test.parquet' (FORMAT parquet)",
        "ATTACH '/tmp/stemdag_console_test.db' AS x",
        "INSTALL httpfs",
        "LOAD httpfs",
        "CREATE TABLE x (a INTEGER)",
        "INSERT INTO station (election_id) VALUES ('X')",
        "DELETE FROM station",
        "SET enable_external_access = true",
        "PRAGMA version",
        "SELECT 1; DROP TABLE station",
    ],
)
def test_console_refuses_writes_and_side_effects(file_tables, sql):
    result = console.run_query(file_tables, sql)
    assert not result.ok and result.table is None
    assert result.error_key in {"analysis.sql.read_only", "analysis.sql.one_statement"}


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM '/etc/passwd'",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM read_parquet('https://example.org/x.parquet')",
    ],
)
def test_console_has_no_file_or_network_access(file_tables, sql):
    result = console.run_query(file_tables, sql)
    assert not result.ok
    assert result.error_key in {"analysis.sql.not_permitted", "analysis.sql.error"}
    assert "root:" not in result.detail


def test_console_stops_a_runaway_query_with_a_message(file_tables):
    result = console.run_query(
        file_tables, "SELECT count(*) FROM range(100000000) a, range(100000000) b", time_limit_s=1
    )
    assert result.error_key == "analysis.sql.timeout"
    assert result.seconds == 0 and result.detail == "1"


def test_console_limits_rows_and_answers_read_only_queries(file_tables):
    result = console.run_query(file_tables, "SELECT * FROM municipality_party_votes", row_limit=100)
    assert result.ok and result.truncated and result.table.num_rows == 100
    for sql in ("DESCRIBE station", "SHOW TABLES", "SUMMARIZE station_result", "EXPLAIN SELECT 1"):
        assert console.run_query(file_tables, sql).ok, sql
    ok = console.run_query(
        file_tables,
        "WITH v AS (SELECT election_id, sum(votes) AS n FROM station_party_votes GROUP BY 1) "
        "SELECT * FROM v ORDER BY 1",
    )
    assert ok.ok and ok.table.column("election_id").to_pylist() == ["GR2022", "TK2025"]


def test_console_syntax_error_is_a_message(file_tables):
    result = console.run_query(file_tables, "SELEC 1")
    assert result.error_key == "analysis.sql.syntax" and "SELEC" in result.detail


def test_console_cuts_a_result_at_the_byte_budget_with_a_message(file_tables):
    # 10,000 rows of 100 kB: 1 GB if fetched whole; the console keeps at most the budget
    result = console.run_query(file_tables, "SELECT repeat('x', 100000) AS s FROM range(10000)")
    assert result.ok and result.truncated
    assert result.truncated_key == "analysis.sql.truncated_bytes"
    assert 0 < result.table.num_rows < 10_000
    assert result.table.nbytes <= console.RESULT_BYTE_BUDGET
    message = t(result.truncated_key, "nl", n=result.table.num_rows, detail=result.detail)
    assert "groter dan 50 MB" in message and f"eerste {result.table.num_rows} rijen" in message


def test_console_the_row_limit_still_says_rows():
    result = console.run_query({}, "SELECT range FROM range(1000)", row_limit=100)
    assert result.truncated and result.truncated_key == "analysis.sql.truncated"
    assert result.table.num_rows == 100
    exact = console.run_query({}, "SELECT range FROM range(100)", row_limit=100)
    assert not exact.truncated and exact.truncated_key is None and exact.table.num_rows == 100


def test_console_refuses_a_result_whose_first_row_is_over_the_budget():
    result = console.run_query({}, "SELECT repeat('x', 3000000) FROM range(10)", byte_budget=2 * 1024 * 1024)
    assert result.error_key == "analysis.sql.too_large" and result.table is None
    assert "groter dan 2 MB" in t(result.error_key, "nl", detail=result.detail)


def test_console_an_error_while_the_result_streams_is_a_message():
    # DuckDB raises this after the first batches, through Arrow, as an OSError
    sql = "SELECT CAST(CASE WHEN i > 5000 THEN 'x' ELSE '1' END AS INTEGER) AS n FROM range(10000) t(i)"
    result = console.run_query({}, sql)
    assert result.error_key == "analysis.sql.error" and "Conversion Error" in result.detail


# VmHWM: the peak resident memory of this process image (ru_maxrss would carry over the forking
# pytest process's peak through exec)
_PEAK = """
import sys
from app.analysis import console
result = console.run_query({}, sys.argv[1])
print(result.error_key, result.truncated_key, result.table.num_rows if result.table else -1)
status = open("/proc/self/status").read().split("VmHWM:")[1]
print(int(status.split()[0]) // 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory read from /proc")
def test_console_a_huge_result_does_not_take_the_app_servers_memory():
    """In a process of its own, so its peak memory is the query's: 1 GB of result stays ~0.35 GB."""
    sql = "SELECT repeat('x', 100000) AS s FROM range(10000)"
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, sql], capture_output=True, text=True, timeout=120, cwd=ROOT, check=True
    )
    said, peak_mb = done.stdout.split("\n")[:2]
    key, truncated_key, rows = said.split()
    assert key == "None" and truncated_key == "analysis.sql.truncated_bytes" and 0 < int(rows) < 10_000
    assert int(peak_mb) < 700, f"peak {peak_mb} MB"  # was 1,110 MB: the whole result fetched as one batch
