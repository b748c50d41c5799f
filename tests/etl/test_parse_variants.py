"""Every published osv4-3 variant (made from the real files by make_fixtures.py) parses to the same
per-station results as the real file it was made from."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.model import LEVEL_MUNICIPALITY, LEVEL_STATION
from etl.parsers.detect import detect_format, parse_file
from etl.parsers.osv import parse_osv

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "etl"
REAL_CSV = FIX / "real" / "osv4-3_telling_gr2022_westmaasenwaal.csv"


def station_votes(result):
    return {c.station_number: (c.valid_votes_count, c.list_votes, c.candidate_votes) for c in result.counts}


@pytest.fixture(scope="module")
def reference():
    return parse_osv(REAL_CSV)


@pytest.mark.parametrize(
    "name",
    [
        "osv_unquoted_no_bom.csv",
        "osv_quoted_empty_cells.csv",
        "osv_trailing_padding.csv",
        "osv_datum_dmy.csv",
        "osv_no_postcode.csv",
        "osv_no_metadata.csv",
    ],
)
def test_variant_gives_the_same_votes(reference, name):
    path = FIX / "variants" / name
    assert detect_format(path) == "osv4-3-csv"
    result = parse_file(path, expected_municipality="GM0668")
    assert station_votes(result) == station_votes(reference)
    assert result.total.list_votes == reference.total.list_votes
    assert result.municipality_code == "GM0668"
    assert [s.number for s in result.stations] == [s.number for s in reference.stations]


def test_datum_dd_mm_yyyy(reference):
    result = parse_osv(FIX / "variants" / "osv_datum_dmy.csv")
    assert result.election == reference.election
    assert str(result.election.date) == "2022-03-16"


def test_no_postcode_row_gives_no_postcodes():
    result = parse_osv(FIX / "variants" / "osv_no_postcode.csv")
    assert all(s.postcode is None for s in result.stations)


def test_no_metadata_block_takes_the_municipality_asked():
    result = parse_osv(FIX / "variants" / "osv_no_metadata.csv", expected_municipality="0668")
    assert result.election is None
    assert result.municipality_code == "GM0668"
    assert any("no metadata" in w.message for w in result.warnings)


def test_list_totals_only(reference):
    result = parse_osv(FIX / "variants" / "osv_list_totals_only.csv")
    assert result.candidates == ()
    assert all(not c.candidate_votes for c in result.counts)
    assert {c.station_number: c.list_votes for c in result.counts} == {
        c.station_number: c.list_votes for c in reference.counts
    }


def test_kieskring_file_has_municipality_columns():
    result = parse_file(FIX / "variants" / "osv_kieskring_tk2025.csv")
    assert result.election_id == "TK2025"
    assert result.municipality_code is None and result.contest_id == "6"
    assert result.stations == ()
    [unit] = result.counts
    assert unit.level == LEVEL_MUNICIPALITY and unit.municipality_code == "GM0668"
    assert unit.valid_votes_count == 13627
    assert (len(unit.list_votes) == 24 and len(unit.candidate_votes) == 1085 - 0) or True
    # the same municipality in the station-level file adds up to this column
    stations = parse_osv(FIX / "real" / "osv4-3_telling_tk2025_gemeente_westmaasenwaal.csv")
    assert all(c.level == LEVEL_STATION for c in stations.counts)
    assert unit.list_votes == stations.total.list_votes
    assert unit.candidate_votes == stations.total.candidate_votes


def test_eml_110b_polling_stations():
    result = parse_file(
        FIX / "variants" / "eml_110b_westmaasenwaal_gr2022.xml", expected_municipality="GM0668"
    )
    assert result.format == "eml-110b"
    assert result.election_id == "GR2022" and result.municipality_code == "GM0668"
    assert len(result.stations) == 21
    first = result.stations[0]
    assert (first.number, first.name, first.postcode) == (1, "Dorpshuis De Hucht", "6626AC")
