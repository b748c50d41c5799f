"""The chair-report tables (migration 0002, the count draft 0008) match their SQLAlchemy classes
(app/storage/chair_models)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from app.storage import chair_models
from app.storage.models import Base

CHAIR_TABLES = {
    "station_opening",
    "member_report",
    "stock_report",
    "station_signal",
    "turnout_report",
    "incident",
    "incident_event",
    "station_closing",
    "count_version",
    "count_list_votes",
    "station_state",
    "count_draft",
}


def _table_of(diff) -> str | None:
    item = diff[0] if isinstance(diff, list) else diff
    for part in item[1:]:
        name = getattr(part, "name", None) if not isinstance(part, str) else None
        table = getattr(part, "table", None)
        if table is not None and getattr(table, "name", None):
            return table.name
        if name in CHAIR_TABLES:
            return name
        if isinstance(part, str) and part in CHAIR_TABLES:
            return part
    return None


def test_migrations_0002_and_0008_match_the_models(db_url):
    assert {
        t.__tablename__ for t in vars(chair_models).values() if hasattr(t, "__tablename__")
    } == CHAIR_TABLES
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = [d for d in compare_metadata(context, Base.metadata) if _table_of(d) in CHAIR_TABLES]
    finally:
        engine.dispose()
    assert diffs == []
