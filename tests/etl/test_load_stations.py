"""Importing station lists (Waar is mijn stemlokaal v1.7): a mobiel station's location/time rows, and the
opening hours checked against the Kieswet (J 1, J 4a) with what and where, nothing half-written.

No real WIMS file with station numbers and a mobiel station is in ../shared/data. The mobiel test uses the
real rows of Hollands Kroon (GM1911) from the 2023 national list (``stations/stemlokalen_tk2023.csv``,
ids 9893, 9894 and 9917-9920, itself built from Waar is mijn stemlokaal data) in the WIMS v1.7 columns of
``tests/fixtures/etl/stations/wims_westmaasenwaal.csv``, numbered by hand as that fixture is: the two
regular stations 1 and 2, the four rows of "Hollands Kroon Mobiel" station 3, in the list's own order
(09:30, 15:00, 11:15, 13:00). The refusal tests change one value of the real fixture, as named.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import func, select

from app.domain.access import SYSTEM, Actor, Role
from app.domain.errors import InvalidInput
from app.services import imports as import_service
from app.services import setup
from app.storage.import_models import ImportFile
from app.storage.models import PollingStation, PollingStationLocation
from app.ui.texts import error_text
from etl.load import import_path
from etl.parsers.detect import parse_file
from tests.db_snapshot import table_counts as _snapshot

STATIONS = Path(__file__).resolve().parents[1] / "fixtures" / "etl" / "stations"
WIMS_CSV = STATIONS / "wims_westmaasenwaal.csv"
WIMS_XLSX = STATIONS / "wims_westmaasenwaal.xlsx"
NATIONAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "stations"
TZ = ZoneInfo("Europe/Amsterdam")

HEADER = WIMS_CSV.read_text(encoding="utf-8").splitlines()[0]
HOLLANDS_KROON = [
    "Hollands Kroon;GM1911;1;Café Bloemenlust;regulier;;;Burg. Lovinkstraat;3;;1764GA;Breezand;;115710.930191043;544809.872090058;52.88899094;4.80346401;2023-11-22T07:30:00;2023-11-22T21:00:00;ja",  # noqa: E501
    "Hollands Kroon;GM1911;2;Keijzershoff;regulier;;;Vreedenhoff;66;;1761BR;Anna Paulowna;;117496.111861773;541422.790307569;52.8586809;4.83037431;2023-11-22T07:30:00;2023-11-22T21:00:00;ja",  # noqa: E501
    "Hollands Kroon;GM1911;3;Hollands Kroon Mobiel;mobiel;;;Gemeenelandsweg;134;;1779GD;Den Oever;;129678.593301324;549518.768577288;52.93214035;5.01062;2023-11-22T09:30:00;2023-11-22T10:30:00;nee",  # noqa: E501
    "Hollands Kroon;GM1911;3;Hollands Kroon Mobiel;mobiel;;;Dorpsstraat;28;;1769HB;Haringhuizen;;117274.700029993;531880.000462248;52.77291141;4.82818328;2023-11-22T15:00:00;2023-11-22T17:00:00;nee",  # noqa: E501
    "Hollands Kroon;GM1911;3;Hollands Kroon Mobiel;mobiel;;;Dorpsstraat;30;;1734JH;Oude Niedorp;Op plein voor de kapsalon De Hoofdzaak;120428.816884825;525775.833334527;52.71826641;4.87556006;2023-11-22T11:15:00;2023-11-22T12:30:00;nee",  # noqa: E501
    "Hollands Kroon;GM1911;3;Hollands Kroon Mobiel;mobiel;;;Havenstraat;125;;1736KH;Zijdewind;;117619.329904537;528948.380898065;52.74659051;4.83362256;2023-11-22T13:00:00;2023-11-22T14:30:00;nee",  # noqa: E501
]


def _election(db, eid: str = "TK2023") -> None:
    setup.upsert_election(
        db,
        SYSTEM,
        setup.ElectionSpec(id=eid, kind="TK", name="Tweede Kamer 2023", election_date=dt.date(2023, 11, 22)),
    )
    db.commit()


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def _locations(db, number: int) -> list[tuple[dt.time, dt.time, str | None]]:
    station = db.scalar(select(PollingStation).where(PollingStation.number == number))
    return [
        (r.starts_at.time(), r.ends_at.time(), r.address)
        for r in setup.list_station_locations(db, SYSTEM, station.id)
    ]


def test_wims_mobiel_rows_become_locations_and_first_row_sets_opening(db, tmp_path):
    _election(db)
    path = _write(tmp_path, "wims_hollandskroon.csv", HOLLANDS_KROON)
    summary = import_path(db, SYSTEM, path, election_id="TK2023")
    assert (summary.kind, summary.municipality_code, summary.stations, summary.warnings) == (
        "stations",
        "GM1911",
        3,
        (),
    )
    hours = {
        s.number: (s.station_type, s.opens_at, s.closes_at, s.address)
        for s in db.scalars(select(PollingStation).where(PollingStation.municipality_code == "GM1911"))
    }
    # the mobiel station opens at its first stop of the day (09:30, not at the last row's 13:00) and
    # closes after its last (17:00, not the last row's 14:30); it starts at its first stop
    assert hours == {
        1: ("regulier", dt.time(7, 30), dt.time(21), "Burg. Lovinkstraat 3"),
        2: ("regulier", dt.time(7, 30), dt.time(21), "Vreedenhoff 66"),
        3: ("mobiel", dt.time(9, 30), dt.time(17), "Gemeenelandsweg 134"),
    }
    assert _locations(db, 3) == [
        (dt.time(9, 30), dt.time(10, 30), "Gemeenelandsweg 134, 1779GD, Den Oever"),
        (
            dt.time(11, 15),
            dt.time(12, 30),
            "Dorpsstraat 30, 1734JH, Oude Niedorp (Op plein voor de kapsalon De Hoofdzaak)",
        ),
        (dt.time(13), dt.time(14, 30), "Havenstraat 125, 1736KH, Zijdewind"),
        (dt.time(15), dt.time(17), "Dorpsstraat 28, 1769HB, Haringhuizen"),
    ]
    first = db.scalar(select(PollingStationLocation).order_by(PollingStationLocation.starts_at))
    assert first.starts_at == dt.datetime(2023, 11, 22, 9, 30, tzinfo=TZ)
    assert (round(first.latitude, 4), round(first.longitude, 4)) == (52.9321, 5.0106)
    assert _locations(db, 1) == []  # a station of one row has no location rows

    # the same file again changes nothing; a new version replaces the rows; another brings them back
    before = _snapshot(db)
    assert import_path(db, SYSTEM, path, election_id="TK2023").status == "unchanged"
    assert _snapshot(db) == before
    shorter = _write(tmp_path, "wims_hollandskroon_v2.csv", HOLLANDS_KROON[:3] + HOLLANDS_KROON[4:5])
    assert import_path(db, SYSTEM, shorter, election_id="TK2023").status == "new_version"
    assert [(a, b) for a, b, _ in _locations(db, 3)] == [
        (dt.time(9, 30), dt.time(10, 30)),
        (dt.time(11, 15), dt.time(12, 30)),
    ]
    station = db.scalar(select(PollingStation).where(PollingStation.number == 3))
    assert (station.opens_at, station.closes_at) == (dt.time(9, 30), dt.time(12, 30))
    again = _write(tmp_path, "wims_hollandskroon_v3.csv", HOLLANDS_KROON[:2] + HOLLANDS_KROON[:1:-1])
    assert import_path(db, SYSTEM, again, election_id="TK2023").status == "new_version"  # rows reversed
    assert [(a, b) for a, b, _ in _locations(db, 3)] == [
        (dt.time(9, 30), dt.time(10, 30)),
        (dt.time(11, 15), dt.time(12, 30)),
        (dt.time(13), dt.time(14, 30)),
        (dt.time(15), dt.time(17)),
    ]
    assert db.scalar(select(func.count()).select_from(PollingStationLocation)) == 4


def _fixture_lines() -> list[str]:
    return WIMS_CSV.read_text(encoding="utf-8").splitlines()[1:]


def _with(line: int, old: str, new: str) -> list[str]:
    """The real fixture with ``old`` replaced by ``new`` in file line ``line`` (2 = the first station)."""
    lines = _fixture_lines()
    assert old in lines[line - 2]
    lines[line - 2] = lines[line - 2].replace(old, new, 1)
    return lines


@pytest.mark.parametrize(
    ("lines", "place", "problem"),
    [
        (
            _with(3, "T21:00:00", "T22:00:00"),
            "line 3, Sluitingstijd",
            "station 2: A polling station closes at 21:00 at the latest (Kieswet J 1, J 4a); "
            "here it closes at 22:00.",
        ),
        (  # a real slip of the 2023 lists: 07:30-07:30
            _with(4, "T21:00:00", "T07:30:00"),
            "line 4, Sluitingstijd",
            "station 3: The closing time (07:30) must be after the opening time (07:30).",
        ),
        (
            _with(2, "2023-11-22T21:00:00", "2023-11-23T01:00:00"),
            "line 2, Sluitingstijd",
            "station 1 closes on 2023-11-23 but opens on 2023-11-22",
        ),
        (
            _with(5, "2023-11-22T21:00:00", ""),
            "line 5, Sluitingstijd",
            "station 4: 'Openingstijd' and 'Sluitingstijd' go together",
        ),
        (
            [*_fixture_lines(), _fixture_lines()[3].replace("regulier", "mobiel")],  # station 4 twice
            "station 4 (line 5, line 6), Type stembureau",
            "the rows of station 4 do not agree on its type (mobiel, regulier)",
        ),
        (  # two stations numbered alike: a station is at one place at a time
            _with(3, ";2;Kulturhus", ";1;Kulturhus"),
            "line 3, Openingstijd",
            "station 1: The rows of one polling station overlap in time (07:30–21:00, 07:30–21:00)",
        ),
    ],
    ids=[
        "closes_2200",
        "closes_at_opening",
        "closes_next_day",
        "no_closing",
        "types_disagree",
        "same_number",
    ],
)
def test_wims_hours_that_cannot_be_used_refuse_the_file_saying_where(db, tmp_path, lines, place, problem):
    _election(db)
    path = _write(tmp_path, "wims_westmaasenwaal.csv", lines)
    before = _snapshot(db)
    with pytest.raises(InvalidInput) as refused:
        import_service.import_file(db, SYSTEM, path.read_bytes(), path.name, election_id="TK2023")
    err = refused.value
    assert (err.message_key, err.field, err.params["file"], err.params["place"]) == (
        "imports.refused",
        "file",
        "wims_westmaasenwaal.csv",
        place,
    )
    assert str(err.params["problem"]).startswith(problem)
    assert "Er is niets opgeslagen" in error_text(err, "nl")
    assert _snapshot(db) == before  # nothing half-written


def test_wims_xlsx_hours_refusal_names_the_column(db, tmp_path):
    _election(db)
    wb = openpyxl.load_workbook(WIMS_XLSX)
    ws = wb["Attributen"]
    row = next(i for i in range(1, ws.max_row + 1) if ws.cell(row=i, column=1).value == "Sluitingstijd")
    ws.cell(row=row, column=7, value="2023-11-22T21:30:00")  # column G: the second station
    path = tmp_path / "wims_westmaasenwaal.xlsx"
    wb.save(path)
    before = _snapshot(db)
    with pytest.raises(InvalidInput) as refused:
        import_service.import_file(db, SYSTEM, path.read_bytes(), path.name)
    assert refused.value.params["place"] == "sheet Attributen, column G, Sluitingstijd"
    assert "21:30" in str(refused.value.params["problem"])
    assert _snapshot(db) == before


def test_wims_hours_that_do_not_fit_the_type_are_imported_with_a_warning_saying_where(db, tmp_path):
    """Real lists type stations with other hours 'regulier' now and then (13 rows of the TK2023 list are
    'regulier' 13:00-21:00): the file is stored as it says, and the warning names station, line, field."""
    _election(db)
    lines = _with(3, "2023-11-22T07:30:00", "2023-11-22T13:00:00")
    lines = [*lines[:3], lines[3].replace("regulier", "bijzonder").replace("T21:00:00", "T12:00:00")]
    path = _write(tmp_path, "wims_westmaasenwaal.csv", lines)
    summary = import_path(db, SYSTEM, path, election_id="TK2023")
    assert [(w.code, w.place) for w in summary.warnings] == [
        ("station_hours.regulier_is_0730_2100", "station 2 (line 3), Openingstijd"),
        ("station_hours.bijzonder_needs_8_consecutive_hours", "station 4 (line 5), Sluitingstijd"),
    ]
    assert "13:00–21:00" in summary.warnings[0].message
    stored = db.scalar(select(ImportFile.warnings).where(ImportFile.id == summary.import_file_id))
    assert [w["code"] for w in stored] == [w.code for w in summary.warnings]
    hours = {s.number: (s.opens_at, s.closes_at) for s in db.scalars(select(PollingStation))}
    assert hours[2] == (dt.time(13), dt.time(21)) and hours[4] == (dt.time(7, 30), dt.time(12))


def test_a_mobiel_row_without_times_is_refused(db, tmp_path):
    _election(db)
    lines = [*HOLLANDS_KROON[:3], HOLLANDS_KROON[3].replace("2023-11-22T15:00:00;2023-11-22T17:00:00", ";")]
    path = _write(tmp_path, "wims_hollandskroon.csv", lines)
    with pytest.raises(InvalidInput) as refused:
        import_service.import_file(db, SYSTEM, path.read_bytes(), path.name, election_id="TK2023")
    assert refused.value.params["place"] == "line 5, Openingstijd"
    assert "each row needs its 'Openingstijd' and 'Sluitingstijd'" in str(refused.value.params["problem"])


@pytest.mark.skipif(not NATIONAL.is_dir(), reason="../shared/data not present")
@pytest.mark.parametrize("name", ["stemlokalen_tk2023.csv", "stemlokalen_ps_ws2023.csv"])
def test_the_national_location_lists_still_parse(name):
    """They hold rows such as 07:30-07:30 and 00:00-00:00, but are read for the analysis (no station
    numbers, never imported): their hours are not judged."""
    result = parse_file(NATIONAL / name)
    assert len(result.stations) > 8000 and result.warnings == ()


def test_a_list_of_two_municipalities_stores_only_its_own_and_says_so(db, tmp_path):
    """A municipality's list with a row of another municipality (here Haarlem's station 1 among West Maas
    en Waal's): the other's row was stored as West Maas en Waal's station; now it is left out, with a
    warning, and two municipalities numbering their own station 1 are not one station to the hours check."""
    _election(db)
    lines = WIMS_CSV.read_text(encoding="utf-8").splitlines()[1:]
    haarlem = lines[0].replace("West Maas en Waal;GM0668;1;Gemeentehuis", "Haarlem;GM0392;1;Stadhuis Haarlem")
    path = _write(tmp_path, "wims_twee_gemeenten.csv", [*lines, haarlem])
    wmw_admin = Actor(role=Role.ADMIN, name="admin GM0668", user_id=1, municipality_code="GM0668")
    summary = import_service.import_file(db, wmw_admin, path.read_bytes(), path.name, election_id="TK2023")
    names = set(db.scalars(select(PollingStation.name).where(PollingStation.municipality_code == "GM0668")))
    assert "Stadhuis Haarlem" not in names and "Gemeentehuis" in names
    assert summary.stations == len(lines)
    stored = db.scalar(select(ImportFile).where(ImportFile.id == summary.import_file_id))
    assert any("other municipalities (GM0392)" in w["message"] for w in stored.warnings), stored.warnings
