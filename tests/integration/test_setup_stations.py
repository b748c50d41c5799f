"""Setting up polling stations (app/services/setup.py): the opening hours are checked against the Kieswet
(J 1, J 4a: app/domain/stations.py) on save, and a mobiel station's location/time rows are stored."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.domain.access import SYSTEM
from app.domain.errors import InvalidInput
from app.services import admin, setup
from app.storage.models import AuditLog, PollingStation, PollingStationLocation
from app.ui.texts import error_text

TZ = ZoneInfo("Europe/Amsterdam")
EID, MUNI = "TK2023", "GM1911"
DAY = dt.date(2023, 11, 22)


@pytest.fixture
def election(db):
    setup.ensure_municipality(db, SYSTEM, MUNI, "Hollands Kroon")
    setup.upsert_election(
        db, SYSTEM, setup.ElectionSpec(id=EID, kind="TK", name="Tweede Kamer 2023", election_date=DAY)
    )
    setup.ensure_election_municipality(db, SYSTEM, EID, MUNI)
    db.commit()
    return db


def _counts(db) -> tuple[int, int, int]:
    return (
        db.scalar(select(func.count()).select_from(PollingStation)),
        db.scalar(select(func.count()).select_from(PollingStationLocation)),
        db.scalar(select(func.count()).select_from(AuditLog)),
    )


def _station(db, number: int) -> PollingStation | None:
    return db.scalar(select(PollingStation).where(PollingStation.number == number))


def _at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute), TZ)


@pytest.mark.parametrize(
    ("kind", "opens", "closes", "code", "field"),
    [
        ("regulier", dt.time(9), dt.time(17), "station_hours.regulier_is_0730_2100", "opens_at"),
        (
            "bijzonder",
            dt.time(9),
            dt.time(12),
            "station_hours.bijzonder_needs_8_consecutive_hours",
            "closes_at",
        ),
        ("regulier", dt.time(7, 30), dt.time(22), "station_hours.close_no_later_than_2100", "closes_at"),
        ("bijzonder", dt.time(7, 30), dt.time(22), "station_hours.close_no_later_than_2100", "closes_at"),
        ("mobiel", dt.time(12), dt.time(9), "station_hours.opens_before_closes", "closes_at"),
    ],
)
def test_the_service_refuses_hours_against_the_kieswet_and_stores_nothing(
    election, kind, opens, closes, code, field
):
    db = election
    before = _counts(db)
    with pytest.raises(InvalidInput) as refused:
        setup.upsert_station(
            db, SYSTEM, EID, MUNI, 7, name="Station", station_type=kind, opens_at=opens, closes_at=closes
        )
    assert (refused.value.message_key, refused.value.field) == (code, field)
    message = error_text(refused.value, "nl")
    assert f"{closes:%H:%M}" in message and "{" not in message  # says what, in Dutch
    db.commit()
    assert _counts(db) == before and _station(db, 7) is None


def test_hours_within_the_rules_are_stored(election):
    db = election
    setup.upsert_station(db, SYSTEM, EID, MUNI, 1, name="Station Anna Paulowna")  # 07:30-21:00 regulier
    setup.upsert_station(
        db,
        SYSTEM,
        EID,
        MUNI,
        2,
        name="Station Schagen",
        station_type="bijzonder",
        opens_at=dt.time(5, 30),
        closes_at=dt.time(14),
    )
    setup.upsert_station(
        db,
        SYSTEM,
        EID,
        MUNI,
        3,
        name="Bus",
        station_type="mobiel",
        opens_at=dt.time(6),
        closes_at=dt.time(10),
    )
    db.commit()
    hours = {s.number: (s.station_type, s.opens_at, s.closes_at) for s in db.scalars(select(PollingStation))}
    assert hours == {
        1: ("regulier", dt.time(7, 30), dt.time(21)),
        2: ("bijzonder", dt.time(5, 30), dt.time(14)),
        3: ("mobiel", dt.time(6), dt.time(10)),
    }


def test_an_official_list_stores_hours_that_do_not_fit_the_type_but_never_unusable_ones(election):
    db = election
    station = setup.upsert_station(
        db,
        SYSTEM,
        EID,
        MUNI,
        4,
        name="Winkelcentrum",
        opens_at=dt.time(13),
        closes_at=dt.time(21),
        accept_hours_warnings=True,
    )
    assert (station.station_type, station.opens_at) == ("regulier", dt.time(13))
    with pytest.raises(InvalidInput, match="21:00"):
        setup.upsert_station(db, SYSTEM, EID, MUNI, 4, closes_at=dt.time(21, 30), accept_hours_warnings=True)
    db.rollback()


def test_the_admin_form_refuses_a_type_the_hours_do_not_fit_and_keeps_the_station(election):
    db = election
    setup.upsert_station(
        db,
        SYSTEM,
        EID,
        MUNI,
        5,
        name="Winkelcentrum",
        station_type="bijzonder",
        opens_at=dt.time(9),
        closes_at=dt.time(18),
    )
    db.commit()
    before = _counts(db)
    # saving the name again with the same type does not re-judge the hours
    admin.save_station(db, SYSTEM, EID, MUNI, 5, name="Winkelcentrum De Riet", station_type="bijzonder")
    assert _station(db, 5).name == "Winkelcentrum De Riet"
    with pytest.raises(InvalidInput) as refused:
        admin.save_station(db, SYSTEM, EID, MUNI, 5, name="Winkelcentrum De Riet", station_type="regulier")
    db.rollback()
    assert refused.value.message_key == "station_hours.regulier_is_0730_2100"
    assert "09:00–18:00" in error_text(refused.value, "nl")
    assert _station(db, 5).station_type == "bijzonder"
    assert _counts(db)[0:2] == before[0:2]


def test_locations_are_stored_and_set_the_hours_and_replace_the_rows_idempotently(election):
    db = election
    rows = [
        setup.StationLocation(
            _at(9, 30), _at(10, 30), "Gemeenelandsweg 134, 1779GD, Den Oever", 52.932, 5.011
        ),
        setup.StationLocation(_at(15), _at(17), "Dorpsstraat 28, 1769HB, Haringhuizen"),
        setup.StationLocation(_at(11, 15), _at(12, 30), "Dorpsstraat 30, 1734JH, Oude Niedorp"),
    ]
    station = setup.upsert_station(
        db, SYSTEM, EID, MUNI, 3, name="Mobiel", station_type="mobiel", locations=rows
    )
    db.commit()
    assert (station.opens_at, station.closes_at) == (dt.time(9, 30), dt.time(17))
    assert [
        (r.starts_at.time(), r.address) for r in setup.list_station_locations(db, SYSTEM, station.id)
    ] == [
        (dt.time(9, 30), "Gemeenelandsweg 134, 1779GD, Den Oever"),
        (dt.time(11, 15), "Dorpsstraat 30, 1734JH, Oude Niedorp"),
        (dt.time(15), "Dorpsstraat 28, 1769HB, Haringhuizen"),
    ]
    stored = db.scalars(select(PollingStationLocation)).all()
    assert len(stored) == 3 and all(r.municipality_code == MUNI for r in stored)
    # the same rows again (in another order, naive local times): nothing changes, nothing is audited
    before = _counts(db)
    naive = [
        setup.StationLocation(r.starts_at.replace(tzinfo=None), r.ends_at.replace(tzinfo=None), *rest)
        for r, rest in ((r, (r.address, r.latitude, r.longitude)) for r in reversed(rows))
    ]
    setup.upsert_station(db, SYSTEM, EID, MUNI, 3, name="Mobiel", station_type="mobiel", locations=naive)
    db.commit()
    assert _counts(db) == before
    # other rows replace them; the hours follow
    setup.upsert_station(db, SYSTEM, EID, MUNI, 3, locations=rows[1:])
    db.commit()
    assert len(setup.list_station_locations(db, SYSTEM, station.id)) == 2
    db.refresh(station)
    assert (station.opens_at, station.closes_at) == (dt.time(11, 15), dt.time(17))
    logged = db.scalars(select(AuditLog).where(AuditLog.action == "station_locations_set")).all()
    assert len(logged) == 2 and len(logged[-1].before["locations"]) == 3
    # no rows: the station keeps its hours and has no locations
    setup.upsert_station(db, SYSTEM, EID, MUNI, 3, locations=[])
    db.commit()
    assert setup.list_station_locations(db, SYSTEM, station.id) == []


def test_location_rows_that_cannot_be_used_are_refused_and_nothing_is_stored(election):
    db = election
    before = _counts(db)
    cases = [
        ([setup.StationLocation(_at(18), _at(21, 30))], "station_hours.close_no_later_than_2100"),
        ([setup.StationLocation(_at(12), _at(11))], "station_hours.opens_before_closes"),
        (
            [setup.StationLocation(_at(20), _at(9) + dt.timedelta(days=1))],
            "station_hours.close_no_later_than_2100",
        ),
        (
            [
                setup.StationLocation(_at(9), _at(10)),
                setup.StationLocation(_at(9) + dt.timedelta(days=1), _at(10) + dt.timedelta(days=1)),
            ],
            "setup.locations_one_day",
        ),
        (
            [setup.StationLocation(_at(9), _at(11)), setup.StationLocation(_at(10), _at(12))],
            "station_hours.rows_do_not_overlap",
        ),
    ]
    for locations, code in cases:
        with pytest.raises(InvalidInput) as refused:
            setup.upsert_station(
                db, SYSTEM, EID, MUNI, 8, name="Mobiel", station_type="mobiel", locations=locations
            )
        assert refused.value.message_key == code
        assert "{" not in error_text(refused.value, "en")
        db.rollback()
    assert _counts(db) == before


def test_a_time_that_is_not_a_time_and_an_unknown_type_are_refused(election):
    db = election
    with pytest.raises(InvalidInput) as refused:
        setup.upsert_station(db, SYSTEM, EID, MUNI, 9, name="X", opens_at="07:30")
    assert (refused.value.message_key, refused.value.field) == ("setup.bad_time", "opens_at")
    with pytest.raises(InvalidInput) as refused:
        setup.upsert_station(db, SYSTEM, EID, MUNI, 9, name="X", station_type="tijdelijk")
    assert refused.value.field == "station_type"
    db.rollback()
    assert _station(db, 9) is None
