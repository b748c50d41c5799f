"""The SQL console's query runs in a process of its own (app/analysis/console_worker.py): the same result
as in the app's process, but what a query allocates is the child's, ended past its memory or time."""

from __future__ import annotations

import pytest

from app.analysis import console, console_worker


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmRSS:"))


def test_the_result_and_downloads_are_those_of_the_query_in_process(file_tables):
    sql = "SELECT election_id, party_key, sum(votes) AS n FROM station_party_votes GROUP BY ALL ORDER BY ALL"
    here = console.with_downloads(console.run_query(file_tables, sql))
    there = console_worker.run(file_tables, sql)
    assert there.ok and there.table is not None and there.downloads is not None
    assert there.table.equals(here.table)
    assert there.downloads.csv == here.downloads.csv


def test_a_query_that_takes_gigabytes_is_ended_in_its_own_process(file_tables):
    """DuckDB builds 2,048 values of 10 MB (20 GB) before the console could cut them: in the app's
    process that is the app's memory; here the child is ended past its limit and the app grows little."""
    before = _rss_mb()
    result = console_worker.run(
        file_tables, "SELECT repeat('x', 10000000) AS big FROM range(2048)", memory_mb=600
    )
    assert result.error_key == "analysis.sql.memory"
    assert _rss_mb() - before < 100


def test_a_runaway_query_is_stopped_with_the_time_limit(file_tables):
    result = console_worker.run(file_tables, "SELECT count(*) FROM range(100000000000)", time_limit_s=1)
    assert result.error_key == "analysis.sql.timeout" and result.detail == "1"


@pytest.mark.parametrize("sql", ["COPY station TO '/tmp/x.csv'", "ATTACH '/tmp/x.db'", "SELECT 1; SELECT 2"])
def test_a_refused_statement_is_refused_before_a_process_starts(file_tables, sql, monkeypatch):
    monkeypatch.setattr(console_worker, "_take_worker", lambda: pytest.fail("a process was started"))
    result = console_worker.run(file_tables, sql)
    assert not result.ok and result.error_key in {"analysis.sql.read_only", "analysis.sql.one_statement"}


def test_a_file_read_is_refused_in_the_child_as_in_process(file_tables):
    result = console_worker.run(file_tables, "SELECT * FROM read_csv('/etc/passwd')")
    assert result.error_key == "analysis.sql.not_permitted"


def test_at_most_two_queries_run_at_once_a_third_is_told_to_wait(file_tables, monkeypatch):
    import threading

    monkeypatch.setattr(console_worker, "_running", threading.BoundedSemaphore(console_worker.MAX_WORKERS))
    for _ in range(console_worker.MAX_WORKERS):  # two analysts' queries still running
        assert console_worker._running.acquire(timeout=0)
    result = console_worker.run(file_tables, "SELECT 1", time_limit_s=0.2)
    assert (result.error_key, result.detail) == ("analysis.sql.busy", "2")
    console_worker._running.release()
    assert console_worker.run(file_tables, "SELECT 42 AS answer").table.column("answer").to_pylist() == [42]
