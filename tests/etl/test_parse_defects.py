"""Every defect gives an ImportProblem whose message names the file and the place."""

from __future__ import annotations

import gzip
import shutil
import time
from pathlib import Path

import pytest

from etl.parsers.detect import parse_file
from etl.parsers.eml import parse_510, parse_eml
from etl.parsers.errors import ImportProblem
from etl.parsers.osv import parse_osv

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "etl"
DEFECTS = FIX / "defects"
REAL = FIX / "real"


def problem(fn, path, **kw) -> ImportProblem:
    with pytest.raises(ImportProblem) as info:
        fn(path, **kw)
    err = info.value
    assert Path(path).name in str(err), str(err)
    assert err.place, f"no place in {err}"
    assert "Traceback" not in str(err)
    return err


def test_truncated_xml():
    err = problem(parse_file, DEFECTS / "truncated_510.eml.xml")
    assert "line 1, column" in err.place
    assert "truncated" in err.message


def test_wrong_eml_id():
    err = problem(parse_510, REAL / "Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml")
    assert "230b" in err.message and "510" in err.message
    assert err.place == "/EML/@Id"
    err = problem(parse_file, REAL / "Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml", expected_format="510")
    assert "230b" in err.message


def test_html_saved_as_csv():
    for fn in (parse_file, parse_osv):
        err = problem(fn, DEFECTS / "html_saved_as.csv")
        assert "HTML" in err.message and err.place == "line 1"


def test_file_of_another_municipality():
    err = problem(
        parse_file, REAL / "osv4-3_telling_gr2022_westmaasenwaal.csv", expected_municipality="GM0518"
    )
    assert "GM0668" in err.message and "GM0518" in err.message
    err = problem(
        parse_file, REAL / "Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml", expected_municipality="0518"
    )
    assert "GM0668" in err.message


def test_another_election_than_asked():
    err = problem(parse_file, REAL / "osv4-3_telling_gr2022_westmaasenwaal.csv", expected_election="TK2025")
    assert "GR2022" in err.message and "TK2025" in err.message


def test_inconsistent_totals_csv():
    err = problem(parse_osv, DEFECTS / "inconsistent_totals.csv")
    assert "inconsistent totals" in err.message
    assert "list 1" in err.place and "Totaal" in err.place and err.place.startswith("line ")


def test_inconsistent_totals_eml(tmp_path):
    path = tmp_path / "inconsistent_totals_510.eml.xml"
    with gzip.open(DEFECTS / "inconsistent_totals_510.eml.xml.gz", "rb") as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    err = problem(parse_510, path)
    assert "inconsistent totals" in err.message and "TotalVotes" in err.place


def test_station_arithmetic_is_a_warning_not_a_refusal():
    result = parse_osv(DEFECTS / "station_f202.csv")
    codes = {(w.code, w.place) for w in result.warnings}
    assert ("F.202", "GM0668 station 1 (Dorpshuis De Hucht)") in codes
    assert all(w.code != "F.402" for w in result.warnings)


def test_f402_a_list_total_that_is_not_its_candidates_sum_warns_with_the_kiesraad_code():
    # F.402, as app/domain/validation has it (F.401 is "list total not filled in")
    from etl.model import LEVEL_STATION, ParsedCount
    from etl.parsers.checks import check_count

    count = ParsedCount(
        level=LEVEL_STATION,
        unit_id="0668::SB1",
        name="Dorpshuis",
        municipality_code="GM0668",
        station_number=1,
        list_votes={1: 30, 2: 20},
        candidate_votes={(1, 1): 20, (1, 2): 9, (2, 1): 20},
    )
    found = [(w.code, w.message) for w in check_count(count)]
    assert found == [("F.402", "list 1: the candidates add up to 29, not the list total 30")]


def test_billion_laughs_is_refused_quickly():
    start = time.perf_counter()
    err = problem(parse_eml, DEFECTS / "billion_laughs.xml")
    assert time.perf_counter() - start < 1
    assert "DOCTYPE" in err.message and err.place == "line 2"
    err = problem(parse_file, DEFECTS / "billion_laughs.xml")
    assert "DOCTYPE" in err.message


def test_latin1_is_refused_with_line_and_column():
    err = problem(parse_file, DEFECTS / "latin1_tk2025.csv")
    assert "UTF-8" in err.message and "Latin-1" in err.message
    assert err.place.startswith("line ") and "column" in err.place


def test_size_limit(tmp_path):
    err = problem(parse_eml, REAL / "Verkiezingsdefinitie_TK2023.eml.xml", max_bytes=1000)
    assert "limit" in err.message


def test_not_eml_xml(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text('<?xml version="1.0"?><root><a/></root>')
    err = problem(parse_file, path)
    assert "not an EML_NL file" in err.message


def test_unknown_format_and_empty_file(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("hello,world\n1,2\n")
    problem(parse_file, path)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportProblem, match="empty"):
        parse_file(empty)


def test_bad_number_in_csv(tmp_path):
    text = (REAL / "osv4-3_telling_gr2022_vlieland.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "bad_number.csv"
    path.write_text(
        text.replace(";geldige stempas;;;536;92;", ";geldige stempas;;;536;9x2;"), encoding="utf-8"
    )
    err = problem(parse_osv, path)
    assert "column 6" in err.place and "geldige stempas" in err.place and "'9x2'" in err.message


def test_import_problem_message_format():
    err = ImportProblem("a/b.csv", "line 3", "broken")
    assert str(err) == "a/b.csv: line 3: broken"
    assert str(ImportProblem("a/b.csv", "", "empty")) == "a/b.csv: empty"
