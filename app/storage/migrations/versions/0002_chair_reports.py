"""chair reports: reserved for issue 3 (chairperson reports, counts, latest state).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

A reserved place in the chain so that work on several issues can add tables at the same time without
creating several Alembic heads. It does nothing until that issue fills it in.
"""

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
