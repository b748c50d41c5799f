"""device sessions: "stay signed in on this device" (a browser's sign-in kept across reloads).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

- ``device_session``: the SHA-256 of a random token that the browser keeps in an HttpOnly cookie, for a
  station's chair or a staff account; expiry, last use, revocation. A tenant table under row-level
  security like every other (docs/security.md).
"""

import sqlalchemy as sa
from alembic import op

from app.storage import rls

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_session",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("polling_station_id", sa.Integer(), nullable=True),
        sa.Column("staff_user_id", sa.Integer(), nullable=True),
        sa.Column("municipality_code", sa.String(length=6), nullable=True),
        sa.Column("election_id", sa.String(length=24), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(polling_station_id IS NULL) <> (staff_user_id IS NULL)", name="ck_device_session_one_owner"
        ),
        sa.ForeignKeyConstraint(["polling_station_id"], ["polling_station.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["staff_user_id"], ["staff_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_device_session_station", "device_session", ["polling_station_id"])
    op.create_index("ix_device_session_user", "device_session", ["staff_user_id"])
    for statement in rls.enable_tenant_isolation_sql("device_session"):
        op.execute(statement)


def downgrade() -> None:
    for statement in rls.disable_tenant_isolation_sql("device_session"):
        op.execute(statement)
    op.drop_index("ix_device_session_user", table_name="device_session")
    op.drop_index("ix_device_session_station", table_name="device_session")
    op.drop_table("device_session")
