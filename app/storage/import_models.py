"""Tables of the official imports (issue 5): which files were imported, and the official results they
hold per reporting unit (docs/data-model-imports.md).

* ``import_file``: one row per imported file. The same bytes (``sha256``) for the same election,
  municipality and format are stored once; a different file of the same kind for the same election and
  municipality is a new ``version`` and the previous one gets ``superseded_by`` (kept, never deleted).
* ``official_count``: the boxes of the proces-verbaal per reporting unit (a station, or the file's
  municipality total, or a municipality in a kieskring file).
* ``official_list_votes`` / ``official_candidate_votes``: votes per list and per candidate of each
  reporting unit.

Names of lists and candidates are stored as the file gives them, so a result stays readable without the
set-up tables. The views ``official_count_current``, ``official_list_votes_current`` and
``official_candidate_votes_current`` (migration 0003) hold only the rows of files not superseded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.models import Base

IMPORT_KINDS = ("counts", "stations", "candidates", "definition")
COUNT_LEVELS = ("station", "municipality", "kieskring", "total")


class ImportFile(Base):
    __tablename__ = "import_file"
    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    election_id: Mapped[str] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"))
    # NULL for a file that spans several municipalities (a kieskring-level count).
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))
    kind: Mapped[str] = mapped_column(String(12))  # counts, stations, candidates, definition
    format: Mapped[str] = mapped_column(String(24))  # etl.model FORMAT_*: eml-510, osv4-3-csv...
    file_name: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per election + municipality + kind
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    imported_by: Mapped[str | None] = mapped_column(String(200))  # actor audit id and name
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("import_file.id"))
    summary: Mapped[dict[str, Any] | None] = mapped_column()  # stations, lists, candidates, votes
    warnings: Mapped[list[Any] | None] = mapped_column()  # [{"code", "message", "place"}]
    __table_args__ = (
        UniqueConstraint(
            "election_id",
            "municipality_code",
            "format",
            "sha256",
            name="uq_import_file_sha256",
            postgresql_nulls_not_distinct=True,
        ),
        UniqueConstraint(
            "election_id",
            "municipality_code",
            "kind",
            "version",
            name="uq_import_file_version",
            postgresql_nulls_not_distinct=True,
        ),
        CheckConstraint(
            "kind IN ('counts','stations','candidates','definition')", name="ck_import_file_kind"
        ),
        CheckConstraint("version > 0", name="ck_import_file_version"),
        CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="ck_import_file_sha256"),
    )


class OfficialCount(Base):
    """The official count of one reporting unit, as the file gives it (boxes it lacks are NULL)."""

    __tablename__ = "official_count"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    import_file_id: Mapped[int] = mapped_column(ForeignKey("import_file.id", ondelete="CASCADE"))
    election_id: Mapped[str] = mapped_column(String(24))
    municipality_code: Mapped[str | None] = mapped_column(String(6))
    level: Mapped[str] = mapped_column(String(12))  # station, municipality, kieskring, total
    unit_id: Mapped[str] = mapped_column(String(60))  # the file's own id: 0668::SB1, 0668, 3...
    station_number: Mapped[int | None] = mapped_column(Integer)
    station_name: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(6))
    electorate: Mapped[int | None] = mapped_column(Integer)  # opgeroepenen (placeholder per station)
    poll_card_count: Mapped[int | None] = mapped_column(Integer)  # A
    proxy_certificate_count: Mapped[int | None] = mapped_column(Integer)  # B
    voter_card_count: Mapped[int | None] = mapped_column(Integer)  # C
    total_admitted_voters_count: Mapped[int | None] = mapped_column(Integer)  # D
    valid_votes_count: Mapped[int | None] = mapped_column(Integer)  # E
    blank_votes_count: Mapped[int | None] = mapped_column(Integer)  # F
    invalid_votes_count: Mapped[int | None] = mapped_column(Integer)  # G
    total_votes_cast_count: Mapped[int | None] = mapped_column(Integer)  # H
    more_ballots_count: Mapped[int | None] = mapped_column(Integer)  # I
    fewer_ballots_count: Mapped[int | None] = mapped_column(Integer)  # J
    explanations: Mapped[dict[str, Any] | None] = mapped_column()
    __table_args__ = (
        CheckConstraint(
            "level IN ('station','municipality','kieskring','total')", name="ck_official_count_level"
        ),
        CheckConstraint("level <> 'station' OR station_number IS NOT NULL", name="ck_official_count_station"),
        Index("ix_official_count_import_file_id", "import_file_id"),
        Index("ix_official_count_unit", "election_id", "municipality_code", "station_number"),
    )


class OfficialListVotes(Base):
    """Votes per list of one reporting unit (E.1 ... E.n)."""

    __tablename__ = "official_list_votes"
    official_count_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("official_count.id", ondelete="CASCADE"), primary_key=True
    )
    list_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_file_id: Mapped[int] = mapped_column(Integer)
    election_id: Mapped[str] = mapped_column(String(24))
    municipality_code: Mapped[str | None] = mapped_column(String(6))
    level: Mapped[str] = mapped_column(String(12))
    station_number: Mapped[int | None] = mapped_column(Integer)
    list_name: Mapped[str | None] = mapped_column(String(300))
    votes: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        Index("ix_official_list_votes_import_file_id", "import_file_id"),
        Index("ix_official_list_votes_unit", "election_id", "municipality_code", "station_number"),
    )


class OfficialCandidateVotes(Base):
    """Votes per candidate of one reporting unit (candidate-level files only)."""

    __tablename__ = "official_candidate_votes"
    official_count_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    list_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_file_id: Mapped[int] = mapped_column(Integer)
    election_id: Mapped[str] = mapped_column(String(24))
    municipality_code: Mapped[str | None] = mapped_column(String(6))
    level: Mapped[str] = mapped_column(String(12))
    station_number: Mapped[int | None] = mapped_column(Integer)
    candidate_name: Mapped[str | None] = mapped_column(String(300))
    votes: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_official_candidate_votes_import_file_id", "import_file_id"),)
