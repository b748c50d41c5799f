"""All 330 GR2022 osv4-3 files of ../shared/data parse; station count and valid votes match the
data README. Also a speed check of the EML 510 parser against bare lxml iterparse."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
from lxml import etree

from etl.parsers.detect import parse_file
from etl.parsers.eml import parse_510

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "official"
GR2022 = DATA / "gr2022_osv4-3"
FIX = Path(__file__).resolve().parents[1] / "fixtures" / "etl"


@pytest.mark.slow
@pytest.mark.skipif(not GR2022.is_dir(), reason="../shared/data not present")
def test_all_330_gr2022_files():
    files = sorted(GR2022.glob("*.csv"))
    assert len(files) == 330
    start = time.perf_counter()
    results = [parse_file(f) for f in files]
    elapsed = time.perf_counter() - start
    stations = sum(len(r.counts) for r in results)
    valid = sum(r.valid_votes for r in results)
    print(f"\nparsed {len(files)} GR2022 files: {stations} stations, {valid} valid votes in {elapsed:.2f} s")
    assert stations == 11_986
    assert valid == 6_659_794
    assert len({r.municipality_code for r in results}) == 330
    assert {r.election_id for r in results} == {"GR2022"}
    assert all(r.total.valid_votes_count == r.valid_votes for r in results)


@pytest.mark.slow
def test_510_parse_cost_is_near_bare_iterparse(tmp_path):
    """A ~50 MB candidate-level 510b made from the real TK2025 file by repeating its stations."""
    text = gzip.decompress(
        (FIX / "real" / "Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml.gz").read_bytes()
    )
    text = text.decode("utf-8")
    first = text.index("<ReportingUnitVotes>")
    last = text.rindex("</ReportingUnitVotes>") + len("</ReportingUnitVotes>")
    units = text[first:last]
    copies = max(1, 50_000_000 // len(units))
    big = tmp_path / "big_510b.eml.xml"
    with open(big, "w", encoding="utf-8") as out:
        out.write(text[:first])
        for i in range(copies):
            out.write(units.replace("0668::SB", f"0668::SB{i + 1:03d}"))
        out.write(text[last:])

    def bare() -> float:
        t = time.perf_counter()
        for _event, elem in etree.iterparse(str(big), events=("end",)):
            elem.clear()
        return time.perf_counter() - t

    def ours() -> float:
        t = time.perf_counter()
        with pytest.raises(Exception) as info:  # the file's total no longer matches: refused
            parse_510(big)
        assert "inconsistent totals" in str(info.value)
        return time.perf_counter() - t

    base, mine = min(bare() for _ in range(2)), min(ours() for _ in range(2))
    size = big.stat().st_size / 1e6
    print(
        f"\n{size:.0f} MB 510b: bare iterparse {base:.2f} s, parse_510 {mine:.2f} s, ratio {mine / base:.2f}"
    )
    assert mine / base < 2.0
