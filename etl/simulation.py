"""Sources of the election-day simulator (``app.services.simulator``): a real past election's
per-station results (the Kiesraad's osv4-3 CSV, e.g. ``data/gr2022/osv4-3_telling_gr2022_westmaasenwaal.csv``,
or any of the 330 GR2022 files in ``../shared/data/official/gr2022_osv4-3``) and the intraday turnout
curve (``data/intraday/press_turnout_points.csv``).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

from app.config import ROOT
from app.domain.ids import municipality_code as normalise_municipality
from app.domain.simulation import DEFAULT_CURVE, StationResult, curve_from_points
from etl.parsers.osv import parse_osv

GR2022_DEMO_DIR = ROOT / "data" / "gr2022"
GR2022_OFFICIAL_DIR = ROOT.parent / "shared" / "data" / "official" / "gr2022_osv4-3"
INTRADAY_POINTS = ROOT / "data" / "intraday" / "press_turnout_points.csv"


def station_results(path: str | Path) -> tuple[str | None, list[StationResult]]:
    """Per-station official results from an osv4-3 CSV: (municipality code, results by station number)."""
    parsed = parse_osv(path)
    results = []
    for count in parsed.counts:
        if count.station_number is None:
            continue
        d = count.total_admitted_voters_count or 0
        h = count.total_votes_cast_count or 0
        candidates: dict[int, dict[int, int]] = {}
        for (list_number, candidate), votes in count.candidate_votes.items():
            candidates.setdefault(list_number, {})[candidate] = votes
        explained = None
        if d != h:
            x = count.explanations
            unexplained = x.get("no_explanation", 0)
            explained = unexplained == 0 and sum(x.values()) > 0
        results.append(
            StationResult(
                number=count.station_number,
                name=count.name or f"Stembureau {count.station_number}",
                poll_card_count=count.poll_card_count or 0,
                proxy_certificate_count=count.proxy_certificate_count or 0,
                voter_card_count=None if not count.voter_card_count else count.voter_card_count,
                total_admitted_voters_count=d,
                list_votes=tuple(sorted(count.list_votes.items())),
                blank_votes_count=count.blank_votes_count or 0,
                invalid_votes_count=count.invalid_votes_count or 0,
                total_votes_cast_count=h,
                candidate_votes=tuple(
                    (number, tuple(votes.get(c, 0) for c in range(1, max(votes) + 1)))
                    for number, votes in sorted(candidates.items())
                ),
                difference_explained=explained,
            )
        )
    return parsed.municipality_code, sorted(results, key=lambda r: r.number)


def list_names(path: str | Path) -> dict[int, str]:
    """List number → name (Aanduiding) in an osv4-3 CSV."""
    return {item.number: item.name for item in parse_osv(path).lists}


def source_file(municipality_code: str, directories: Sequence[Path] = ()) -> Path:
    """The GR2022 osv4-3 file of a municipality: the demo copy in ``data/gr2022`` or the full set."""
    code = normalise_municipality(municipality_code)
    for directory in (*directories, GR2022_DEMO_DIR, GR2022_OFFICIAL_DIR):
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("osv4-3_telling_gr2022_*.csv")):
            if _file_municipality(path) == code:
                return path
    raise FileNotFoundError(f"no GR2022 osv4-3 file for {code}")


def _file_municipality(path: Path) -> str | None:
    """The ``Nummer`` of an osv4-3 file's metadata block, read from its first lines only."""
    with path.open(encoding="utf-8-sig") as fh:
        for _, line in zip(range(8), fh, strict=False):
            cells = [c.strip().strip('"') for c in line.split(";")]
            if cells and cells[0].lower() == "nummer":
                value = next((c for c in cells[1:] if c), "")
                try:
                    return normalise_municipality(value)
                except Exception:
                    return None
    return None


def intraday_curve(path: Path = INTRADAY_POINTS) -> tuple[tuple[int, Fraction], ...]:
    """The shape of an election day from the national press points: each point divided by that
    election's final turnout, averaged per moment (moments reported at least twice)."""
    if not path.exists():
        return DEFAULT_CURVE
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("scope") == "national"]
    finals: dict[str, Fraction] = {}
    points: list[tuple[str, str, Fraction]] = []
    try:
        for r in rows:
            if r["time_local"] in ("final", "21:00"):
                finals[r["election"]] = Fraction(Decimal(r["turnout_pct"]))
        for r in rows:
            if r["election"] in finals and r["time_local"] not in ("final", "21:00"):
                points.append(
                    (
                        r["election"],
                        r["time_local"],
                        Fraction(Decimal(r["turnout_pct"])) / finals[r["election"]],
                    )
                )
    except (KeyError, InvalidOperation, ValueError):
        return DEFAULT_CURVE
    return curve_from_points(points) or DEFAULT_CURVE
