"""Migration 0003 (official imports) creates exactly the tables of app/storage/import_models.py."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from app.storage import import_models
from app.storage.models import Base

IMPORT_TABLES = {"import_file", "official_count", "official_list_votes", "official_candidate_votes"}


def _table_of(diff) -> str | None:
    item = diff[0] if isinstance(diff, list) else diff
    for part in item[1:]:
        table = getattr(part, "table", None)
        if table is not None and getattr(table, "name", None):
            return table.name
        name = part if isinstance(part, str) else getattr(part, "name", None)
        if name in IMPORT_TABLES:
            return name
    return None


def test_migration_0003_matches_the_models(db_url):
    assert {
        t.__tablename__ for t in vars(import_models).values() if hasattr(t, "__tablename__")
    } == IMPORT_TABLES
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = [d for d in compare_metadata(context, Base.metadata) if _table_of(d) in IMPORT_TABLES]
            views = set(
                conn.execute(
                    text("SELECT table_name FROM information_schema.views WHERE table_schema = 'public'")
                )
                .scalars()
                .all()
            )
            rls = dict(
                conn.execute(
                    text("SELECT relname, relrowsecurity FROM pg_class WHERE relname = ANY(:t)"),
                    {"t": list(IMPORT_TABLES)},
                ).all()
            )
    finally:
        engine.dispose()
    assert diffs == []
    assert {
        f"{t}_current" for t in ("official_count", "official_list_votes", "official_candidate_votes")
    } <= views
    assert rls == dict.fromkeys(IMPORT_TABLES, True)
