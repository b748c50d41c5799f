"""official imports: imported files (versions) and the official results per reporting unit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

Issue 5 (docs/data-model-imports.md):

- ``import_file``: one row per imported file (sha256 unique per election, municipality and format;
  ``version`` per election, municipality and kind; ``superseded_by`` the newer version).
- ``official_count``: the proces-verbaal boxes per reporting unit (station, municipality, ...).
- ``official_list_votes`` / ``official_candidate_votes``: votes per list / per candidate per unit.
- Views ``official_*_current``: the same rows, only of files that are not superseded (security_invoker,
  so row-level security of the underlying tables applies).

Row-level security on these tenant tables is switched on by 0006 (it finds every table with a
municipality_code column).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSONB = postgresql.JSONB(astext_type=sa.Text())

VIEWS = {
    "official_count_current": "official_count",
    "official_list_votes_current": "official_list_votes",
    "official_candidate_votes_current": "official_candidate_votes",
}


def upgrade() -> None:
    op.create_table(
        "import_file",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("format", sa.String(length=24), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=True),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.Column("summary", JSONB, nullable=True),
        sa.Column("warnings", JSONB, nullable=True),
        sa.CheckConstraint(
            "kind IN ('counts','stations','candidates','definition')", name="ck_import_file_kind"
        ),
        sa.CheckConstraint("version > 0", name="ck_import_file_version"),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="ck_import_file_sha256"),
        sa.ForeignKeyConstraint(["election_id"], ["election.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["municipality_code"], ["municipality.code"]),
        sa.ForeignKeyConstraint(["superseded_by"], ["import_file.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "election_id",
            "municipality_code",
            "format",
            "sha256",
            name="uq_import_file_sha256",
            postgresql_nulls_not_distinct=True,
        ),
        sa.UniqueConstraint(
            "election_id",
            "municipality_code",
            "kind",
            "version",
            name="uq_import_file_version",
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.create_table(
        "official_count",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("import_file_id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=True),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("unit_id", sa.String(length=60), nullable=False),
        sa.Column("station_number", sa.Integer(), nullable=True),
        sa.Column("station_name", sa.String(length=300), nullable=True),
        sa.Column("postcode", sa.String(length=6), nullable=True),
        sa.Column("electorate", sa.Integer(), nullable=True),
        sa.Column("poll_card_count", sa.Integer(), nullable=True),
        sa.Column("proxy_certificate_count", sa.Integer(), nullable=True),
        sa.Column("voter_card_count", sa.Integer(), nullable=True),
        sa.Column("total_admitted_voters_count", sa.Integer(), nullable=True),
        sa.Column("valid_votes_count", sa.Integer(), nullable=True),
        sa.Column("blank_votes_count", sa.Integer(), nullable=True),
        sa.Column("invalid_votes_count", sa.Integer(), nullable=True),
        sa.Column("total_votes_cast_count", sa.Integer(), nullable=True),
        sa.Column("more_ballots_count", sa.Integer(), nullable=True),
        sa.Column("fewer_ballots_count", sa.Integer(), nullable=True),
        sa.Column("explanations", JSONB, nullable=True),
        sa.CheckConstraint(
            "level IN ('station','municipality','kieskring','total')", name="ck_official_count_level"
        ),
        sa.CheckConstraint(
            "level <> 'station' OR station_number IS NOT NULL", name="ck_official_count_station"
        ),
        sa.ForeignKeyConstraint(["import_file_id"], ["import_file.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_official_count_import_file_id", "official_count", ["import_file_id"])
    op.create_index(
        "ix_official_count_unit", "official_count", ["election_id", "municipality_code", "station_number"]
    )
    op.create_table(
        "official_list_votes",
        sa.Column("official_count_id", sa.BigInteger(), nullable=False),
        sa.Column("list_number", sa.Integer(), nullable=False),
        sa.Column("import_file_id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=True),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("station_number", sa.Integer(), nullable=True),
        sa.Column("list_name", sa.String(length=300), nullable=True),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["official_count_id"], ["official_count.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("official_count_id", "list_number"),
    )
    op.create_index("ix_official_list_votes_import_file_id", "official_list_votes", ["import_file_id"])
    op.create_index(
        "ix_official_list_votes_unit",
        "official_list_votes",
        ["election_id", "municipality_code", "station_number"],
    )
    # No foreign key to official_count here: millions of rows are bulk-copied, and rows are never
    # deleted (a superseded file is kept); the loader writes them in the same transaction as their count.
    op.create_table(
        "official_candidate_votes",
        sa.Column("official_count_id", sa.BigInteger(), nullable=False),
        sa.Column("list_number", sa.Integer(), nullable=False),
        sa.Column("candidate_number", sa.Integer(), nullable=False),
        sa.Column("import_file_id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=True),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("station_number", sa.Integer(), nullable=True),
        sa.Column("candidate_name", sa.String(length=300), nullable=True),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("official_count_id", "list_number", "candidate_number"),
    )
    op.create_index(
        "ix_official_candidate_votes_import_file_id", "official_candidate_votes", ["import_file_id"]
    )
    for view, table in VIEWS.items():
        op.execute(
            f"CREATE VIEW {view} WITH (security_invoker = true) AS "
            f"SELECT t.* FROM {table} t JOIN import_file f ON f.id = t.import_file_id "
            "WHERE f.superseded_by IS NULL"
        )


def downgrade() -> None:
    for view in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    op.drop_table("official_candidate_votes")
    op.drop_table("official_list_votes")
    op.drop_table("official_count")
    op.drop_table("import_file")
