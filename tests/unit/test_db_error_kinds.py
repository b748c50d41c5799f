"""A page tells a database outage (a banner; the form keeps what was typed) from a refused statement (a
plain error, logged): a constraint or row-level-security violation is not "the database is down".
Statements' parameters never appear in an error's text (they may hold hashes or a chair's text)."""

import psycopg
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError, ProgrammingError

from app.storage.db import make_engine
from app.ui.session import _unreachable


@pytest.mark.parametrize(
    ("err", "down"),
    [
        (OperationalError("SELECT 1", {}, Exception("connection refused")), True),
        (InterfaceError("SELECT 1", {}, Exception("connection closed")), True),
        (DBAPIError("SELECT 1", {}, Exception("lost"), connection_invalidated=True), True),
        (IntegrityError("INSERT", {}, Exception("duplicate key")), False),
        (ProgrammingError("INSERT", {}, Exception("new row violates row-level security policy")), False),
    ],
)
def test_an_outage_is_told_from_a_refused_statement(err, down):
    assert _unreachable(err) is down


def test_error_texts_leave_out_the_parameters(db_url):
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn, pytest.raises(DBAPIError) as caught:
            conn.exec_driver_sql("SELECT 1 / %(zero)s::int", {"zero": 0, "secret": "$argon2id$hash"})
        assert "argon2" not in str(caught.value) and "hidden" in str(caught.value).lower()
        assert isinstance(caught.value.orig, psycopg.Error)
    finally:
        engine.dispose()
