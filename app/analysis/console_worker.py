"""The SQL console's query in a process of its own (``python -m app.analysis.console_worker``).

A query runs in a fresh DuckDB either way (app/analysis/console.py); here that DuckDB lives in a child
process, so that what a query allocates is never the app server's memory: DuckDB builds a vector of
2,048 values in full before the console can cut the result, outside its ``memory_limit``
(``repeat('x', 10000000) FROM range(2048)`` takes 20 GB), and an app server serves the chairs too. The
parent (:func:`run`) watches the child's resident memory and its time and ends it past either limit; the
kernel's out-of-memory killer, if it comes to that, picks the child (the largest process), not the app.

Protocol: the parent writes one pickled request (tables, SQL, limits) to the child's standard input and
reads one pickled :class:`~app.analysis.console.ConsoleResult` (with its downloads) from its standard
output. Both are this program's own objects between processes it started; nothing else reads them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from app.analysis import console

log = logging.getLogger(__name__)

#: Resident memory (MB) at which the child is ended: DuckDB's own limit (512 MB) + the byte budget of
#: a result (50 MB) and its CSV downloads (a few hundred MB) fit well below it.
DEFAULT_MEMORY_MB = 1536
#: Seconds the child gets beyond the query's own time limit (starting Python, the tables, the
#: downloads) before it is ended as a runaway.
GRACE_S = 20.0
_POLL_S = 0.02
_ROOT = Path(__file__).resolve().parents[2]


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


#: Queries at once per app server: each worker may take up to ``DEFAULT_MEMORY_MB``; a third analyst waits
#: (up to the query's time limit) for one of the two to finish.
MAX_WORKERS = 2
_running = threading.BoundedSemaphore(MAX_WORKERS)
_spare: subprocess.Popen | None = None
_spare_lock = threading.Lock()


def _start() -> subprocess.Popen:
    path = os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, "-m", "app.analysis.console_worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=_ROOT,
        env={**os.environ, "PYTHONPATH": path},
    )


def _take_worker() -> subprocess.Popen:
    """A worker for this query: the spare started after the last query (Python and DuckDB already
    loaded, waiting for its request), else a new one; and a new spare for the next query. One spare per
    app server; it ends when the app server does (its input closes)."""
    global _spare
    with _spare_lock:
        proc = _spare if _spare is not None and _spare.poll() is None else _start()
        _spare = _start()
    return proc


def run(
    tables: Mapping[str, pa.Table],
    sql: str,
    *,
    time_limit_s: float = console.DEFAULT_TIME_LIMIT_S,
    row_limit: int = console.DEFAULT_ROW_LIMIT,
    byte_budget: int = console.RESULT_BYTE_BUDGET,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> console.ConsoleResult:
    """:func:`console.run_query` and :func:`console.with_downloads` in a child process, ended when its
    resident memory passes ``memory_mb`` or it runs ``GRACE_S`` past ``time_limit_s``. Always a result,
    never an exception: a child that is ended or fails is a message."""
    refused = console.check_statement(sql)
    if refused is not None:  # refused before a process is started
        return console.ConsoleResult(error_key=refused[0], detail=refused[1])
    request = pickle.dumps(
        {
            "tables": dict(tables),
            "sql": sql,
            "limits": {"time_limit_s": time_limit_s, "row_limit": row_limit, "byte_budget": byte_budget},
        },
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    if not _running.acquire(timeout=time_limit_s):
        return console.ConsoleResult(error_key="analysis.sql.busy", detail=str(MAX_WORKERS))
    try:
        return _run_in_worker(request, time_limit_s, memory_mb)
    finally:
        _running.release()


def _run_in_worker(request: bytes, time_limit_s: float, memory_mb: int) -> console.ConsoleResult:
    proc = _take_worker()
    out: dict[str, Any] = {}

    def talk() -> None:  # the pipes in a thread of their own, so that this one can watch the child
        try:
            out["data"], _ = proc.communicate(request)
        except (OSError, ValueError) as err:  # the child was ended while we wrote or read
            out["error"] = err

    talker = threading.Thread(target=talk, daemon=True)
    talker.start()
    started = time.monotonic()
    ended: str | None = None
    while talker.is_alive():
        if _rss_mb(proc.pid) > memory_mb:
            ended = "memory"
        elif time.monotonic() - started > time_limit_s + GRACE_S:
            ended = "timeout"
        if ended:
            with contextlib.suppress(OSError):
                proc.kill()
            break
        talker.join(_POLL_S)
    talker.join(10)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(5)
    if ended == "memory":
        return console.ConsoleResult(error_key="analysis.sql.memory", detail=f"> {memory_mb} MB")
    if ended == "timeout":
        return console.ConsoleResult(error_key="analysis.sql.timeout", detail=f"{time_limit_s:g}")
    data = out.get("data")
    if proc.returncode != 0 or not data:
        log.warning("console worker ended with %s", proc.returncode)
        if proc.returncode is not None and proc.returncode < 0:  # ended by a signal: the kernel's OOM killer
            return console.ConsoleResult(error_key="analysis.sql.memory", detail=f"signal {-proc.returncode}")
        return console.ConsoleResult(
            error_key="analysis.sql.error", detail=f"worker ended ({proc.returncode})"
        )
    result = pickle.loads(data)  # noqa: S301 (from the child this process started)
    assert isinstance(result, console.ConsoleResult)
    return result


def _main() -> int:
    console.with_downloads(console.run_query({}, "SELECT 1 AS warm"))  # first-use costs, before waiting
    try:
        request = pickle.load(sys.stdin.buffer)  # noqa: S301 (from the app server that started us)
    except EOFError:  # a spare never used: its app server ended
        return 0
    try:
        result = console.with_downloads(
            console.run_query(request["tables"], request["sql"], **request["limits"])
        )
    except MemoryError:
        result = console.ConsoleResult(error_key="analysis.sql.memory", detail="MemoryError")
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    os._exit(0)  # done: no interpreter teardown (DuckDB, pandas) for the app server to wait on


if __name__ == "__main__":
    sys.exit(_main())
