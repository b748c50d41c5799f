"""SQLAlchemy 2 tables of the system of record. The schema changes only through Alembic revisions
(app/storage/migrations); these classes describe it for queries. Every tenant table carries the
municipality code so that isolation can be enforced on every query (and in the database).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict] = {dict[str, Any]: JSONB, list[Any]: JSONB}


class Municipality(Base):
    __tablename__ = "municipality"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)  # CBS code, GM0518
    name: Mapped[str] = mapped_column(String(120))
    public_page_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    __table_args__ = (CheckConstraint("code ~ '^GM[0-9]{4}$'", name="ck_municipality_code"),)


class Election(Base):
    __tablename__ = "election"
    id: Mapped[str] = mapped_column(String(24), primary_key=True)  # GR2026, TK2025
    kind: Mapped[str] = mapped_column(String(12))  # GR TK PS WS EP referendum
    name: Mapped[str] = mapped_column(String(200))
    election_date: Mapped[dt.date] = mapped_column(Date)
    council_size: Mapped[int | None] = mapped_column(Integer)  # TK: 150; GR: per municipality
    turnout_moments: Mapped[list[Any]] = mapped_column(JSONB)  # ["10:00", "13:45", "17:45", "21:00"]
    checklist_items: Mapped[list[Any]] = mapped_column(JSONB)  # [{"key":..., "nl":..., "en":...}]
    low_stock_threshold: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    is_practice: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    access_from: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    access_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    __table_args__ = (
        CheckConstraint("kind IN ('GR','TK','PS','WS','EP','EK','referendum')", name="ck_election_kind"),
        CheckConstraint("low_stock_threshold >= 0", name="ck_election_low_stock"),
    )


class ElectionMunicipality(Base):
    """Per-municipality settings of an election."""

    __tablename__ = "election_municipality"
    election_id: Mapped[str] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), primary_key=True)
    electorate: Mapped[int | None] = mapped_column(Integer)  # kiesgerechtigden
    counting_method: Mapped[str] = mapped_column(String(3), default="DSO", server_default="DSO")
    council_size: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (
        CheckConstraint("counting_method IN ('DSO','CSO')", name="ck_em_counting_method"),
        CheckConstraint("electorate IS NULL OR electorate >= 0", name="ck_em_electorate"),
    )


class PoliticalGroup(Base):
    """A list (lijst) as it stands in one municipality at one election."""

    __tablename__ = "political_group"
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    election_id: Mapped[str] = mapped_column(String(24))
    municipality_code: Mapped[str] = mapped_column(String(6))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    __table_args__ = (
        ForeignKeyConstraint(
            ["election_id", "municipality_code"],
            ["election_municipality.election_id", "election_municipality.municipality_code"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("election_id", "municipality_code", "number", name="uq_political_group_number"),
        CheckConstraint("number > 0", name="ck_political_group_number"),
    )


class Candidate(Base):
    __tablename__ = "candidate"
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    political_group_id: Mapped[int] = mapped_column(ForeignKey("political_group.id", ondelete="CASCADE"))
    municipality_code: Mapped[str] = mapped_column(String(6))
    number: Mapped[int] = mapped_column(Integer)
    last_name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str | None] = mapped_column(String(40))
    initials: Mapped[str | None] = mapped_column(String(40))
    first_name: Mapped[str | None] = mapped_column(String(100))
    locality: Mapped[str | None] = mapped_column(String(120))
    gender: Mapped[str | None] = mapped_column(String(10))
    __table_args__ = (
        UniqueConstraint("political_group_id", "number", name="uq_candidate_number"),
        CheckConstraint("number > 0", name="ck_candidate_number"),
    )


class PollingStation(Base):
    __tablename__ = "polling_station"
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    election_id: Mapped[str] = mapped_column(String(24))
    municipality_code: Mapped[str] = mapped_column(String(6))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    station_type: Mapped[str] = mapped_column(String(10), default="regulier", server_default="regulier")
    address: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(7))
    locality: Mapped[str | None] = mapped_column(String(120))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    opens_at: Mapped[dt.time] = mapped_column(Time, default=dt.time(7, 30), server_default="07:30")
    closes_at: Mapped[dt.time] = mapped_column(Time, default=dt.time(21, 0), server_default="21:00")
    wheelchair_accessible: Mapped[bool | None] = mapped_column(Boolean)
    accessibility: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # a chair signed in before this moment is signed out (a revoked or new access code; migration 0009)
    sessions_valid_after: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        ForeignKeyConstraint(
            ["election_id", "municipality_code"],
            ["election_municipality.election_id", "election_municipality.municipality_code"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("election_id", "municipality_code", "number", name="uq_polling_station_number"),
        CheckConstraint("station_type IN ('regulier','bijzonder','mobiel')", name="ck_station_type"),
        CheckConstraint("number > 0", name="ck_station_number"),
        CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="ck_station_lat"),
        CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180", name="ck_station_lon"),
    )


class PollingStationLocation(Base):
    """A mobile station (mobiel) has several location/time rows."""

    __tablename__ = "polling_station_location"
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    polling_station_id: Mapped[int] = mapped_column(ForeignKey("polling_station.id", ondelete="CASCADE"))
    municipality_code: Mapped[str] = mapped_column(String(6))
    address: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ck_location_times"),)


class StaffUser(Base):
    __tablename__ = "staff_user"
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)  # stored lower-case
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2id; NULL for OIDC-only users
    role: Mapped[str] = mapped_column(String(10))
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    oidc_subject: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # a session signed in before this moment ends (deactivated, new password; migration 0009)
    sessions_valid_after: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        CheckConstraint("role IN ('admin','office','analyst')", name="ck_staff_role"),
        CheckConstraint("role = 'admin' OR municipality_code IS NOT NULL", name="ck_staff_municipality"),
        CheckConstraint("username = lower(username)", name="ck_staff_username_lower"),
    )


class StationAccessCode(Base):
    """A chair's access code for one station at one election. Only a hash is stored.

    The first group of the code is a non-secret selector used to find the row; the whole code is
    verified against the argon2 hash (selector/verifier pattern).
    """

    __tablename__ = "station_access_code"
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    polling_station_id: Mapped[int] = mapped_column(ForeignKey("polling_station.id", ondelete="CASCADE"))
    municipality_code: Mapped[str] = mapped_column(String(6))
    selector: Mapped[str] = mapped_column(String(8), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_by: Mapped[str | None] = mapped_column(String(120))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (CheckConstraint("valid_until > valid_from", name="ck_code_window"),)


class SignInThrottle(Base):
    """Failed sign-in attempts per key (a username, a code selector); a lockout when there are too many."""

    __tablename__ = "sign_in_throttle"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    first_failure_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuditLog(Base):
    """Append-only: a trigger refuses UPDATE and DELETE. Written in the same transaction as the change."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor_kind: Mapped[str] = mapped_column(String(10))  # staff, chair, system, anonymous
    actor_id: Mapped[str | None] = mapped_column(String(80))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    municipality_code: Mapped[str | None] = mapped_column(String(6), index=True)
    election_id: Mapped[str | None] = mapped_column(String(24))
    polling_station_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str | None] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(80))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


# Tables of each area live in their own module on the same Base; importing them here lets Alembic and
# every query see the whole schema. (Add one line per area.)
from app.storage import admin_models as _admin_models  # noqa: E402, F401  (issue 8)
from app.storage import analysis_models as _analysis_models  # noqa: E402, F401  (issue 6)
from app.storage import chair_models as _chair_models  # noqa: E402, F401  (issue 3)
from app.storage import import_models as _import_models  # noqa: E402, F401  (issue 5)
from app.storage import simulation_models as _simulation_models  # noqa: E402, F401  (issue 7)
