"""Tables of the election-day simulator (issue 7): the simulation clock."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, DateTime, Float, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.models import Base


class SimulationClock(Base):
    """The simulated time of day of a simulator run for one municipality in one election.

    Written only by the simulator (``app/services/simulator.py``): reset when a replay begins, advanced
    at most about once per simulated minute, ``finished_at`` set when the run ends (or is stopped). The
    office reads it through ``app/services/clock.py``: a fresh, unfinished clock of a practice election
    (or of a run explicitly allowed into a real one, ``allow_real``) replaces the real clock."""

    __tablename__ = "simulation_clock"
    election_id: Mapped[str] = mapped_column(
        String(24), ForeignKey("election.id", ondelete="CASCADE"), primary_key=True
    )
    municipality_code: Mapped[str] = mapped_column(
        String(6), ForeignKey("municipality.code", ondelete="CASCADE"), primary_key=True
    )
    simulated_now: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    speed: Mapped[float | None] = mapped_column(Float)
    """simulated seconds per real second; ``None``: as fast as possible"""
    allow_real: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    """the run was explicitly allowed into an election that is not a practice election (the demo)"""
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (CheckConstraint("speed IS NULL OR speed > 0", name="ck_simulation_clock_speed"),)
