"""The hot write path's round trips (app/storage/fastpath.py) and the pool's liveness check without a
round trip (app/storage/db.py): the row-level-security setting always precedes the use case's
statements, a failure never leaves a transaction without it, and a connection the server ended is
replaced before anyone uses it."""

from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.services import audit
from app.storage import db as storage_db
from app.storage import fastpath, rls
from app.storage.db import make_engine, to_libpq_uri

OWN = "GM0392"
WHO = "SELECT current_user, current_setting('stemdag.municipality', true)"


@pytest.fixture
def engine(demo_db_url):
    engine = make_engine(demo_db_url, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def _scoped(engine, scope: str = OWN) -> Session:
    session = sessionmaker(bind=engine, expire_on_commit=False)()
    rls.scope_session(session, scope)
    return session


def _audit_params(marker: str) -> dict[str, object]:
    values = audit.values(None, "fastpath_test", municipality_code=OWN, after={"marker": marker})
    return {k: psycopg.types.json.Jsonb(v) if isinstance(v, dict) else v for k, v in values.items()}


_INSERT_AUDIT = (
    f"INSERT INTO audit_log ({', '.join(audit.COLUMNS)}) VALUES ("
    + ", ".join(f"%({c})s" for c in audit.COLUMNS)
    + ") RETURNING id"
)


def test_begin_run_sends_the_scope_before_its_statement_and_it_holds_for_the_transaction(engine):
    session = _scoped(engine)
    try:
        assert fastpath.begin_run(session, WHO, {}) == [(rls.APP_ROLE, OWN)]
        assert tuple(session.execute(text(WHO)).one()) == (rls.APP_ROLE, OWN)  # later statements too
        visible = session.scalar(text("SELECT count(DISTINCT municipality_code) FROM polling_station"))
        assert visible == 1
    finally:
        session.close()


def test_begin_run_in_an_open_transaction_uses_it(engine):
    session = _scoped(engine)
    try:
        session.execute(text("SELECT set_config('stemdag.marker', 'same transaction', true)"))
        rows = fastpath.begin_run(session, "SELECT current_setting('stemdag.marker', true)", {})
        assert rows == [("same transaction",)]
    finally:
        session.close()


def test_begin_run_failing_leaves_no_transaction_without_the_scope(engine):
    session = _scoped(engine)
    try:
        with pytest.raises(DBAPIError):
            fastpath.begin_run(session, "SELECT 1 / 0", {})
        # the failed transaction was rolled back; the next one is scoped as always
        assert tuple(session.execute(text(WHO)).one()) == (rls.APP_ROLE, OWN)
    finally:
        session.close()


def test_an_unscoped_session_runs_the_statement_as_is(engine):
    session = sessionmaker(bind=engine)()
    try:
        user, scope = fastpath.begin_run(session, WHO, {})[0]
        assert user != rls.APP_ROLE and not scope
    finally:
        session.close()


def test_run_and_commit_stores_and_commits_in_one_go(engine, demo_db_url):
    session = _scoped(engine)
    try:
        fastpath.begin_run(session, WHO, {})
        (new_id,) = fastpath.run_and_commit(session, _INSERT_AUDIT, _audit_params("committed"))[0]
        assert not session.in_transaction()
    finally:
        session.close()
    with psycopg.connect(to_libpq_uri(demo_db_url)) as other:
        stored = other.execute("SELECT after->>'marker' FROM audit_log WHERE id = %s", (new_id,)).fetchone()
    assert stored == ("committed",)


def test_run_and_commit_failing_stores_nothing_and_raises_the_sqlalchemy_error(engine, demo_db_url):
    session = _scoped(engine)
    try:
        fastpath.begin_run(session, WHO, {})
        fastpath.run(session, _INSERT_AUDIT, _audit_params("rolled back"))
        with pytest.raises(IntegrityError):  # a NOT NULL column left empty
            fastpath.run_and_commit(
                session, f"INSERT INTO audit_log (municipality_code, action) VALUES ('{OWN}', NULL)", {}
            )
        session.rollback()
    finally:
        session.close()
    with psycopg.connect(to_libpq_uri(demo_db_url)) as other:
        found = other.execute(
            "SELECT count(*) FROM audit_log WHERE after->>'marker' = 'rolled back'"
        ).fetchone()
    assert found == (0,)


def test_a_write_in_another_municipality_is_refused_by_row_level_security(engine):
    session = _scoped(engine, "GM0268")
    try:
        fastpath.begin_run(session, WHO, {})
        with pytest.raises(DBAPIError, match="row-level security"):
            fastpath.run_and_commit(session, _INSERT_AUDIT, _audit_params("other municipality"))
    finally:
        session.close()


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def test_a_pooled_connection_the_server_ended_is_replaced_without_an_error(engine, demo_db_url):
    first = _backend_pid(engine)  # back in the pool (pool_size=1): the next checkout gets it
    with psycopg.connect(to_libpq_uri(demo_db_url), autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (first,)).fetchone() == (True,)
    time.sleep(0.3)  # the server's FATAL message and end of file reach the idle socket
    assert _backend_pid(engine) != first


def test_a_connection_idle_longer_than_the_limit_is_pinged_and_replaced_when_the_ping_fails(
    engine, monkeypatch
):
    first = _backend_pid(engine)
    assert _backend_pid(engine) == first  # a fresh idle connection is reused as it is
    monkeypatch.setattr(storage_db, "PING_AFTER_IDLE_SECONDS", 0.0)
    pings: list[object] = []

    def failing_ping(dbapi_conn):
        pings.append(dbapi_conn)
        raise psycopg.OperationalError("no answer")

    monkeypatch.setattr(engine.dialect, "do_ping", failing_ping)
    second = _backend_pid(engine)
    assert pings and second != first


def _prepared_names(session: Session) -> set[str]:
    return set(session.scalars(text("SELECT name FROM pg_prepared_statements")))


def test_the_fast_paths_statements_are_prepared_and_prepared_again_after_deallocate_all(engine):
    session = _scoped(engine)
    try:
        fastpath.begin_run(session, WHO, {})
        fastpath.run_and_commit(session, _INSERT_AUDIT, _audit_params("first"))
        # BEGIN, the setting, the read, the write, COMMIT
        assert len([n for n in _prepared_names(session) if n.startswith("stemdag_fp_")]) == 5
        session.execute(text("DEALLOCATE ALL"))
        session.commit()
        assert fastpath.begin_run(session, WHO, {}) == [(rls.APP_ROLE, OWN)]  # prepared again
        fastpath.run_and_commit(session, _INSERT_AUDIT, _audit_params("second"))
        assert session.scalar(text("SELECT count(*) FROM audit_log WHERE action = 'fastpath_test'")) == 2
    finally:
        session.close()


def test_psycopg_prepares_nothing_by_itself(engine):
    session = sessionmaker(bind=engine)()
    try:
        for _ in range(10):  # psycopg's default would prepare after 5
            session.execute(text("SELECT count(*) FROM polling_station"))
        assert _prepared_names(session) == set()
    finally:
        session.close()


def test_behind_pgbouncer_the_fast_path_prepares_nothing(demo_db_url, monkeypatch):
    monkeypatch.setenv("STEMDAG_PGBOUNCER", "1")
    bouncer = make_engine(demo_db_url, pool_size=1, max_overflow=0)
    session = _scoped(bouncer)
    try:
        fastpath.begin_run(session, WHO, {})
        fastpath.run_and_commit(session, _INSERT_AUDIT, _audit_params("unnamed"))
        assert _prepared_names(session) == set()
    finally:
        session.close()
        bouncer.dispose()


def test_select_rows_gives_what_sqlalchemy_gives_with_the_same_names(engine):
    from app.services import office

    params = {"election_id": "GR2026", "municipality_code": OWN}
    session = _scoped(engine)
    try:
        expected = session.execute(office._STATIONS_QUERY, params).all()
        session.commit()
        rows = fastpath.select_rows(session, office._STATIONS_QUERY, params)
        assert rows and [tuple(r) for r in rows] == [tuple(r) for r in expected]
        assert [type(v) for v in rows[0]] == [type(v) for v in expected[0]]
        assert rows[0]._fields == tuple(expected[0]._fields)
        assert rows[0].municipality_name == expected[0].municipality_name == "Haarlem"
        # row-level security holds: another municipality's stations are not visible in this scope
        session.commit()
        assert (
            fastpath.select_rows(session, office._STATIONS_QUERY, {**params, "municipality_code": "GM0268"})
            == []
        )
    finally:
        session.close()


def test_waiting_on_a_socket_that_is_gone_is_a_lost_connection():
    import os

    r, w = os.pipe()
    os.close(r)
    os.close(w)
    with pytest.raises(psycopg.OperationalError, match="connection lost"):
        fastpath._wait(r)


def test_a_parameter_that_cannot_be_sent_leaves_no_broken_connection_in_the_pool(engine):
    session = _scoped(engine)
    try:
        first = fastpath.begin_run(session, "SELECT pg_backend_pid()", {})[0][0]
        with pytest.raises(DBAPIError, match="cannot adapt"):
            fastpath.run(session, "SELECT %(x)s", {"x": object()})
    finally:
        session.close()
    assert _backend_pid(engine) != first  # the half-sent connection was discarded, a fresh one works
