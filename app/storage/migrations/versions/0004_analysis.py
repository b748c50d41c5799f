"""analysis: party harmonisation (issue 6).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

The table in which analysts map a list name (normalised) to a harmonised party key, per municipality.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "party_harmonisation",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("party_name", sa.String(length=300), nullable=False),
        sa.Column("party_name_normalised", sa.String(length=300), nullable=False),
        sa.Column("party_key", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["municipality_code"], ["municipality.code"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("municipality_code", "party_name_normalised", name="uq_party_harmonisation_name"),
    )


def downgrade() -> None:
    op.drop_table("party_harmonisation")
