"""foundation schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29

Tables of the foundation: tenants, elections, lists, candidates, stations, staff, access codes,
sign-in throttle and the append-only audit log (UPDATE/DELETE refused by a trigger).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("actor_kind", sa.String(length=10), nullable=False),
        sa.Column("actor_id", sa.String(length=80), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=True),
        sa.Column("municipality_code", sa.String(length=6), nullable=True),
        sa.Column("election_id", sa.String(length=24), nullable=True),
        sa.Column("polling_station_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=True),
        sa.Column("entity_id", sa.String(length=80), nullable=True),
        sa.Column("before", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("after", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_audit_log_municipality_code"), "audit_log", ["municipality_code"], unique=False)
    op.create_index(
        op.f("ix_audit_log_polling_station_id"), "audit_log", ["polling_station_id"], unique=False
    )
    op.create_table(
        "election",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("election_date", sa.Date(), nullable=False),
        sa.Column("council_size", sa.Integer(), nullable=True),
        sa.Column("turnout_moments", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("checklist_items", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("low_stock_threshold", sa.Integer(), server_default="50", nullable=False),
        sa.Column("is_practice", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("access_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("access_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind IN ('GR','TK','PS','WS','EP','EK','referendum')", name="ck_election_kind"),
        sa.CheckConstraint("low_stock_threshold >= 0", name="ck_election_low_stock"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "municipality",
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("public_page_enabled", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("code ~ '^GM[0-9]{4}$'", name="ck_municipality_code"),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "first_failure_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "election_municipality",
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("electorate", sa.Integer(), nullable=True),
        sa.Column("counting_method", sa.String(length=3), server_default="DSO", nullable=False),
        sa.Column("council_size", sa.Integer(), nullable=True),
        sa.CheckConstraint("counting_method IN ('DSO','CSO')", name="ck_em_counting_method"),
        sa.CheckConstraint("electorate IS NULL OR electorate >= 0", name="ck_em_electorate"),
        sa.ForeignKeyConstraint(["election_id"], ["election.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
        ),
        sa.PrimaryKeyConstraint("election_id", "municipality_code"),
    )
    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("oidc_subject", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("role = 'admin' OR municipality_code IS NOT NULL", name="ck_staff_municipality"),
        sa.CheckConstraint("role IN ('admin','office','analyst')", name="ck_staff_role"),
        sa.CheckConstraint("username = lower(username)", name="ck_staff_username_lower"),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("oidc_subject"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "political_group",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.CheckConstraint("number > 0", name="ck_political_group_number"),
        sa.ForeignKeyConstraint(
            ["election_id", "municipality_code"],
            ["election_municipality.election_id", "election_municipality.municipality_code"],
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("election_id", "municipality_code", "number", name="uq_political_group_number"),
    )
    op.create_table(
        "polling_station",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("station_type", sa.String(length=10), server_default="regulier", nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("postcode", sa.String(length=7), nullable=True),
        sa.Column("locality", sa.String(length=120), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("opens_at", sa.Time(), server_default="07:30", nullable=False),
        sa.Column("closes_at", sa.Time(), server_default="21:00", nullable=False),
        sa.Column("wheelchair_accessible", sa.Boolean(), nullable=True),
        sa.Column("accessibility", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("station_type IN ('regulier','bijzonder','mobiel')", name="ck_station_type"),
        sa.CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="ck_station_lat"),
        sa.CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180", name="ck_station_lon"),
        sa.CheckConstraint("number > 0", name="ck_station_number"),
        sa.ForeignKeyConstraint(
            ["election_id", "municipality_code"],
            ["election_municipality.election_id", "election_municipality.municipality_code"],
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("election_id", "municipality_code", "number", name="uq_polling_station_number"),
    )
    op.create_table(
        "candidate",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("political_group_id", sa.Integer(), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("last_name", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=40), nullable=True),
        sa.Column("initials", sa.String(length=40), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("locality", sa.String(length=120), nullable=True),
        sa.Column("gender", sa.String(length=10), nullable=True),
        sa.CheckConstraint("number > 0", name="ck_candidate_number"),
        sa.ForeignKeyConstraint(["political_group_id"], ["political_group.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("political_group_id", "number", name="uq_candidate_number"),
    )
    op.create_table(
        "polling_station_location",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("polling_station_id", sa.Integer(), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name="ck_location_times"),
        sa.ForeignKeyConstraint(["polling_station_id"], ["polling_station.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "station_access_code",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("polling_station_id", sa.Integer(), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("selector", sa.String(length=8), nullable=False),
        sa.Column("code_hash", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("valid_until > valid_from", name="ck_code_window"),
        sa.ForeignKeyConstraint(["polling_station_id"], ["polling_station.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_station_access_code_selector"), "station_access_code", ["selector"], unique=False
    )

    op.execute(
        """
        CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
        END $$;
        """
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_index(op.f("ix_station_access_code_selector"), table_name="station_access_code")
    op.drop_table("station_access_code")
    op.drop_table("polling_station_location")
    op.drop_table("candidate")
    op.drop_table("polling_station")
    op.drop_table("political_group")
    op.drop_table("staff_user")
    op.drop_table("election_municipality")
    op.drop_table("sign_in_throttle")
    op.drop_table("municipality")
    op.drop_table("election")
    op.drop_index(op.f("ix_audit_log_polling_station_id"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_municipality_code"), table_name="audit_log")
    op.drop_table("audit_log")
