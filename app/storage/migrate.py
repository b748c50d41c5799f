"""Run Alembic migrations from code (the CLI, `make run`, the tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from app.config import ROOT


def alembic_config(url: str | None = None) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "app" / "storage" / "migrations"))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def missing_tables(url: str) -> list[str]:
    """Tables of the current schema that the database at ``url`` lacks (after ``upgrade``: none,
    unless the database was made by an earlier development version of a migration that Alembic
    already counts as applied)."""
    from sqlalchemy import create_engine, inspect

    from app.storage.models import Base  # with every area's models

    engine = create_engine(url)
    try:
        present = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    return sorted(set(Base.metadata.tables) - present)
