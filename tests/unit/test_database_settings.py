"""Database settings: the demo is loaded only on the built-in database, and Stemdag's ``pgbouncer``
flag never reaches libpq (which refuses a parameter it does not know)."""

from __future__ import annotations

import psycopg.conninfo
import pytest

from app import config
from app.storage.db import without_pgbouncer_flag
from etl.commands.core import demo_by_default


@pytest.fixture
def secrets(monkeypatch):
    """Settings read from a stand-in secrets.toml (and no database in the environment)."""
    found: dict[str, str] = {}
    monkeypatch.setattr(config, "_secrets", lambda: found)
    for name in ("DATABASE_URL", "STEMDAG_PGBOUNCER", "STEMDAG_ANALYSIS_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    config.settings.cache_clear()
    yield found
    config.settings.cache_clear()


def test_the_demo_is_not_loaded_by_default_into_a_database_set_in_secrets_toml(secrets):
    assert demo_by_default(config.settings())  # nothing configured: the built-in development database
    secrets["DATABASE_URL"] = "postgresql+psycopg://stemdag@db.example/stemdag"
    config.settings.cache_clear()
    assert not demo_by_default(config.settings())


def test_the_demo_is_not_loaded_by_default_into_a_database_set_in_the_environment(secrets, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://stemdag@db.example/stemdag")
    config.settings.cache_clear()
    assert not demo_by_default(config.settings())


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@h/db?pgbouncer=1", "postgresql://u@h/db"),
        ("postgresql://u@h/db?pgbouncer=1&sslmode=require", "postgresql://u@h/db?sslmode=require"),
        ("postgresql://u@h/db?sslmode=require&pgbouncer=1", "postgresql://u@h/db?sslmode=require"),
        (
            "postgresql://u@h/db?pgbouncer=1&options=-c%20statement_timeout%3D5000",
            "postgresql://u@h/db?options=-c%20statement_timeout%3D5000",
        ),
    ],
)
def test_the_pgbouncer_flag_is_taken_off_and_the_rest_stays_as_libpq_reads_it(secrets, url, expected):
    plain, behind = without_pgbouncer_flag(url)
    assert (plain, behind) == (expected, True)
    psycopg.conninfo.conninfo_to_dict(plain)  # libpq accepts what is left
    with pytest.raises(psycopg.ProgrammingError, match="pgbouncer"):
        psycopg.conninfo.conninfo_to_dict(url)  # and would have refused the flag


def test_taking_the_flag_off_decodes_nothing_else(secrets):
    url = "postgresql://u:p%2Bq+r@h/db?pgbouncer=1&application_name=a+b&sslrootcert=/etc/x+y.pem"
    assert without_pgbouncer_flag(url) == (
        "postgresql://u:p%2Bq+r@h/db?application_name=a+b&sslrootcert=/etc/x+y.pem",
        True,
    )
    assert without_pgbouncer_flag("postgresql://u@h/db?pgbouncer=0") == ("postgresql://u@h/db", False)


def test_without_the_flag_the_url_is_unchanged_and_the_setting_decides(secrets):
    url = "postgresql://u@h/db?host=/tmp/sock%20dir&sslmode=disable"
    assert without_pgbouncer_flag(url) == (url, False)
    secrets["STEMDAG_PGBOUNCER"] = "1"  # in secrets.toml as well as in the environment
    assert without_pgbouncer_flag(url) == (url, True)


def test_the_analysis_reads_a_replica_when_one_is_set(secrets):
    from app.storage.db import analysis_database_url

    secrets["DATABASE_URL"] = "postgresql+psycopg://app@primary/stemdag?pgbouncer=1"
    config.settings.cache_clear()
    assert analysis_database_url() == "postgresql://app@primary/stemdag"
    secrets["STEMDAG_ANALYSIS_DATABASE_URL"] = "postgresql://reader@replica/stemdag"
    config.settings.cache_clear()
    assert analysis_database_url() == "postgresql://reader@replica/stemdag"
