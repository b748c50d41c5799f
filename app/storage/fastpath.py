"""Statements of the hot write path (a chair's report) on the session's driver connection, in as few
round trips to PostgreSQL as the transaction allows.

A report is: the station's context read with its row locked, Python validation, then the report row,
the station's state and the audit row in one statement, and the commit. Through the session API that
is six round trips (pool liveness check, BEGIN, the row-level-security setting, the read, the write,
COMMIT). Here it is three, using psycopg's pipeline mode:

1. ``BEGIN`` (psycopg waits for it even in a pipeline);
2. :func:`begin_run`: the row-level-security setting of the session (``app/storage/rls.py``) and the
   read, sent together;
3. :func:`run_and_commit`: the write and ``COMMIT``, sent together.

The pool's liveness check costs no round trip either (``app/storage/db.py``). Each round trip costs
about 45 µs of Python and 30 µs of PostgreSQL CPU here; that is most of what separates a service call
from a raw single-row transaction (``make bench``: ``submit_vs_raw_pg``).

Driver errors are raised as SQLAlchemy's (IntegrityError, OperationalError, …), as ``execute`` does,
and a lost connection is invalidated.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import psycopg
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.storage import rls


@contextlib.contextmanager
def _driver_errors(conn: Connection, sql: str, params: dict[str, Any]) -> Iterator[None]:
    try:
        yield
    except psycopg.Error as err:
        fairy = conn.connection
        dialect = conn.dialect
        lost = dialect.is_disconnect(err, fairy.dbapi_connection, None)  # type: ignore[arg-type]
        wrapped = DBAPIError.instance(
            sql, params, err, psycopg.Error, connection_invalidated=lost, dialect=dialect
        )
        if lost:
            conn.invalidate(err)
        raise wrapped from err


def _driver(conn: Connection) -> psycopg.Connection:
    dbapi = conn.connection.dbapi_connection
    assert isinstance(dbapi, psycopg.Connection)
    return dbapi


@contextlib.contextmanager
def _cursors(dbapi: psycopg.Connection, n: int) -> Iterator[list[psycopg.Cursor]]:
    """``n`` cursors, closed after their results were read (a pipeline delivers them at its end)."""
    cursors = [dbapi.cursor() for _ in range(n)]
    try:
        yield cursors
    finally:
        for cur in cursors:
            cur.close()


def run(db: Session, sql: str, params: dict[str, Any]) -> list[Any]:
    """Run one statement in the session's transaction (row-level security applied when it began) on
    the driver's cursor, without SQLAlchemy's result machinery; the rows it returns."""
    conn = db.connection()
    with _driver_errors(conn, sql, params), _driver(conn).cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())


def begin_run(db: Session, sql: str, params: dict[str, Any]) -> list[Any]:
    """:func:`run` for the first statement of a use case: when this begins the session's transaction,
    the session's row-level-security setting goes to the server in the same round trip, ahead of
    ``sql``. If anything fails before the setting has surely been applied, the transaction is rolled
    back, so that no later statement can run in it without the setting."""
    with rls.deferred_scope() as pending:
        conn = db.connection()  # begins the transaction if none is open (the setting is deferred)
    if not pending:
        return run(db, sql, params)
    dbapi = _driver(conn)
    applied = False
    try:
        with _driver_errors(conn, sql, params), _cursors(dbapi, 2) as (setting, cur):
            with dbapi.pipeline():
                rls.apply_on_cursor(setting, pending[-1])
                cur.execute(sql, params)
            applied = True
            return list(cur.fetchall())
    finally:
        if not applied:
            with contextlib.suppress(Exception):
                db.rollback()


def run_and_commit(db: Session, sql: str, params: dict[str, Any]) -> list[Any]:
    """Run ``sql`` and commit, in one round trip; the rows it returned. The session then commits its
    own bookkeeping (the driver's transaction is already committed: no round trip)."""
    conn = db.connection()
    dbapi = _driver(conn)
    with _driver_errors(conn, sql, params), _cursors(dbapi, 2) as (cur, end):
        with dbapi.pipeline():
            cur.execute(sql, params)
            end.execute("COMMIT")
        rows = list(cur.fetchall())
    db.commit()
    return rows
