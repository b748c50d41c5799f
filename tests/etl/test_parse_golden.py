"""Golden tests on real files: the EML 510 and the osv4-3 CSV of the same count agree exactly, and
each station's list and candidate totals equal the file's own totals."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from etl.model import LEVEL_STATION, ParseResult
from etl.parsers import checks
from etl.parsers.detect import parse_file
from etl.parsers.eml import parse_230b, parse_510
from etl.parsers.osv import parse_osv

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "etl"
REAL = FIX / "real"


def gunzip(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name.removesuffix(".gz")
    with gzip.open(REAL / name, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return target


def per_station(result: ParseResult) -> dict[int, tuple]:
    out = {}
    for c in result.counts:
        assert c.level == LEVEL_STATION
        out[c.station_number] = (
            c.name.removeprefix("Stembureau ") if c.name else None,
            c.postcode,
            c.municipality_code,
            c.poll_card_count,
            c.proxy_certificate_count,
            c.voter_card_count,
            c.total_admitted_voters_count,
            c.valid_votes_count,
            c.blank_votes_count,
            c.invalid_votes_count,
            c.total_votes_cast_count,
            c.more_ballots_count,
            c.fewer_ballots_count,
            c.electorate,
            dict(c.explanations),
            dict(c.list_votes),
            dict(c.candidate_votes),
        )
    return out


CASES = [
    (
        "Telling_GR2022_WestMaasenWaal.eml.xml.gz",
        "osv4-3_telling_gr2022_westmaasenwaal.csv",
        "GR2022",
        21,
        9350,
    ),
    (
        "Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml.gz",
        "osv4-3_telling_tk2025_gemeente_westmaasenwaal.csv",
        "TK2025",
        11,
        13627,
    ),
]


@pytest.mark.parametrize(("eml_name", "csv_name", "election", "stations", "valid"), CASES)
def test_eml_and_csv_of_the_same_count_are_identical(tmp_path, eml_name, csv_name, election, stations, valid):
    eml = parse_510(gunzip(eml_name, tmp_path))
    csv = parse_osv(REAL / csv_name)
    assert eml.election_id == csv.election_id == election
    assert eml.municipality_code == csv.municipality_code == "GM0668"
    assert len(eml.counts) == len(csv.counts) == stations
    assert eml.valid_votes == csv.valid_votes == valid
    assert per_station(eml) == per_station(csv)
    assert [(x.number, x.name) for x in eml.lists] == [(x.number, x.name) for x in csv.lists]
    # the file totals agree as well
    assert eml.total.list_votes == csv.total.list_votes
    assert eml.total.candidate_votes == csv.total.candidate_votes
    assert eml.total.valid_votes_count == csv.total.valid_votes_count == valid
    assert eml.warnings == csv.warnings == ()


@pytest.mark.parametrize(("eml_name", "csv_name", "election", "stations", "valid"), CASES)
def test_station_totals_equal_the_files_own_totals(tmp_path, eml_name, csv_name, election, stations, valid):
    for result in (parse_510(gunzip(eml_name, tmp_path)), parse_osv(REAL / csv_name)):
        for c in result.counts:
            assert sum(c.list_votes.values()) == c.valid_votes_count
            for list_number, votes in c.list_votes.items():
                assert sum(v for (ln, _), v in c.candidate_votes.items() if ln == list_number) == votes
        for list_number, votes in result.total.list_votes.items():
            assert sum(c.list_votes[list_number] for c in result.counts) == votes
        for key, votes in result.total.candidate_votes.items():
            assert sum(c.candidate_votes[key] for c in result.counts) == votes
        assert checks.check_counts(result.counts, h_given=False) == []


def test_postcode_is_taken_out_of_the_station_name(tmp_path):
    result = parse_510(gunzip("Telling_GR2022_WestMaasenWaal.eml.xml.gz", tmp_path))
    first = result.counts[0]
    assert first.unit_id == "0668::SB1"
    assert first.name == "Stembureau Dorpshuis De Hucht"
    assert first.postcode == "6626AC"
    assert [c.station_number for c in result.counts][-3:] == [119, 120, 121]


def test_candidate_lists_match_the_csv_candidates():
    lists = parse_230b(REAL / "Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml")
    csv = parse_osv(REAL / "osv4-3_telling_gr2022_westmaasenwaal.csv")
    assert lists.election_id == "GR2022" and lists.municipality_code == "GM0668"
    assert len(lists.lists) == 8 and len(lists.candidates) == 251
    by_key = {(c.list_number, c.number): c for c in lists.candidates}
    assert {(c.list_number, c.number) for c in csv.candidates} == set(by_key)
    # display names agree with the CSV's "Naam kandidaat"
    mismatched = [c.name for c in csv.candidates if by_key[(c.list_number, c.number)].name != c.name]
    assert mismatched == []
    dreumel = by_key[(1, 3)]
    assert (dreumel.prefix, dreumel.last_name, dreumel.initials, dreumel.gender, dreumel.locality) == (
        "van",
        "Dreumel",
        "C.G.H.M.",
        "male",
        "Beneden-Leeuwen",
    )


def test_tk2025_candidate_lists_of_a_kieskring(tmp_path):
    result = parse_file(gunzip("Kandidatenlijsten_TK2025_Haarlem.eml.xml.gz", tmp_path))
    assert result.format == "eml-230b"
    assert result.election_id == "TK2025" and result.contest_id == "10"
    assert len(result.lists) == 23 and len(result.candidates) == 1029
    assert result.candidates[0].name == "Wilders, G."


def test_election_definition_110a():
    result = parse_file(REAL / "Verkiezingsdefinitie_TK2023.eml.xml")
    e = result.election
    assert (e.election_id, e.kind, e.number_of_seats, e.preference_threshold) == ("TK2023", "TK", 150, 25)
    assert str(e.date) == "2023-11-22"
    kieskringen = [r for r in result.regions if r.category == "KIESKRING"]
    gemeenten = [r for r in result.regions if r.category == "GEMEENTE"]
    assert len(kieskringen) == 20 and len(gemeenten) == 346
    groningen = next(r for r in gemeenten if r.name == "Groningen")
    assert groningen.municipality_code == "GM0014" and groningen.superior_number == 1


@pytest.mark.parametrize(
    "name",
    [
        "osv4-3_telling_gr2022_vlieland.csv",
        "osv4-3_telling_gr2022_voerendaal.csv",
        "osv4-3_telling_gr2022_aaenhunze.csv",
    ],
)
def test_real_unquoted_padded_files(name):
    result = parse_osv(REAL / name)
    assert result.election_id == "GR2022"
    assert result.total.valid_votes_count == result.valid_votes
    assert all(s.municipality_code == result.municipality_code for s in result.stations)


def test_escaped_quotes_in_station_names():
    result = parse_osv(REAL / "osv4-3_telling_gr2022_voerendaal.csv")
    assert any('"' in s.name for s in result.stations)


def test_same_content_same_hash(tmp_path):
    a = parse_osv(REAL / "osv4-3_telling_gr2022_vlieland.csv")
    copy = tmp_path / "renamed.csv"
    shutil.copyfile(REAL / "osv4-3_telling_gr2022_vlieland.csv", copy)
    b = parse_osv(copy)
    assert a.sha256 == b.sha256 and len(a.sha256) == 64 and a.size == b.size
