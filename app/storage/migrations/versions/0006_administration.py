"""administration: reserved for issue 8 (one-time links, row-level security).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

A reserved place in the chain so that work on several issues can add tables at the same time without
creating several Alembic heads. It does nothing until that issue fills it in.
"""

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
