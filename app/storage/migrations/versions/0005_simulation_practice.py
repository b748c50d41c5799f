"""simulation practice: reserved for issue 7 (simulator, practice elections).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

A reserved place in the chain so that work on several issues can add tables at the same time without
creating several Alembic heads. It does nothing until that issue fills it in.
"""

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
