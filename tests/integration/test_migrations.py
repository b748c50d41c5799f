"""The schema comes only from Alembic: it goes down to base and up to head again."""

from sqlalchemy import create_engine, inspect, text

from app.storage import migrate


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_down_to_base_and_up_again(db_url):
    at_head = _tables(db_url)
    assert {"municipality", "election", "polling_station", "staff_user", "audit_log"} <= at_head
    migrate.downgrade(db_url, "base")
    assert _tables(db_url) == set()
    migrate.upgrade(db_url, "head")
    assert _tables(db_url) == at_head


def test_audit_log_is_append_only(db_url):
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (actor_kind, action) VALUES ('system', 'test')"))
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
        with engine.connect() as conn:
            try:
                conn.execute(text(statement))
                raised = False
            except Exception as err:  # the trigger's exception
                raised = "append-only" in str(err)
            assert raised, statement
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1
    engine.dispose()
