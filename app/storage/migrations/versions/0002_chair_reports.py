"""chair reports: opening, members, stock, signals, turnout, incidents, closing, count versions, state.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

Issue 3. Append-only reports of a polling station's chair (every table has election_id,
municipality_code, polling_station_id, reported_at, the actor's audit id and a unique
client_submission_id), the incident history (``incident_event``), the preliminary count as versions
(``count_version`` + ``count_list_votes``) and the latest state per station (``station_state``), which
the services keep up to date in the same transaction as each report. Row-level security on these
tenant tables is switched on by 0006 (it finds every table with a municipality_code column).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSONB = postgresql.JSONB(astext_type=sa.Text())


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _report_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("actor_id", sa.String(length=80), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=True),
        sa.Column("client_submission_id", sa.Uuid(), nullable=False),
        sa.Column("polling_station_id", sa.Integer(), nullable=False),
    ]


def _report_table(name: str, *columns: sa.Column | sa.Constraint) -> None:
    op.create_table(
        name,
        *_report_columns(),
        *columns,
        sa.ForeignKeyConstraint(["polling_station_id"], ["polling_station.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_submission_id"),
    )
    op.create_index(op.f(f"ix_{name}_polling_station_id"), name, ["polling_station_id"], unique=False)


REPORT_TABLES = (
    "station_opening",
    "member_report",
    "stock_report",
    "station_signal",
    "turnout_report",
    "incident",
    "station_closing",
    "count_version",
)


def upgrade() -> None:
    _report_table(
        "station_opening",
        sa.Column("checklist", JSONB, nullable=False),
        sa.Column("ballots_received", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_late", sa.Boolean(), server_default="false", nullable=False),
        sa.CheckConstraint("ballots_received IS NULL OR ballots_received >= 0", name="ck_so_ballots"),
    )
    _report_table(
        "member_report",
        sa.Column("present_count", sa.Integer(), nullable=False),
        sa.Column("names", JSONB, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("present_count BETWEEN 1 AND 7", name="ck_mr_present"),
    )
    _report_table(
        "stock_report",
        sa.Column("ballots_left", sa.Integer(), nullable=False),
        sa.Column("low_stock_threshold", sa.Integer(), nullable=False),
        sa.Column("low_stock", sa.Boolean(), nullable=False),
        sa.CheckConstraint("ballots_left >= 0", name="ck_sr_ballots"),
    )
    _report_table(
        "station_signal",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("value", sa.String(length=12), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("kind IN ('queue', 'need_help')", name="ck_ss_kind"),
        sa.CheckConstraint("value IS NULL OR value IN ('none', 'short', 'long')", name="ck_ss_value"),
    )
    _report_table(
        "turnout_report",
        sa.Column("moment", sa.String(length=5), nullable=False),
        sa.Column("poll_card_count", sa.Integer(), nullable=True),
        sa.Column("proxy_certificate_count", sa.Integer(), nullable=True),
        sa.Column("voter_card_count", sa.Integer(), nullable=True),
        sa.Column("total_admitted_voters_count", sa.Integer(), nullable=False),
        sa.Column("is_late", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("is_correction", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("correction_reason", sa.Text(), nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["supersedes_id"], ["turnout_report.id"]),
        sa.CheckConstraint("moment ~ '^[0-2][0-9]:[0-5][0-9]$'", name="ck_tr_moment"),
        sa.CheckConstraint("total_admitted_voters_count >= 0", name="ck_tr_total"),
        sa.CheckConstraint(
            "coalesce(poll_card_count, 0) >= 0 AND coalesce(proxy_certificate_count, 0) >= 0 "
            "AND coalesce(voter_card_count, 0) >= 0",
            name="ck_tr_counts",
        ),
        sa.CheckConstraint("NOT is_correction OR correction_reason IS NOT NULL", name="ck_tr_reason"),
    )
    _report_table(
        "incident",
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.String(length=6), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), server_default="open", nullable=False),
        sa.Column("assigned_to", sa.String(length=200), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            _in(
                "category",
                (
                    "ballot_shortage",
                    "member_absent",
                    "voter_issue",
                    "accessibility",
                    "technical",
                    "disturbance",
                    "other",
                ),
            ),
            name="ck_incident_category",
        ),
        sa.CheckConstraint(_in("severity", ("low", "medium", "high")), name="ck_incident_severity"),
        sa.CheckConstraint(_in("status", ("open", "acknowledged", "resolved")), name="ck_incident_status"),
    )
    op.create_index("ix_incident_municipality_status", "incident", ["municipality_code", "status"])
    op.create_table(
        "incident_event",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("polling_station_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("assigned_to", sa.String(length=200), nullable=True),
        sa.Column("actor_kind", sa.String(length=10), nullable=False),
        sa.Column("actor_id", sa.String(length=80), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("client_submission_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            _in("kind", ("reply", "acknowledge", "assign", "resolve", "reopen")),
            name="ck_incident_event_kind",
        ),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["polling_station_id"], ["polling_station.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_submission_id"),
    )
    op.create_index(op.f("ix_incident_event_incident_id"), "incident_event", ["incident_id"], unique=False)
    _report_table("station_closing", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False))
    _report_table(
        "count_version",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("counting_method", sa.String(length=3), nullable=False),
        sa.Column("poll_card_count", sa.Integer(), nullable=False),
        sa.Column("proxy_certificate_count", sa.Integer(), nullable=False),
        sa.Column("voter_card_count", sa.Integer(), nullable=True),
        sa.Column("total_admitted_voters_count", sa.Integer(), nullable=False),
        sa.Column("votes_candidates_count", sa.Integer(), nullable=False),
        sa.Column("blank_votes_count", sa.Integer(), nullable=False),
        sa.Column("invalid_votes_count", sa.Integer(), nullable=False),
        sa.Column("total_votes_cast_count", sa.Integer(), nullable=False),
        sa.Column("admitted_voters_equal_votes_cast", sa.Boolean(), nullable=False),
        sa.Column("votes_cast_greater_than_admitted_voters", sa.Boolean(), nullable=False),
        sa.Column("votes_cast_smaller_than_admitted_voters", sa.Boolean(), nullable=False),
        sa.Column("more_ballots_count", sa.Integer(), nullable=False),
        sa.Column("fewer_ballots_count", sa.Integer(), nullable=False),
        sa.Column("difference_completely_accounted_for_yes", sa.Boolean(), nullable=False),
        sa.Column("difference_completely_accounted_for_no", sa.Boolean(), nullable=False),
        sa.Column("political_group_votes", JSONB, nullable=False),
        sa.Column("warnings", JSONB, nullable=False),
        sa.Column("explanations", JSONB, nullable=False),
        sa.Column("status", sa.String(length=10), server_default="submitted", nullable=False),
        sa.Column("returned_reason", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=80), nullable=True),
        sa.Column("reviewed_by_name", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("polling_station_id", "version", name="uq_count_version_station_version"),
        sa.CheckConstraint("version > 0", name="ck_cv_version"),
        sa.CheckConstraint(_in("status", ("submitted", "returned", "accepted")), name="ck_cv_status"),
        sa.CheckConstraint("counting_method IN ('CSO','DSO')", name="ck_cv_method"),
        sa.CheckConstraint("status <> 'returned' OR returned_reason IS NOT NULL", name="ck_cv_reason"),
    )
    op.create_table(
        "count_list_votes",
        sa.Column("count_version_id", sa.Integer(), nullable=False),
        sa.Column("political_group_number", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("polling_station_id", sa.Integer(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.CheckConstraint("votes >= 0", name="ck_clv_votes"),
        sa.ForeignKeyConstraint(["count_version_id"], ["count_version.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["polling_station_id"], ["polling_station.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("count_version_id", "political_group_number"),
    )
    op.create_table(
        "station_state",
        sa.Column("polling_station_id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.String(length=24), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="not_opened", nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_late", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("members_present", sa.Integer(), nullable=True),
        sa.Column("members_reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ballots_left", sa.Integer(), nullable=True),
        sa.Column("low_stock", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("stock_reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("queue", sa.String(length=12), nullable=True),
        sa.Column("queue_reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("need_help", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("need_help_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_turnout_moment", sa.String(length=5), nullable=True),
        sa.Column("last_turnout_poll_card_count", sa.Integer(), nullable=True),
        sa.Column("last_turnout_proxy_certificate_count", sa.Integer(), nullable=True),
        sa.Column("last_turnout_voter_card_count", sa.Integer(), nullable=True),
        sa.Column("last_turnout_admitted_voters", sa.Integer(), nullable=True),
        sa.Column("turnout_reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("open_incidents_low", sa.Integer(), server_default="0", nullable=False),
        sa.Column("open_incidents_medium", sa.Integer(), server_default="0", nullable=False),
        sa.Column("open_incidents_high", sa.Integer(), server_default="0", nullable=False),
        sa.Column("count_version_id", sa.Integer(), nullable=True),
        sa.Column("count_version", sa.Integer(), nullable=True),
        sa.Column("count_status", sa.String(length=10), nullable=True),
        sa.Column("count_submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_report_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            _in(
                "status",
                (
                    "not_opened",
                    "open",
                    "problem",
                    "closed",
                    "counting",
                    "count_submitted",
                    "count_returned",
                    "count_accepted",
                ),
            ),
            name="ck_state_status",
        ),
        sa.CheckConstraint(
            "count_status IS NULL OR count_status IN ('submitted', 'returned', 'accepted')",
            name="ck_state_cs",
        ),
        sa.ForeignKeyConstraint(["polling_station_id"], ["polling_station.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("polling_station_id"),
    )
    op.create_index("ix_station_state_municipality", "station_state", ["municipality_code", "election_id"])


def downgrade() -> None:
    op.drop_index("ix_station_state_municipality", table_name="station_state")
    op.drop_table("station_state")
    op.drop_table("count_list_votes")
    op.drop_index(op.f("ix_incident_event_incident_id"), table_name="incident_event")
    op.drop_table("incident_event")
    op.drop_index("ix_incident_municipality_status", table_name="incident")
    for name in reversed(REPORT_TABLES):
        op.drop_index(op.f(f"ix_{name}_polling_station_id"), table_name=name)
        op.drop_table(name)
