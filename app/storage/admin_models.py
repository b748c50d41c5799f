"""Tables of administration (issue 8): one-time sign-in links printed on the chairs' access letters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Identity, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.models import Base


class SignInLink(Base):
    """A one-time sign-in link for a station's chair (the QR code on the access letter).

    Only the SHA-256 of the random token is stored (the token has 256 bits of entropy, so a fast hash is
    safe and lets the row be found by it). A link works once (``used_at``), only inside the election's
    access window, and not after it is revoked (a new letter or a revoked code revokes it).
    """

    __tablename__ = "sign_in_link"
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    polling_station_id: Mapped[int] = mapped_column(ForeignKey("polling_station.id", ondelete="CASCADE"))
    municipality_code: Mapped[str] = mapped_column(String(6))
    election_id: Mapped[str] = mapped_column(String(24))
    valid_from: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_by: Mapped[str | None] = mapped_column(String(120))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (CheckConstraint("valid_until > valid_from", name="ck_sign_in_link_window"),)


class DeviceSession(Base):
    """ "Stay signed in on this device": a browser's sign-in kept across reloads (a phone that reloads
    a tab after switching apps would otherwise sign its chair out on election day).

    The browser holds a random token (256 bits) in an HttpOnly cookie; only its SHA-256 is stored. A
    row lasts ``STEMDAG_SESSION_MINUTES``; signing out revokes it, and so do a new or revoked access code
    of the station, or a staff account deactivated or given a new password.
    """

    __tablename__ = "device_session"
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    polling_station_id: Mapped[int | None] = mapped_column(
        ForeignKey("polling_station.id", ondelete="CASCADE")
    )
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    municipality_code: Mapped[str | None] = mapped_column(String(6))
    election_id: Mapped[str | None] = mapped_column(String(24))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        CheckConstraint(
            "(polling_station_id IS NULL) <> (staff_user_id IS NULL)", name="ck_device_session_one_owner"
        ),
    )
