"""simulation practice: the simulation clock (issue 7: simulator, practice elections).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

- ``simulation_clock``: per election and municipality, the simulated time of day of a running simulator
  (``stemdag simulate``, the live demo), advanced as it replays and marked finished at the end. The
  office's time-based views take their "now" from it while it is fresh (``app/services/clock.py``).
  It carries ``municipality_code``, so 0006 puts it under row-level security with every tenant table.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "simulation_clock",
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("simulated_now", sa.DateTime(timezone=True), nullable=False),
        sa.Column("speed", sa.Float(), nullable=True),
        sa.Column("allow_real", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("speed IS NULL OR speed > 0", name="ck_simulation_clock_speed"),
        sa.ForeignKeyConstraint(["election_id"], ["election.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["municipality_code"], ["municipality.code"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("election_id", "municipality_code"),
    )


def downgrade() -> None:
    op.drop_table("simulation_clock")
