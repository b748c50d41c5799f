"""`stemdag run` on a database that Alembic counts as up to date but that lacks tables (made by an earlier
development version of a migration): a clear message and exit 1, no traceback, nothing served."""

import psycopg
from typer.testing import CliRunner

from app.storage import migrate
from app.storage.db import to_libpq_uri
from etl.cli import _register, app

runner = CliRunner()
_register()


def test_a_fresh_database_lacks_no_table(db_url):
    assert migrate.missing_tables(db_url) == []


def test_run_on_a_database_missing_tables_says_what_to_do(db_url, app_env):
    with psycopg.connect(to_libpq_uri(db_url), autocommit=True) as conn:
        conn.execute("DROP TABLE station_signal, import_file CASCADE")
    assert migrate.missing_tables(db_url) == ["import_file", "station_signal"]
    app_env(db_url)
    result = runner.invoke(app, ["run", "--no-demo"])
    assert result.exit_code == 1
    said = " ".join(result.output.split())  # the console wraps long lines
    assert "lacks 2 tables (import_file, station_signal)" in said
    assert "make clean-db" in said
    assert result.exception is None or isinstance(result.exception, SystemExit)
