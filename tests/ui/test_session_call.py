"""``session.call``, the net under every page's service call: whatever a service raises, the page shows a
message and no traceback; a value PostgreSQL itself refuses says so (trying again cannot help); an
outage raised on a raw psycopg cursor is an outage (the banner), not a bug."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _page(case: str) -> None:
    import psycopg
    import streamlit as st
    from sqlalchemy import text

    from app.ui import session

    def store_text(db):  # a real statement: PostgreSQL's text cannot hold a NUL character
        return db.execute(text("SELECT CAST(:t AS text)"), {"t": "De deur klemt\x00"}).scalar()

    def too_large(db):  # a count beyond a PostgreSQL integer column
        return db.execute(text("SELECT CAST(:n AS integer)"), {"n": 3_000_000_000}).scalar()

    def broken(db):
        return [][0]

    def lost(db):
        raise psycopg.OperationalError("server closed the connection unexpectedly")

    service = {"nul": store_text, "too_large": too_large, "bug": broken, "outage": lost}[case]
    ok, _ = session.call(service)
    st.session_state["ok"] = ok
    st.session_state["down"] = session.db_down()


@pytest.mark.parametrize(
    ("case", "message", "down"),
    [
        ("nul", "kon niet worden opgeslagen", False),
        ("too_large", "kon niet worden opgeslagen", False),
        ("bug", "Er ging iets mis", False),
        ("outage", "database", True),
    ],
)
def test_a_service_failure_is_a_message_never_a_traceback(app_env, db_url, case, message, down):
    app_env(db_url)
    at = AppTest.from_function(_page, args=(case,), default_timeout=30).run()
    assert not at.exception, at.exception
    assert at.session_state["ok"] is False and at.session_state["down"] is down
    (error,) = at.error
    assert message in error.value
