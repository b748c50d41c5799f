"""Row counts of every table: "the database is unchanged" means these are equal before and after."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def table_counts(db: Session) -> dict[str, int]:
    db.rollback()
    names = db.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    ).scalars()
    out = {n: db.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in names}
    db.rollback()
    return out
