"""Bad input in official files is refused by the parser with what and where (file, line, field), before
anything reaches the database: numbers PostgreSQL cannot hold, negative counts, text longer than its
column or with control characters, duplicates that would overwrite each other, a file cut off at a row
boundary, UTF-16, another CSV separator. Each case is a real file with one defect (tests/etl/bad_input.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.parsers import common
from etl.parsers.detect import parse_file
from etl.parsers.eml import parse_eml
from etl.parsers.errors import ImportProblem
from etl.parsers.osv import parse_osv
from tests.etl import bad_input as bi

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "official"


def refused(path: Path, *, parsers=(parse_file,)) -> ImportProblem:
    """The problem every given parser raises for ``path``; the message names the file and a place."""
    found = []
    for parse in parsers:
        with pytest.raises(ImportProblem) as info:
            parse(path)
        err = info.value
        assert path.name in str(err) and err.place, str(err)
        found.append(err)
    assert len({(e.place, e.message) for e in found}) == 1, found
    return found[0]


# --------------------------------------------------------------------- 1: numbers and text PostgreSQL refuses


@pytest.mark.parametrize("value", ["3000000000", "99999999999999999999", "9" * 5000])
def test_eml_510_cast_beyond_an_integer_is_refused_at_its_unit(tmp_path, value):
    err = refused(bi.write(tmp_path, "cast.eml.xml", bi.eml_510_cast(value)), parsers=(parse_file, parse_eml))
    assert err.place == "line 1, ReportingUnitVotes 0668::SB1"
    assert err.message.startswith("Cast: ") and "at most 2,147,483,647 can be stored" in err.message


def test_eml_510_list_votes_beyond_an_integer(tmp_path):
    data = bi.first_unit(
        bi.eml_510(), rb"<ValidVotes>\d+</ValidVotes>", b"<ValidVotes>2147483648</ValidVotes>", regex=True
    )
    err = refused(bi.write(tmp_path, "votes.eml.xml", data))
    assert "Selection in ReportingUnitVotes 0668::SB1" in err.place
    assert err.message.startswith("ValidVotes: '2147483648' is too large")


def test_eml_510_station_number_beyond_an_integer(tmp_path):
    data = bi.replace_once(bi.eml_510(), b'Id="0668::SB2"', b'Id="0668::SB99999999999"')
    err = refused(bi.write(tmp_path, "station.eml.xml", data))
    assert "ReportingUnitVotes 0668::SB99999999999" in err.place and "station number" in err.message


def test_eml_510_votes_cast_computed_beyond_an_integer(tmp_path):
    # each box fits, their sum H = E + F + G does not
    data = bi.eml_510()
    for old, new in (
        (rb"<TotalCounted>\d+</TotalCounted>", b"<TotalCounted>2000000000</TotalCounted>"),
        (rb'(ReasonCode="blanco">)\d+', rb"\g<1>2000000000"),
    ):
        data = bi.first_unit(data, old, new, regex=True)
    err = refused(bi.write(tmp_path, "sum.eml.xml", data))
    assert err.place == "line 1, ReportingUnitVotes 0668::SB1" and "votes cast" in err.message


def test_osv_numbers_beyond_an_integer(tmp_path):
    err = refused(bi.write(tmp_path, "votes.csv", bi.osv_list_cell(1, 5, "3000000000")))
    assert err.place == "line 25 (list 1), column 6 (Dorpshuis De Hucht)"
    assert err.message == "'3000000000' is too large: at most 2,147,483,647 can be stored"
    lines = bi.osv_lines()
    row = bi.cells(lines[24])
    row[0] = "99999999999"
    err = refused(bi.write(tmp_path, "list_number.csv", bi.osv_with_row(24, row)))
    assert (
        err.place == "line 25, column 1 (Lijstnummer)"
        and "list number: '99999999999' is too large" in err.message
    )
    row = bi.cells(lines[6])
    row[5] = "99999999999"
    err = refused(bi.write(tmp_path, "gebiednummer.csv", bi.osv_with_row(6, row)))
    assert err.place == "line 7 (Gebiednummer), column 6 (Dorpshuis De Hucht)"
    assert "station number: '99999999999' is too large" in err.message


def test_230b_candidate_id_beyond_an_integer(tmp_path):
    data = bi.replace_once(
        bi.EML_230B.read_bytes(), b'<CandidateIdentifier Id="2">', b'<CandidateIdentifier Id="99999999999">'
    )
    err = refused(bi.write(tmp_path, "cand.eml.xml", data))
    assert (
        err.place == "line 1, Candidate"
        and "CandidateIdentifier Id: '99999999999' is too large" in err.message
    )


def test_110b_station_id_beyond_an_integer(tmp_path):
    data = bi.replace_once(
        bi.EML_110B.read_bytes(), b'<PollingStation Id="1">', b'<PollingStation Id="99999999999">'
    )
    err = refused(bi.write(tmp_path, "st.eml.xml", data))
    assert err.place == "line 2, PollingStation" and "Id: '99999999999' is too large" in err.message


def test_110a_seats_beyond_an_integer(tmp_path):
    data = bi.replace_once(
        bi.EML_110A.read_bytes(), b"<kr:NumberOfSeats>150<", b"<kr:NumberOfSeats>99999999999<"
    )
    err = refused(bi.write(tmp_path, "def.eml.xml", data))
    assert err.place == "line 21, NumberOfSeats" and "too large" in err.message


@pytest.mark.parametrize(
    ("tag", "value", "limit"),
    [
        (b"xnl:LastName", b"X" * 250, 200),
        (b"Gender", b"unspecified", 10),
        (b"xal:LocalityName", b"L" * 200, 120),
        (b"xnl:FirstName", b"F" * 101, 100),
    ],
)
def test_230b_text_longer_than_its_column(tmp_path, tag, value, limit):
    data = bi.EML_230B.read_bytes()
    start = data.index(b"<" + tag + b">") + len(tag) + 2
    data = data[:start] + value + data[data.index(b"</", start) :]
    err = refused(bi.write(tmp_path, "long.eml.xml", data))
    assert err.place == "line 1, Candidate 1 of list 1"
    field = tag.decode().split(":")[-1]
    assert err.message.startswith(f"{field} is {len(value)} characters long, more than the {limit} ")


def test_column_sizes_come_from_the_tables():
    sizes = common.sizes()
    assert (sizes.gender, sizes.last_name, sizes.locality, sizes.list_name, sizes.station_name) == (
        10,
        200,
        120,
        300,
        300,
    )


def test_osv_party_name_longer_than_its_column(tmp_path):
    err = refused(bi.write(tmp_path, "party.csv", bi.osv_replace("FD Partij Beneden-Leeuwen", "P" * 5000)))
    assert err.place == "line 25, column 2 (Aanduiding)"
    assert err.message.startswith("the list name is 5,000 characters long, more than the 300")
    assert len(str(err)) < 300  # the value is shortened in the message


def test_eml_510_station_name_longer_than_its_column(tmp_path):
    data = bi.first_unit(bi.eml_510(), b"Dorpshuis De Hucht", b"D" * 301)
    err = refused(bi.write(tmp_path, "name.eml.xml", data))
    assert err.place == "line 1, ReportingUnitVotes 0668::SB1" and err.message.startswith(
        "the name in ReportingUnitIdentifier is 312 characters long"  # "Stembureau " + 301, postcode apart
    )


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_osv_control_characters_are_refused_with_line_and_column(tmp_path, char):
    path = bi.write(
        tmp_path, "ctrl.csv", bi.osv_replace("FD Partij Beneden-Leeuwen", f"FD Partij{char}Beneden")
    )
    err = refused(path, parsers=(parse_file, parse_osv))
    assert err.place == "line 25, column 15"
    assert f"U+{ord(char):04X}" in err.message


@pytest.mark.skipif(not (SHARED / "gr2022_osv4-3").is_dir(), reason="../shared/data not present")
def test_tabs_in_real_station_names_are_not_control_characters():
    result = parse_file(SHARED / "gr2022_osv4-3" / "osv4-3_telling_gr2022_noordoostpolder.csv")
    assert any("\t" in (c.name or "") for c in result.counts)


# --------------------------------------------------------------------- 2: an empty Selection


def test_eml_510_empty_selection(tmp_path):
    data = bi.first_unit(bi.eml_510(), b"<Selection>", b"<Selection/><Selection>")
    err = refused(bi.write(tmp_path, "empty_sel.eml.xml", data))
    assert err.place == "line 1, Selection in ReportingUnitVotes 0668::SB1"
    assert err.message.startswith("empty Selection")


def test_eml_510_selection_without_valid_votes(tmp_path):
    data = bi.first_unit(bi.eml_510(), rb"<ValidVotes>\d+</ValidVotes>", b"", regex=True)
    err = refused(bi.write(tmp_path, "no_votes.eml.xml", data))
    assert "Selection in ReportingUnitVotes 0668::SB1" in err.place and "without ValidVotes" in err.message


# --------------------------------------------------------------------- 7: a file cut off at a row boundary


def test_osv_cut_off_after_some_lists_is_refused(tmp_path):
    # the reviewer's file: 60 % of the lines, ends among the candidates of list 4, lists 5-8 missing
    n = int(len(bi.osv_lines()) * 0.6)
    err = refused(bi.write(tmp_path, "cut.csv", bi.osv_cut_after_line(n)))
    assert err.place == f"line {n}, the end of the file"
    assert "incomplete" in err.message and "9,350 valid votes" in err.message and "list 4" in err.message


def test_osv_cut_off_inside_the_last_lists_candidates_is_refused(tmp_path):
    lines = bi.osv_lines()
    last_list = bi.list_row_index(lines, 8)
    err = refused(bi.write(tmp_path, "cut.csv", bi.osv_cut_after_line(last_list + 3)))
    assert "it ends inside list 8" in err.message and f"line {last_list + 1}" in err.message


def test_osv_list_totals_only_cut_off_is_refused(tmp_path):
    lines = bi.osv_lines(bi.OSV_LIST_TOTALS_ONLY)
    cut = bi.list_row_index(lines, 6) + 1
    err = refused(bi.write(tmp_path, "cut.csv", bi.osv_cut_after_line(cut, bi.OSV_LIST_TOTALS_ONLY)))
    assert "incomplete" in err.message and "the last list in the file is list 6" in err.message


def test_osv_one_station_off_is_still_a_warning_not_a_refusal():
    # paper leads: tests/fixtures/etl/defects/station_f202.csv has F.202 at station 1 and in its Totaal
    result = parse_osv(bi.FIX / "defects" / "station_f202.csv")
    assert [w.code for w in result.warnings] == ["F.202"]


# --------------------------------------------------------------------- 8: duplicates


def test_osv_list_renumbered_to_an_existing_number(tmp_path):
    lines = bi.osv_lines()
    i = bi.list_row_index(lines, 2)
    row = bi.cells(lines[i])
    row[0] = "1"
    err = refused(bi.write(tmp_path, "dup_list.csv", bi.osv_with_row(i, row)))
    assert err.place == f"line {i + 1}, column 1 (Lijstnummer)"
    assert err.message == f"list 1 appears twice (lines 25 and {i + 1})"


def test_osv_candidate_twice_in_a_list(tmp_path):
    row = bi.cells(bi.osv_lines()[26])  # list 1, candidate 2
    row[2] = "1"
    err = refused(bi.write(tmp_path, "dup_cand.csv", bi.osv_with_row(26, row)))
    assert err.place == "line 27, column 3 (Volgnummer)"
    assert err.message == "candidate 1 of list 1 appears twice (lines 26 and 27)"


def test_osv_count_row_twice(tmp_path):
    row = bi.cells(bi.osv_lines()[10])
    row[1] = "geldige stempassen"  # the plural of line 10's "geldige stempas": the same box A
    err = refused(bi.write(tmp_path, "dup_row.csv", bi.osv_with_row(10, row)))
    assert err.place == "line 11 (geldige stempassen)" and "'geldige stempas' on line 10" in err.message


def test_eml_510_reporting_unit_twice(tmp_path):
    data = bi.replace_once(bi.eml_510(), b'Id="0668::SB2"', b'Id="0668::SB1"')
    err = refused(bi.write(tmp_path, "dup_unit.eml.xml", data))
    assert err.place == "line 1, ReportingUnitVotes 0668::SB1"
    assert "ReportingUnitVotes number 1 (line 1) and number 2 (line 1)" in err.message


def test_eml_510_list_twice_in_a_unit(tmp_path):
    data = bi.first_unit(bi.eml_510(), b'<AffiliationIdentifier Id="2">', b'<AffiliationIdentifier Id="1">')
    err = refused(bi.write(tmp_path, "dup_sel.eml.xml", data))
    assert "list 1 appears twice in ReportingUnitVotes 0668::SB1: Selection number 1" in err.message


def test_230b_candidate_twice_in_a_list(tmp_path):
    data = bi.replace_once(
        bi.EML_230B.read_bytes(), b'<CandidateIdentifier Id="2">', b'<CandidateIdentifier Id="1">'
    )
    err = refused(bi.write(tmp_path, "dup.eml.xml", data))
    assert err.place == "line 1, Candidate 1 of list 1"
    assert "Candidate number 1 (line 1) and number 2 (line 1)" in err.message


def test_230b_list_twice(tmp_path):
    data = bi.replace_once(
        bi.EML_230B.read_bytes(), b'<AffiliationIdentifier Id="2">', b'<AffiliationIdentifier Id="1">'
    )
    err = refused(bi.write(tmp_path, "dup.eml.xml", data))
    assert "list 1 appears twice: Affiliation number 1" in err.message


def test_110b_station_twice(tmp_path):
    data = bi.replace_once(bi.EML_110B.read_bytes(), b'<PollingStation Id="2">', b'<PollingStation Id="1">')
    err = refused(bi.write(tmp_path, "dup.eml.xml", data))
    assert err.message == "station 1 appears twice: PollingPlace number 1 (line 2) and number 2 (line 2)"


# --------------------------------------------------------------------- 9, 13, 20: below the smallest value


def test_eml_510_negative_cast(tmp_path):
    err = refused(bi.write(tmp_path, "neg.eml.xml", bi.eml_510_cast("-1415")))
    assert (
        err.place == "line 1, ReportingUnitVotes 0668::SB1"
        and err.message == "Cast: '-1415' must be 0 or more"
    )


def test_osv_negative_list_votes(tmp_path):
    err = refused(bi.write(tmp_path, "neg.csv", bi.osv_list_cell(1, 5, "-5")))
    assert (
        err.place == "line 25 (list 1), column 6 (Dorpshuis De Hucht)"
        and err.message == "'-5' must be 0 or more"
    )


@pytest.mark.parametrize("seats", ["-5", "0"])
def test_110a_seats_must_be_one_or_more(tmp_path, seats):
    data = bi.replace_once(
        bi.EML_110A.read_bytes(), b"<kr:NumberOfSeats>150<", f"<kr:NumberOfSeats>{seats}<".encode()
    )
    err = refused(bi.write(tmp_path, "seats.eml.xml", data))
    assert err.place == "line 21, NumberOfSeats" and err.message == f"'{seats}' must be 1 or more"


def test_110b_station_id_below_one(tmp_path):
    data = bi.replace_once(bi.EML_110B.read_bytes(), b'<PollingStation Id="1">', b'<PollingStation Id="-1">')
    err = refused(bi.write(tmp_path, "neg.eml.xml", data))
    assert (err.place, err.message) == ("line 2, PollingStation", "Id: '-1' must be 1 or more")


def test_230b_list_number_zero(tmp_path):
    data = bi.replace_once(
        bi.EML_230B.read_bytes(), b'<AffiliationIdentifier Id="1">', b'<AffiliationIdentifier Id="0">'
    )
    err = refused(bi.write(tmp_path, "zero.eml.xml", data))
    assert (err.place, err.message) == ("line 1, AffiliationIdentifier", "Id: '0' must be 1 or more")


def test_osv_list_number_zero(tmp_path):
    row = bi.cells(bi.osv_lines()[24])
    row[0] = "0"
    err = refused(bi.write(tmp_path, "zero.csv", bi.osv_with_row(24, row)))
    assert (
        err.place == "line 25, column 1 (Lijstnummer)" and err.message == "list number: '0' must be 1 or more"
    )


def test_osv_station_number_zero_is_allowed(tmp_path):
    # real: West Betuwe's GR2022 file has a station 0 ("-", no votes); it is kept as the file says
    row = bi.cells(bi.osv_lines()[6])
    row[5] = "0"
    result = parse_osv(bi.write(tmp_path, "zero_station.csv", bi.osv_with_row(6, row)))
    assert result.counts[0].station_number == 0


# --------------------------------------------------------------------- 12: a municipality number that is none


def test_110a_gemeente_region_number_that_is_not_a_municipality(tmp_path):
    data = bi.replace_once(
        bi.EML_110A.read_bytes(),
        b'RegionNumber="14" RegionCategory="GEMEENTE"',
        b'RegionNumber="123456" RegionCategory="GEMEENTE"',
    )
    err = refused(bi.write(tmp_path, "region.eml.xml", data))
    assert err.place.startswith("line 108, Region") and err.message.startswith("RegionNumber: '123456'")


# --------------------------------------------------------------------- 14: encodings, empty, separator


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_eml_and_csv_are_refused_with_the_fix(tmp_path, encoding):
    xml = bi.eml_510().decode("utf-8")
    bom = "\ufeff" if encoding == "utf-16-be" else ""
    eml_path = bi.write(tmp_path, "utf16.eml.xml", (bom + xml).encode(encoding))
    err = refused(eml_path, parsers=(parse_file, parse_eml))
    assert err.place == "line 1" and "UTF-16" in err.message and "re-save it as UTF-8" in err.message
    csv_path = bi.write(tmp_path, "utf16.csv", (bom + bi.osv_text()).encode(encoding))
    err = refused(csv_path, parsers=(parse_file, parse_osv))
    assert "UTF-16" in err.message and "re-save it as UTF-8" in err.message


def test_utf16_without_a_byte_order_mark(tmp_path):
    path = bi.write(tmp_path, "nobom.csv", bi.osv_text().encode("utf-16-le"))
    err = refused(path, parsers=(parse_file, parse_osv))
    assert "UTF-16 encoded (without a byte-order mark)" in err.message


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n"])
def test_a_file_with_only_a_bom_is_empty(tmp_path, content):
    for name in ("bom.csv", "bom.xml"):
        with pytest.raises(ImportProblem, match="file is empty"):
            parse_file(bi.write(tmp_path, name, content))


def test_osv_separated_by_commas(tmp_path):
    path = bi.write(tmp_path, "commas.csv", bi.osv_text().replace(";", ",").encode())
    err = refused(path, parsers=(parse_file, parse_osv))
    assert err.place == "line 1" and "separated by ',' instead of ';'" in err.message


# --------------------------------------------------------------------- 16: only ASCII digits


@pytest.mark.parametrize("value", ["0_3", "+3", "٣", "3.0", " 3 3"])
def test_osv_number_cells_take_ascii_digits_only(tmp_path, value):
    err = refused(bi.write(tmp_path, "digits.csv", bi.osv_list_cell(1, 5, value, fix_total=False)))
    assert err.place == "line 25 (list 1), column 6 (Dorpshuis De Hucht)"
    assert err.message == f"{value.strip()!r} where a whole number is expected"


@pytest.mark.parametrize("value", ["1_000", "+1000", "١٠٠٠"])
def test_eml_numbers_take_ascii_digits_only(tmp_path, value):
    err = refused(bi.write(tmp_path, "digits.eml.xml", bi.eml_510_cast(value)))
    assert err.message == f"Cast: {value!r} is not a whole number"


def test_eml_station_id_with_other_digits_is_not_a_station(tmp_path):
    data = bi.replace_once(bi.eml_510(), b'Id="0668::SB2"', 'Id="0668::SB٢"'.encode())
    result = parse_file(bi.write(tmp_path, "digits.eml.xml", data))
    assert all(c.station_number != 2 for c in result.counts if c.unit_id.endswith("٢"))


def test_whole_number_reads_leading_zeros_and_refuses_what_int_would_take():
    assert common.whole_number("f", "p", "x", " 0007 ") == 7
    assert common.whole_number("f", "p", "x", "2147483647") == common.MAX_INT
    for bad in ("1_0", "+1", "", None, "٣", "1e3"):
        with pytest.raises(ImportProblem):
            common.whole_number("f", "p", "x", bad)


# --------------------------------------------------------------------- 17: a candidate without a last name


def test_230b_candidate_without_last_name(tmp_path):
    data = bi.replace_once(bi.EML_230B.read_bytes(), b"<xnl:LastName>Reuvers</xnl:LastName>", b"")
    err = refused(bi.write(tmp_path, "nolast.eml.xml", data))
    assert err.place == "line 1, Candidate 1 of list 1" and err.message.startswith("no LastName")
