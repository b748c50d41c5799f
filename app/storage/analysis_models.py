"""Tables of the analyst workspace (issue 6): the party harmonisation that analysts edit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Identity, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.models import Base


class PartyHarmonisation(Base):
    """Which harmonised party a list name stands for in one municipality, across elections.

    ``party_name_normalised`` is the raw name without case, accents and punctuation
    (app/analysis/parties.normalise); names without a row fall back to the built-in defaults.
    """

    __tablename__ = "party_harmonisation"
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code", ondelete="CASCADE"))
    party_name: Mapped[str] = mapped_column(String(300))  # as the analyst typed or picked it
    party_name_normalised: Mapped[str] = mapped_column(String(300))
    party_key: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_by: Mapped[str | None] = mapped_column(String(200))
    __table_args__ = (
        UniqueConstraint("municipality_code", "party_name_normalised", name="uq_party_harmonisation_name"),
    )
