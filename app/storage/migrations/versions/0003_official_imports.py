"""official imports: reserved for issue 5 (import files, versions).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

A reserved place in the chain so that work on several issues can add tables at the same time without
creating several Alembic heads. It does nothing until that issue fills it in.
"""

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
