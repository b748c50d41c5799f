"""The SQL console: read-only, no file or network access, limits, clear errors."""

import pytest

from app.analysis import console


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
