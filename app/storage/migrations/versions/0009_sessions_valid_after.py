"""sessions end when their credential does: ``sessions_valid_after`` on stations and staff accounts.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

A sign-in lives in the app server's memory for up to ``STEMDAG_SESSION_MINUTES``. Revoking a station's
access code (or issuing a new one), deactivating a staff account or resetting its password now sets
``sessions_valid_after`` to that moment; every service refuses an actor signed in before it
(docs/security.md, "Sessions end with their credential").
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "polling_station", sa.Column("sessions_valid_after", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("staff_user", sa.Column("sessions_valid_after", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("staff_user", "sessions_valid_after")
    op.drop_column("polling_station", "sessions_valid_after")
