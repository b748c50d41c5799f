"""administration: one-time sign-in links and row-level security on every tenant table.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

- ``sign_in_link``: the one-time links printed as QR codes on the chairs' access letters (only a hash
  of the token is stored).
- Row-level security (docs/security.md): a NOLOGIN role ``stemdag_app`` that the application switches
  to (``SET LOCAL ROLE``) in every scoped transaction; a policy on every table with a
  ``municipality_code`` column (found in the catalogue, so the tables of 0002–0005 are covered too).
"""

import sqlalchemy as sa
from alembic import op

from app.storage import rls

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _tenant_tables() -> list[str]:
    rows = op.get_bind().execute(
        sa.text(
            "SELECT c.table_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = current_schema() AND c.column_name = 'municipality_code' "
            "AND t.table_type = 'BASE TABLE' ORDER BY c.table_name"
        )
    )
    return [r[0] for r in rows]


def upgrade() -> None:
    op.create_table(
        "sign_in_link",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("polling_station_id", sa.Integer(), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("valid_until > valid_from", name="ck_sign_in_link_window"),
        sa.ForeignKeyConstraint(["polling_station_id"], ["polling_station.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_sign_in_link_station", "sign_in_link", ["polling_station_id"])

    # The application role: cluster-wide, so it may already exist (another database, a parallel run).
    op.execute(
        f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{rls.APP_ROLE}') THEN
                CREATE ROLE {rls.APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$;
        """
    )
    # A non-superuser migrating role must be a member to SET ROLE to it; a superuser need not be.
    op.execute(
        f"""
        DO $$ BEGIN
            IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                EXECUTE format('GRANT {rls.APP_ROLE} TO %I', current_user);
            END IF;
        END $$;
        """
    )
    op.execute(f"GRANT USAGE ON SCHEMA public TO {rls.APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {rls.APP_ROLE}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {rls.APP_ROLE}")
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {rls.APP_ROLE}"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {rls.APP_ROLE}"
    )
    for table in _tenant_tables():
        for stmt in rls.enable_tenant_isolation_sql(table):
            op.execute(stmt)


def downgrade() -> None:
    for table in _tenant_tables():
        for stmt in rls.disable_tenant_isolation_sql(table):
            op.execute(stmt)
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {rls.APP_ROLE}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {rls.APP_ROLE}")
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {rls.APP_ROLE}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {rls.APP_ROLE}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {rls.APP_ROLE}")
    # The role itself stays: it is cluster-wide and other databases may use it.
    op.drop_index("ix_sign_in_link_station", table_name="sign_in_link")
    op.drop_table("sign_in_link")
