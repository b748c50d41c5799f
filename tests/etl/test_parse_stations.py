"""Station lists: Waar is mijn stemlokaal v1.7 (CSV and the XLSX template) and the 2023 lists."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from etl.parsers.detect import detect_format, parse_file
from etl.parsers.errors import ImportProblem

STATIONS = Path(__file__).resolve().parents[1] / "fixtures" / "etl" / "stations"


def test_wims_csv():
    result = parse_file(STATIONS / "wims_westmaasenwaal.csv", expected_municipality="GM0668")
    assert result.format == "wims-csv" and result.municipality_code == "GM0668"
    assert [s.number for s in result.stations] == [1, 2, 3, 4]
    s = result.stations[0]
    assert s.municipality_code == "GM0668" and s.postcode and len(s.postcode) == 6
    assert s.latitude and 51 < s.latitude < 52 and s.longitude and 5 < s.longitude < 6
    assert s.opens_at == datetime(2023, 11, 22, 7, 30) and s.closes_at == datetime(2023, 11, 22, 21, 0)
    assert s.accessible is True and s.station_type == "regulier"
    assert ("Gemeente", "West Maas en Waal") in s.extra


def test_wims_xlsx_template():
    path = STATIONS / "wims_westmaasenwaal.xlsx"
    assert detect_format(path) == "wims-xlsx"
    result = parse_file(path)
    assert result.municipality_code == "GM0668"
    assert result.election_id == "TK2023"
    csv = parse_file(STATIONS / "wims_westmaasenwaal.csv")
    assert [(s.number, s.name, s.latitude, s.opens_at) for s in result.stations] == [
        (s.number, s.name, s.latitude, s.opens_at) for s in csv.stations
    ]
    with pytest.raises(ImportProblem, match="GM0668"):
        parse_file(path, expected_municipality="GM0518")


def test_stemlokalen_2023_has_no_station_numbers():
    path = STATIONS / "stemlokalen_tk2023_trimmed.csv"
    assert detect_format(path) == "stemlokalen-2023-csv"
    result = parse_file(path)
    assert len(result.stations) == 51
    assert all(s.number is None for s in result.stations)
    assert len({s.municipality_code for s in result.stations}) > 1
    pekela = result.stations[0]
    assert (pekela.municipality_code, pekela.postcode, pekela.house_number) == ("GM0765", "9665HT", "4")
    only = parse_file(path, expected_municipality="GM0668")
    assert only.stations == result.stations  # the asked municipality is in the file
    with pytest.raises(ImportProblem, match="GM9999"):
        parse_file(path, expected_municipality="GM9999")
