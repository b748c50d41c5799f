"""Tables of the chairperson's reports and the preliminary count (issue 3, migration 0002).

Reports are append-only: every report is a new row, a correction is a new row (``supersedes_id``,
``is_correction``) and a count correction is a new ``count_version``; nothing reported is overwritten or
deleted. ``station_state`` is the one exception by design: the latest state of each station, kept up to
date by the services in the same transaction as each report; the office dashboards read only that table.

Every table carries ``election_id``, ``municipality_code`` (tenant, row-level security from 0006) and
``polling_station_id``. Chair reports carry ``reported_at``, the actor's audit id and name, and a unique
``client_submission_id`` (UUID made when the form was shown: a retry stores nothing new).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.storage.models import Base

STATION_STATUSES = (
    "not_opened",
    "open",
    "problem",
    "closed",
    "counting",
    "count_submitted",
    "count_returned",
    "count_accepted",
)
INCIDENT_CATEGORIES = (
    "ballot_shortage",
    "member_absent",
    "voter_issue",
    "accessibility",
    "technical",
    "disturbance",
    "other",
)
INCIDENT_SEVERITIES = ("low", "medium", "high")
INCIDENT_STATUSES = ("open", "acknowledged", "resolved")
INCIDENT_EVENT_KINDS = ("reply", "acknowledge", "assign", "resolve", "reopen")
SIGNAL_KINDS = ("queue", "need_help")
QUEUE_LEVELS = ("none", "short", "long")
COUNT_STATUSES = ("submitted", "returned", "accepted")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class _Report:
    """Columns every chair report has."""

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    election_id: Mapped[str] = mapped_column(String(24))
    municipality_code: Mapped[str] = mapped_column(String(6))
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor_id: Mapped[str] = mapped_column(String(80))  # Actor.audit_id: station:<id> or user:<id>
    actor_name: Mapped[str | None] = mapped_column(String(200))
    client_submission_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)

    @declared_attr
    def polling_station_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("polling_station.id", ondelete="CASCADE"), index=True)


class StationOpening(_Report, Base):
    """The opening checklist as ticked and the time the station opened."""

    __tablename__ = "station_opening"
    checklist: Mapped[dict[str, Any]] = mapped_column()  # {item key: true/false}
    ballots_received: Mapped[int | None] = mapped_column(Integer)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    is_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    __table_args__ = (
        CheckConstraint("ballots_received IS NULL OR ballots_received >= 0", name="ck_so_ballots"),
    )


class MemberReport(_Report, Base):
    """Members present (including the chair); fewer than 3 is stored, warned and alerted, never refused."""

    __tablename__ = "member_report"
    present_count: Mapped[int] = mapped_column(Integer)
    names: Mapped[list[Any] | None] = mapped_column()  # optional names, as typed
    note: Mapped[str | None] = mapped_column(Text)  # a shift change
    __table_args__ = (CheckConstraint("present_count BETWEEN 1 AND 7", name="ck_mr_present"),)


class StockReport(_Report, Base):
    """Ballot papers left for the station's election (one station row per election on a shared day)."""

    __tablename__ = "stock_report"
    ballots_left: Mapped[int] = mapped_column(Integer)
    low_stock_threshold: Mapped[int] = mapped_column(Integer)
    low_stock: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (CheckConstraint("ballots_left >= 0", name="ck_sr_ballots"),)


class StationSignal(_Report, Base):
    """A queue indication (value none/short/long) or a request for help (value NULL)."""

    __tablename__ = "station_signal"
    kind: Mapped[str] = mapped_column(String(12))
    value: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint(_in("kind", SIGNAL_KINDS), name="ck_ss_kind"),
        CheckConstraint(f"value IS NULL OR {_in('value', QUEUE_LEVELS)}", name="ck_ss_value"),
    )


class TurnoutReport(_Report, Base):
    """Admitted voters so far at a turnout moment (cumulative). A correction is a new row with a reason."""

    __tablename__ = "turnout_report"
    moment: Mapped[str] = mapped_column(String(5))  # "HH:MM", one of the election's turnout moments
    poll_card_count: Mapped[int | None] = mapped_column(Integer)  # A stempassen
    proxy_certificate_count: Mapped[int | None] = mapped_column(Integer)  # B volmachtbewijzen
    voter_card_count: Mapped[int | None] = mapped_column(Integer)  # C kiezerspassen (None at GR)
    total_admitted_voters_count: Mapped[int] = mapped_column(Integer)  # D so far
    is_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    is_correction: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    correction_reason: Mapped[str | None] = mapped_column(Text)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("turnout_report.id"))
    __table_args__ = (
        CheckConstraint("moment ~ '^[0-2][0-9]:[0-5][0-9]$'", name="ck_tr_moment"),
        CheckConstraint("total_admitted_voters_count >= 0", name="ck_tr_total"),
        CheckConstraint(
            "coalesce(poll_card_count, 0) >= 0 AND coalesce(proxy_certificate_count, 0) >= 0 "
            "AND coalesce(voter_card_count, 0) >= 0",
            name="ck_tr_counts",
        ),
        CheckConstraint("NOT is_correction OR correction_reason IS NOT NULL", name="ck_tr_reason"),
    )


class Incident(_Report, Base):
    """An incident raised by the chair. Text is kept as typed; status and assignment follow the
    ``incident_event`` rows (the office's replies, acknowledgement, assignment, resolution)."""

    __tablename__ = "incident"
    category: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(6))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open", server_default="open")
    assigned_to: Mapped[str | None] = mapped_column(String(200))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    __table_args__ = (
        CheckConstraint(_in("category", INCIDENT_CATEGORIES), name="ck_incident_category"),
        CheckConstraint(_in("severity", INCIDENT_SEVERITIES), name="ck_incident_severity"),
        CheckConstraint(_in("status", INCIDENT_STATUSES), name="ck_incident_status"),
        Index("ix_incident_municipality_status", "municipality_code", "status"),
    )


class IncidentEvent(Base):
    """Append-only history of an incident: who did what, when, with which text."""

    __tablename__ = "incident_event"
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    election_id: Mapped[str] = mapped_column(String(24))
    municipality_code: Mapped[str] = mapped_column(String(6))
    polling_station_id: Mapped[int] = mapped_column(ForeignKey("polling_station.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    text: Mapped[str | None] = mapped_column(Text)
    assigned_to: Mapped[str | None] = mapped_column(String(200))  # for kind = assign
    actor_kind: Mapped[str] = mapped_column(String(10))  # chair, staff
    actor_id: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    client_submission_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    __table_args__ = (CheckConstraint(_in("kind", INCIDENT_EVENT_KINDS), name="ck_incident_event_kind"),)


class StationClosing(_Report, Base):
    __tablename__ = "station_closing"
    closed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class CountVersion(_Report, Base):
    """One version of a station's preliminary count (proces-verbaal boxes, Abacus names). Version n+1 is
    a correction of version n; earlier versions stay. Only the review columns change (by the office)."""

    __tablename__ = "count_version"
    version: Mapped[int] = mapped_column(Integer)
    counting_method: Mapped[str] = mapped_column(String(3))
    poll_card_count: Mapped[int] = mapped_column(Integer)  # A
    proxy_certificate_count: Mapped[int] = mapped_column(Integer)  # B
    voter_card_count: Mapped[int | None] = mapped_column(Integer)  # C (None: not on the form, GR)
    total_admitted_voters_count: Mapped[int] = mapped_column(Integer)  # D
    votes_candidates_count: Mapped[int] = mapped_column(Integer)  # E
    blank_votes_count: Mapped[int] = mapped_column(Integer)  # F
    invalid_votes_count: Mapped[int] = mapped_column(Integer)  # G
    total_votes_cast_count: Mapped[int] = mapped_column(Integer)  # H
    admitted_voters_equal_votes_cast: Mapped[bool] = mapped_column(Boolean)
    votes_cast_greater_than_admitted_voters: Mapped[bool] = mapped_column(Boolean)
    votes_cast_smaller_than_admitted_voters: Mapped[bool] = mapped_column(Boolean)
    more_ballots_count: Mapped[int] = mapped_column(Integer)  # I
    fewer_ballots_count: Mapped[int] = mapped_column(Integer)  # J
    difference_completely_accounted_for_yes: Mapped[bool] = mapped_column(Boolean)
    difference_completely_accounted_for_no: Mapped[bool] = mapped_column(Boolean)
    # [{"number", "total", "candidate_votes": [votes of candidate 1, 2, ...], "candidates_total"}]
    political_group_votes: Mapped[list[Any]] = mapped_column()
    warnings: Mapped[list[Any]] = mapped_column()  # warning codes found, ["W.201", ...]
    explanations: Mapped[dict[str, Any]] = mapped_column()  # {"W.201": "explanation as typed"}
    status: Mapped[str] = mapped_column(String(10), default="submitted", server_default="submitted")
    returned_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(80))  # audit id of the office user
    reviewed_by_name: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        UniqueConstraint("polling_station_id", "version", name="uq_count_version_station_version"),
        CheckConstraint("version > 0", name="ck_cv_version"),
        CheckConstraint(_in("status", COUNT_STATUSES), name="ck_cv_status"),
        CheckConstraint("counting_method IN ('CSO','DSO')", name="ck_cv_method"),
        CheckConstraint("status <> 'returned' OR returned_reason IS NOT NULL", name="ck_cv_reason"),
    )


class CountListVotes(Base):
    """E.n of one count version, one row per list: for sums in SQL (dashboards, analysis)."""

    __tablename__ = "count_list_votes"
    count_version_id: Mapped[int] = mapped_column(
        ForeignKey("count_version.id", ondelete="CASCADE"), primary_key=True
    )
    political_group_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    election_id: Mapped[str] = mapped_column(String(24))
    municipality_code: Mapped[str] = mapped_column(String(6))
    polling_station_id: Mapped[int] = mapped_column(ForeignKey("polling_station.id", ondelete="CASCADE"))
    votes: Mapped[int] = mapped_column(Integer)
    __table_args__ = (CheckConstraint("votes >= 0", name="ck_clv_votes"),)


class CountDraft(Base):
    """What the chair has typed into the count form so far (migration 0008): one row per station, kept
    while typing so that a page reload, another device or an app-server restart does not lose it. Not a
    report: it is never shown to the office, it is overwritten as the chair types and deleted in the
    same transaction that stores the submitted version (which is the audited record)."""

    __tablename__ = "count_draft"
    polling_station_id: Mapped[int] = mapped_column(
        ForeignKey("polling_station.id", ondelete="CASCADE"), primary_key=True
    )
    election_id: Mapped[str] = mapped_column(String(24))
    municipality_code: Mapped[str] = mapped_column(String(6))
    version: Mapped[int] = mapped_column(Integer)  # the version the draft would become when submitted
    form: Mapped[dict[str, Any]] = mapped_column()  # the count form's shape, values may be missing
    explanations: Mapped[dict[str, Any]] = mapped_column()  # {"W.201": "as typed so far"}
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    __table_args__ = (CheckConstraint("version > 0", name="ck_count_draft_version"),)


class StationState(Base):
    """The latest state of one station, written in the same transaction as each report. Derived data:
    it can be rebuilt from the reports. The office dashboards read only this table."""

    __tablename__ = "station_state"
    polling_station_id: Mapped[int] = mapped_column(
        ForeignKey("polling_station.id", ondelete="CASCADE"), primary_key=True
    )
    election_id: Mapped[str] = mapped_column(String(24))
    municipality_code: Mapped[str] = mapped_column(String(6))
    status: Mapped[str] = mapped_column(String(16), default="not_opened", server_default="not_opened")
    opened_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    opened_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    members_present: Mapped[int | None] = mapped_column(Integer)
    members_reported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    ballots_left: Mapped[int | None] = mapped_column(Integer)
    low_stock: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    stock_reported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    queue: Mapped[str | None] = mapped_column(String(12))
    queue_reported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    need_help: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    need_help_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_turnout_moment: Mapped[str | None] = mapped_column(String(5))
    last_turnout_poll_card_count: Mapped[int | None] = mapped_column(Integer)
    last_turnout_proxy_certificate_count: Mapped[int | None] = mapped_column(Integer)
    last_turnout_voter_card_count: Mapped[int | None] = mapped_column(Integer)
    last_turnout_admitted_voters: Mapped[int | None] = mapped_column(Integer)
    turnout_reported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    open_incidents_low: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    open_incidents_medium: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    open_incidents_high: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    count_version_id: Mapped[int | None] = mapped_column(Integer)
    count_version: Mapped[int | None] = mapped_column(Integer)
    count_status: Mapped[str | None] = mapped_column(String(10))
    count_submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_report_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    __table_args__ = (
        CheckConstraint(_in("status", STATION_STATUSES), name="ck_state_status"),
        CheckConstraint(f"count_status IS NULL OR {_in('count_status', COUNT_STATUSES)}", name="ck_state_cs"),
        Index("ix_station_state_municipality", "municipality_code", "election_id"),
    )
