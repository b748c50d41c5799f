"""Statements of the hot write path (a chair's report) on the session's driver connection, in as few
round trips to PostgreSQL, and with as little Python per statement, as the transaction allows.

A report is: the station's context read with its row locked, validation in Python, then the report
row, the station's state and the audit row in one statement, and the commit. Through the session API
that is six round trips (pool liveness check, BEGIN, the row-level-security setting, the read, the
write, COMMIT) and about 0.7 ms of Python. Here it is two round trips, sent with libpq's pipeline mode:

1. :func:`begin_run`: ``BEGIN``, the session's row-level-security setting (``app/storage/rls.py``) and
   the read;
2. :func:`run_and_commit`: the write and ``COMMIT``.

The statements go through psycopg's libpq layer (``psycopg.pq``, with psycopg's own adapters for the
parameters and the results, and server-side prepared statements per connection) rather than its cursor:
the cursor costs about 40 µs of Python per statement, which is most of what separated a service call
from a raw single-row transaction (``make bench``: ``submit_vs_raw_pg``; see
docs/decisions/0002-fast-path.md). The pool's liveness check costs no round trip either
(``app/storage/db.py``). Everything else uses the session as usual: psycopg reads the transaction
status from libpq, so a statement after :func:`begin_run` runs in the same transaction, and the
session's commit after :func:`run_and_commit` has nothing left to send.

Behind PgBouncer in transaction mode (``db.make_engine`` marks those connections) the statements are
sent unnamed instead of prepared. A prepared statement the server lost (``DEALLOCATE ALL``) is prepared
again. Driver errors are raised as SQLAlchemy's (IntegrityError,
OperationalError, …), as ``execute`` does, and a lost connection is invalidated.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import itertools
import re
import select
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import pq
from psycopg.adapt import PyFormat, Transformer
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.storage import rls

_PREPARED = "stemdag_fastpath_prepared"  # per DBAPI connection (SQLAlchemy clears it when invalidated)
UNNAMED = "stemdag_unnamed_statements"  # set on a DBAPI connection's info behind PgBouncer (db.py)
_TUPLES_OK = pq.ExecStatus.TUPLES_OK
_COMMAND_OK = pq.ExecStatus.COMMAND_OK
_SYNC = pq.ExecStatus.PIPELINE_SYNC
_IDLE = pq.TransactionStatus.IDLE
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_names = itertools.count()


@contextlib.contextmanager
def _driver_errors(conn: Connection, sql: str, params: dict[str, Any]) -> Iterator[None]:
    dbapi = conn.connection.dbapi_connection
    try:
        yield
    except psycopg.Error as err:
        dialect = conn.dialect
        lost = conn.invalidated or dialect.is_disconnect(err, dbapi, None)  # type: ignore[arg-type]
        wrapped = DBAPIError.instance(
            sql,
            params,
            err,
            psycopg.Error,
            hide_parameters=True,  # parameters may hold a chair's text or hashes: never in a log line
            connection_invalidated=lost,
            dialect=dialect,
        )
        if lost and not conn.invalidated:
            conn.invalidate(err)
        raise wrapped from err


def _driver(conn: Connection) -> psycopg.Connection:
    dbapi = conn.connection.dbapi_connection
    assert isinstance(dbapi, psycopg.Connection)
    return dbapi


@functools.cache
def _numbered(sql: str) -> tuple[bytes, tuple[str, ...]]:
    """``%(name)s`` placeholders as ``$n`` (a name used twice is one parameter); the names in order."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match[1] not in names:
            names.append(match[1])
        return f"${names.index(match[1]) + 1}"

    if "%%" in sql:
        raise ValueError("the fast path takes no %% escapes")
    return _PLACEHOLDER.sub(number, sql).encode(), tuple(names)


def _wait(fd: int, *, write: bool = False) -> None:
    try:
        select.select([fd], [fd] if write else [], [])
    except (OSError, ValueError) as err:  # the socket is gone: a lost connection, as libpq says it
        raise psycopg.OperationalError(f"connection lost: {err}") from err


class _Pipeline:
    """Statements for one round trip on ``dbapi``'s libpq connection (nothing else may use it meanwhile:
    a pooled connection has one user)."""

    def __init__(self, conn: Connection, dbapi: psycopg.Connection) -> None:
        self.pgconn = dbapi.pgconn
        self.tx = Transformer(dbapi)
        self.prepared: dict[tuple[bytes, tuple[int, ...]], bytes] | None = None
        if not conn.connection.info.get(UNNAMED):
            self.prepared = conn.connection.info.setdefault(_PREPARED, {})
        self.sent: list[Any] = []  # per statement: how to make its rows (None: not wanted)
        self.new: dict[int, tuple[bytes, tuple[int, ...]]] = {}  # statement index: prepared here
        self.pgconn.enter_pipeline_mode()

    def add(self, sql: str, params: dict[str, Any] | Sequence[Any] = (), *, rows: Any = None) -> None:
        """Queue ``sql``; ``rows``: a row maker (``tuple``, a named tuple's ``_make``) when its rows are
        wanted."""
        query, names = _numbered(sql)
        values = [params[n] for n in names] if isinstance(params, dict) else list(params)
        dumped = self.tx.dump_sequence(values, [PyFormat.AUTO] * len(values)) if values else None
        types, formats = (tuple(self.tx.types or ()), list(self.tx.formats or ())) if values else ((), None)
        if self.prepared is None:
            self.pgconn.send_query_params(query, dumped, types or None, formats)
        else:
            name = self.prepared.get((query, types))
            if name is None:
                name = f"stemdag_fp_{next(_names)}".encode()
                self.pgconn.send_prepare(name, query, types or None)
                self.new[len(self.sent)] = (query, types)
                self.sent.append(None)
                self.prepared[(query, types)] = name
            self.pgconn.send_query_prepared(name, dumped, formats)
        self.sent.append(rows)

    def send(self) -> list[list[Any]]:
        """Send everything, wait for every result; the rows of the statements added with ``rows``.
        Raises the first error (the statements after it were not run)."""
        pgconn = self.pgconn
        try:
            pgconn.pipeline_sync()
            fd = pgconn.socket
            while pgconn.flush():  # the rest does not fit the socket yet
                _wait(fd, write=True)
                pgconn.consume_input()
            results: list[pq.abc.PGresult] = []
            while True:
                while pgconn.is_busy():
                    _wait(fd)  # without the GIL
                    pgconn.consume_input()
                res = pgconn.get_result()
                if res is None:
                    continue
                if res.status == _SYNC:
                    break
                results.append(res)
        finally:
            if pgconn.status == pq.ConnStatus.OK:
                pgconn.exit_pipeline_mode()
        if self.prepared is not None:  # a statement whose Parse failed or was skipped is not prepared
            for index, key in self.new.items():
                if index >= len(results) or results[index].status != _COMMAND_OK:
                    self.prepared.pop(key, None)
        out: list[list[Any]] = []
        for res, make_row in zip(results, self.sent, strict=False):
            if res.status not in (_TUPLES_OK, _COMMAND_OK):
                raise psycopg.errors.error_from_result(res, encoding=self.tx.encoding)
            if make_row is not None:
                self.tx.set_pgresult(res)
                out.append(self.tx.load_rows(0, res.ntuples, make_row))
        if len(results) != len(self.sent):
            raise psycopg.OperationalError("the server did not answer every statement")
        return out


def _exchange(conn: Connection, sql: str, params: dict[str, Any], build: Any) -> list[list[Any]]:
    dbapi = _driver(conn)
    with _driver_errors(conn, sql, params), dbapi.lock:
        for attempt in (1, 2):
            began = dbapi.pgconn.transaction_status == _IDLE  # this exchange starts the transaction
            pipe = _Pipeline(conn, dbapi)
            try:
                build(pipe)
            except BaseException:
                # a parameter that cannot be sent: the connection holds half a pipeline; it is not reused
                conn.invalidate()
                raise
            try:
                return pipe.send()
            except psycopg.errors.InvalidSqlStatementName:
                # The server no longer has the statements this connection prepared (someone ran
                # DEALLOCATE ALL or DISCARD ALL): prepare them again. When nothing of the transaction
                # had happened yet, end it and start again; otherwise the caller gets the error.
                if pipe.prepared is not None:
                    pipe.prepared.clear()
                if attempt == 2 or not began:
                    raise
                dbapi.pgconn.exec_(b"ROLLBACK")
    raise AssertionError("not reached")


def run(db: Session, sql: str, params: dict[str, Any], make_row: Any = tuple) -> list[Any]:
    """Run one statement in the session's transaction (row-level security applied when it began);
    the rows it returns."""
    build = functools.partial(_begin_if_idle, sql=sql, params=params, make_row=make_row)
    return _exchange(db.connection(), sql, params, build)[0]


def _begin_if_idle(
    pipe: _Pipeline, sql: str, params: dict[str, Any], scope: str | None = None, make_row: Any = tuple
) -> None:
    if pipe.pgconn.transaction_status == _IDLE:
        pipe.add("BEGIN")
    if scope is not None:
        pipe.add(rls.APPLY_SQL, {"v": scope})
    pipe.add(sql, params, rows=make_row)


def begin_run(db: Session, sql: str, params: dict[str, Any], make_row: Any = tuple) -> list[Any]:
    """:func:`run` for the first statement of a use case: when this begins the session's transaction,
    ``BEGIN`` and the session's row-level-security setting go to the server in the same round trip,
    ahead of ``sql``. If anything fails before the setting has surely been applied, the transaction is
    rolled back, so that no later statement can run in it without the setting."""
    with rls.deferred_scope() as pending:
        conn = db.connection()  # begins the session's transaction if none is open (setting deferred)
    if not pending:
        return run(db, sql, params, make_row)
    applied = False
    build = functools.partial(_begin_if_idle, sql=sql, params=params, scope=pending[-1], make_row=make_row)
    try:
        rows = _exchange(conn, sql, params, build)[0]
        applied = True
        return rows
    finally:
        if not applied:
            with contextlib.suppress(Exception):
                db.rollback()


def run_and_commit(db: Session, sql: str, params: dict[str, Any]) -> list[Any]:
    """Run ``sql`` and commit, in one round trip; the rows it returned. The session then commits its
    own bookkeeping (the driver's transaction is already committed: nothing is sent)."""

    def build(pipe: _Pipeline) -> None:
        _begin_if_idle(pipe, sql, params)
        pipe.add("COMMIT")

    rows = _exchange(db.connection(), sql, params, build)[0]
    db.commit()
    return rows


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    defaults: dict[str, Any]
    make_row: Any


_compiled: dict[int, tuple[Any, _Compiled]] = {}


def select_rows(db: Session, statement: Any, params: dict[str, Any]) -> list[Any]:
    """Rows of a Core ``select`` built once at import (with ``bindparam`` parameters), as named tuples
    (``row.name``, like SQLAlchemy's rows), through the prepared statements of this module: for the
    reads every screen asks for every few seconds (the office overview), which are otherwise planned
    again each time (psycopg prepares nothing: see ``db.make_engine``)."""
    found = _compiled.get(id(statement))
    if found is None or found[0] is not statement:
        compiled = statement.compile(dialect=db.get_bind().dialect)
        keys = [c.key for c in statement.selected_columns]
        make_row = collections.namedtuple("Row", keys, rename=True)._make  # type: ignore[attr-defined]
        found = (statement, _Compiled(compiled.string, dict(compiled.params), make_row))
        _compiled[id(statement)] = found
    done = found[1]
    return begin_run(db, done.sql, {**done.defaults, **params}, done.make_row)
