"""count drafts: what a chair has typed into the count form, kept across a reload (issue 9's "forms keep
what the chair typed", beyond a database outage).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

- ``count_draft``: one row per station, the form as typed so far (JSONB) and the explanations of
  warnings; the version it would become. Written while the chair types, deleted in the transaction that
  stores the submitted version. A tenant table under row-level security (docs/security.md).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from app.storage import rls

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "count_draft",
        sa.Column("polling_station_id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("form", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("explanations", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("version > 0", name="ck_count_draft_version"),
        sa.ForeignKeyConstraint(["polling_station_id"], ["polling_station.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("polling_station_id"),
    )
    for statement in rls.enable_tenant_isolation_sql("count_draft"):
        op.execute(statement)


def downgrade() -> None:
    for statement in rls.disable_tenant_isolation_sql("count_draft"):
        op.execute(statement)
    op.drop_table("count_draft")
