"""A mobiel polling station's stops (its location/time rows, table polling_station_location): the admin
changes them with the station in one transaction, checked by the hours rules of app/domain/stations.py
and naming the stop that is wrong; the office sees where the station is now."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.domain.errors import InvalidInput, NotAllowed
from app.services import admin, auth, office, setup
from app.storage.models import AuditLog, Election, PollingStation, PollingStationLocation
from app.storage.simulation_models import SimulationClock
from app.ui.texts import error_text
from etl.demo import DEMO_ELECTION_ID, DEMO_PASSWORD

TZ = ZoneInfo("Europe/Amsterdam")
OWN, OTHER = "GM0668", "GM0392"  # West Maas en Waal, Haarlem
NUMBER = 901
T = dt.time


def _staff(db, username):
    return auth.sign_in_staff(db, username, DEMO_PASSWORD)


def _stop(location, opens, closes, **coordinates):
    return admin.StopInput(location, opens, closes, **coordinates)


DAY_STOPS = [  # as typed: not in the order of the day
    _stop("Kerkplein 1, Beneden-Leeuwen", T(11, 30), T(15, 0)),
    _stop("Markt 3, Wamel", T(8, 0), T(11, 0), latitude=51.85, longitude=5.5),
    _stop("Dorpshuis De Hucht", T(15, 30), T(19, 0)),
]


def _save(db, actor, stops, municipality=OWN, **changes):
    values = {"name": "Stembus op wielen", "station_type": "mobiel", **changes}
    return admin.save_station(db, actor, DEMO_ELECTION_ID, municipality, NUMBER, stops=stops, **values)


@pytest.fixture
def wmw(demo_db):
    """The admin of West Maas en Waal and a new mobiel station (07:30–21:00, no stops yet)."""
    actor = _staff(demo_db, "admin.wmw")
    admin.save_station(
        demo_db,
        actor,
        DEMO_ELECTION_ID,
        OWN,
        NUMBER,
        name="Stembus op wielen",
        station_type="mobiel",
        new=True,
    )
    return demo_db, actor


def _station(db) -> PollingStation:
    db.expire_all()
    return db.scalars(
        select(PollingStation).where(PollingStation.municipality_code == OWN, PollingStation.number == NUMBER)
    ).one()


def _stored(db) -> tuple:
    """Everything the save may change: the station's hours, its rows, the audit log."""
    station = _station(db)
    rows = db.execute(
        select(
            PollingStationLocation.address, PollingStationLocation.starts_at, PollingStationLocation.ends_at
        )
        .where(PollingStationLocation.polling_station_id == station.id)
        .order_by(PollingStationLocation.starts_at)
    ).all()
    audits = db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action != "access_refused"))
    return station.opens_at, station.closes_at, [tuple(r) for r in rows], audits


def _day(db) -> dt.date:
    return db.get(Election, DEMO_ELECTION_ID).election_date


def test_saving_stops_stores_them_with_the_station_and_its_hours_follow(wmw):
    db, actor = wmw
    day = _day(db)
    station_id = _save(db, actor, DAY_STOPS)
    stops = setup.list_station_locations(db, actor, station_id)
    assert [(s.address, s.starts_at.time(), s.ends_at.time()) for s in stops] == [
        ("Markt 3, Wamel", T(8, 0), T(11, 0)),
        ("Kerkplein 1, Beneden-Leeuwen", T(11, 30), T(15, 0)),
        ("Dorpshuis De Hucht", T(15, 30), T(19, 0)),
    ]
    assert all(s.starts_at.date() == day for s in stops)  # on election day, local time
    assert (stops[0].latitude, stops[0].longitude, stops[1].latitude) == (51.85, 5.5, None)
    station = _station(db)
    assert (station.opens_at, station.closes_at) == (T(8, 0), T(19, 0))  # first opening, last closing
    changed, located = (
        db.scalars(select(AuditLog).where(AuditLog.action == action)).one()
        for action in ("station_changed", "station_locations_set")
    )
    assert (changed.before, changed.after) == (
        {"opens_at": "07:30:00", "closes_at": "21:00:00"},
        {"opens_at": "08:00:00", "closes_at": "19:00:00"},
    )
    assert located.before == {"locations": []} and len(located.after["locations"]) == 3
    assert located.actor_id == actor.audit_id and located.polling_station_id == station_id

    # a stop removed, one changed, one added: the rows are replaced and the hours follow again
    _save(
        db,
        actor,
        [
            _stop("Markt 3, Wamel", T(9, 0), T(11, 0)),
            _stop("Kerkplein 1, Beneden-Leeuwen", "11:30", "17:00"),
            _stop(None, None, None),  # a row added to the table and left empty
        ],
    )
    assert [(a, s.time(), e.time()) for a, s, e in _stored(db)[2]] == [
        ("Markt 3, Wamel", T(9, 0), T(11, 0)),
        ("Kerkplein 1, Beneden-Leeuwen", T(11, 30), T(17, 0)),
    ]
    assert _stored(db)[:2] == (T(9, 0), T(17, 0))
    logged = db.scalars(
        select(AuditLog).where(AuditLog.action == "station_locations_set").order_by(AuditLog.id)
    ).all()
    assert len(logged) == 2 and len(logged[1].before["locations"]) == 3

    before = _stored(db)  # saving the same again changes nothing and logs nothing
    _save(
        db,
        actor,
        [
            _stop("Markt 3, Wamel", T(9, 0), T(11, 0)),
            _stop("Kerkplein 1, Beneden-Leeuwen", T(11, 30), T(17, 0)),
        ],
    )
    assert _stored(db) == before

    _save(db, actor, [], opens_at=T(7, 30), closes_at=T(20, 0))  # no stops: the form's hours count
    assert _stored(db)[:3] == (T(7, 30), T(20, 0), [])


@pytest.mark.parametrize(
    ("stops", "key", "row", "shown"),
    [
        (
            [*DAY_STOPS, _stop("Sporthal", T(18, 0), T(20, 0))],
            "admin.stop.opens_at.station_hours.rows_do_not_overlap",
            4,
            "Halte 4, 'Van': De rijen van één stembureau overlappen in tijd (15:30–19:00, 18:00–20:00)",
        ),
        (
            [
                _stop("Markt", T(8, 0), T(11, 0)),
                _stop("Kerk", T(10, 0), T(12, 0)),
                _stop("Hal", T(13), T(14)),
            ],
            "admin.stop.opens_at.station_hours.rows_do_not_overlap",
            2,
            "Halte 2, 'Van'",
        ),
        (
            [_stop("Markt", T(8, 0), T(11, 0)), _stop("Kerk", T(19, 0), T(21, 30))],
            "admin.stop.closes_at.station_hours.close_no_later_than_2100",
            2,
            "Halte 2, 'Tot': Een stembureau sluit uiterlijk om 21:00 uur",
        ),
        (
            [_stop("Markt", T(11, 0), T(8, 0))],
            "admin.stop.closes_at.station_hours.opens_before_closes",
            1,
            "Halte 1, 'Tot': De sluitingstijd (08:00) moet na de openingstijd (11:00) liggen.",
        ),
        (
            [_stop("Markt", T(8, 0), T(11, 0)), _stop("  ", T(12, 0), T(13, 0))],
            "admin.stop.location.needed",
            2,
            "Halte 2, 'Locatie (adres of naam)': vul het adres of de naam van de plek in.",
        ),
        (
            [_stop("Markt", T(8, 0), None)],
            "admin.stop.closes_at.time",
            1,
            "Halte 1, 'Tot': vul een tijd in",
        ),
        (
            [_stop("Markt", T(8, 0), T(11, 0), latitude=151.0)],
            "admin.stop.latitude.range",
            1,
            "Halte 1, 'Breedtegraad'",
        ),
    ],
)
def test_bad_stops_are_refused_naming_the_stop_and_its_column_and_nothing_changes(
    wmw, stops, key, row, shown
):
    db, actor = wmw
    _save(db, actor, DAY_STOPS)
    before = _stored(db)
    with pytest.raises(InvalidInput) as refused:
        _save(db, actor, stops, name="Nieuwe naam")
    assert (refused.value.message_key, refused.value.params["row"]) == (key, row)
    assert shown in error_text(refused.value, "nl") and "{" not in error_text(refused.value, "en")
    db.rollback()  # as the page's session does
    assert _stored(db) == before and _station(db).name == "Stembus op wielen"


def test_the_admin_of_another_municipality_cannot_change_the_stops(wmw):
    db, actor = wmw
    _save(db, actor, DAY_STOPS)
    other = _staff(db, "admin.haarlem")  # (signing in is audited)
    before = _stored(db)
    refused = db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "access_refused"))
    with pytest.raises(NotAllowed):
        _save(db, other, [_stop("Elders", T(9, 0), T(10, 0))])
    db.rollback()
    assert _stored(db) == before
    assert (
        db.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "access_refused"))
        == refused + 1
    )
    with pytest.raises(NotAllowed):  # nor create the station in their own municipality's stead
        admin.save_station(
            db, other, DEMO_ELECTION_ID, OWN, NUMBER + 1, name="x", station_type="mobiel", stops=[], new=True
        )


def _run_clock_at(db, at: dt.datetime) -> None:
    """A running simulation (allowed into this election, as the demo is): the office's "now" is ``at``."""
    db.merge(
        SimulationClock(
            election_id=DEMO_ELECTION_ID,
            municipality_code=OWN,
            simulated_now=at,
            speed=64.0,
            allow_real=True,
            updated_at=db.scalar(select(func.now())),
        )
    )
    db.commit()


def test_the_office_sees_the_stops_with_the_current_one_marked(wmw):
    db, actor = wmw
    station_id = _save(db, actor, DAY_STOPS)
    day = _day(db)
    desk = _staff(db, "office.wmw")
    _run_clock_at(db, dt.datetime.combine(day, T(12, 15), TZ))
    detail = office.station_detail(db, desk, station_id)
    assert [(s.location, f"{s.starts_at:%H:%M}", f"{s.ends_at:%H:%M}", s.current) for s in detail.stops] == [
        ("Markt 3, Wamel", "08:00", "11:00", False),
        ("Kerkplein 1, Beneden-Leeuwen", "11:30", "15:00", True),
        ("Dorpshuis De Hucht", "15:30", "19:00", False),
    ]
    assert detail.now == dt.datetime.combine(day, T(12, 15), TZ)

    _run_clock_at(db, dt.datetime.combine(day, T(11, 10), TZ))  # on the way between two stops
    assert not any(s.current for s in office.station_detail(db, desk, station_id).stops)
    _run_clock_at(db, dt.datetime.combine(day, T(15, 30), TZ))  # a stop starts: it is the current one
    assert [s.current for s in office.station_detail(db, desk, station_id).stops] == [False, False, True]

    regular = db.scalar(
        select(PollingStation.id).where(PollingStation.municipality_code == OWN, PollingStation.number == 1)
    )
    assert office.station_detail(db, desk, regular).stops == []
    with pytest.raises(NotAllowed):
        office.station_detail(db, _staff(db, "office.haarlem"), station_id)


def _as_typed(stops: list[setup.StationLocation]) -> list[admin.StopInput]:
    """The stored stops as the form's table gives them back unchanged."""
    return [
        admin.StopInput(s.address, s.starts_at.time(), s.ends_at.time(), s.latitude, s.longitude)
        for s in stops
    ]


def test_a_station_stored_with_an_hours_warning_can_still_be_corrected_without_touching_its_stops(wmw):
    """An official list may store a bijzonder station with a break (no 8 hours in a row: a warning the
    import reports) or a stop without an address; saving its name must not judge those again."""
    db, actor = wmw
    day = _day(db)
    station = setup.upsert_station(
        db,
        actor,
        DEMO_ELECTION_ID,
        OWN,
        NUMBER,
        station_type="bijzonder",
        locations=[
            setup.StationLocation(dt.datetime.combine(day, T(8), TZ), dt.datetime.combine(day, T(12), TZ)),
            setup.StationLocation(
                dt.datetime.combine(day, T(13), TZ), dt.datetime.combine(day, T(17), TZ), "Zorgcentrum"
            ),
        ],
        accept_hours_warnings=True,
    )
    db.commit()
    stops = _as_typed(setup.list_station_locations(db, actor, station.id))
    before = _stored(db)
    _save(
        db,
        actor,
        stops,
        name="Zorgcentrum De Linde",
        station_type="bijzonder",
        opens_at=T(8),
        closes_at=T(17),
    )
    assert _station(db).name == "Zorgcentrum De Linde"
    assert _stored(db)[:3] == before[:3]  # hours and stops as they were
    with pytest.raises(InvalidInput):  # a changed stop is judged: still no 8 hours in a row
        _save(db, actor, [*stops[:1], _stop("Zorgcentrum", T(13), T(16))], station_type="bijzonder")


def test_a_mobiel_station_becomes_regulier_in_one_save_by_emptying_its_stops(wmw):
    db, actor = wmw
    _save(db, actor, DAY_STOPS)
    _save(db, actor, [], station_type="regulier", opens_at=T(7, 30), closes_at=T(21, 0))
    station = _station(db)
    assert (station.station_type, station.opens_at, station.closes_at) == ("regulier", T(7, 30), T(21, 0))
    assert _stored(db)[2] == []
    # and a regulier station gets stops in one save too (the form's table is there for every station)
    _save(db, actor, DAY_STOPS, station_type="mobiel")
    assert (_station(db).station_type, len(_stored(db)[2])) == ("mobiel", 3)


def test_with_stops_the_hours_typed_on_the_form_are_not_stored(wmw):
    """The hours follow from the stops: the form's hour fields (shown, not typed) cannot move them."""
    db, actor = wmw
    station_id = _save(db, actor, DAY_STOPS)
    stops = _as_typed(setup.list_station_locations(db, actor, station_id))
    _save(db, actor, stops, name="Stembus (nieuwe naam)", opens_at=T(7, 30), closes_at=T(21, 0))
    station = _station(db)
    assert (station.name, station.opens_at, station.closes_at) == ("Stembus (nieuwe naam)", T(8), T(19))


def test_changed_stops_stay_on_the_day_their_station_is_on(wmw):
    """A station number of another voting day (a station list may have one per day) keeps its day."""
    db, actor = wmw
    early = _day(db) - dt.timedelta(days=2)
    station = setup.upsert_station(
        db,
        actor,
        DEMO_ELECTION_ID,
        OWN,
        NUMBER,
        locations=[
            setup.StationLocation(
                dt.datetime.combine(early, T(8), TZ), dt.datetime.combine(early, T(12), TZ), "Markt"
            )
        ],
    )
    db.commit()
    _save(db, actor, [_stop("Markt", T(8), T(12)), _stop("Kerk", T(13), T(16))])
    stops = setup.list_station_locations(db, actor, station.id)
    assert [(s.address, s.starts_at.date()) for s in stops] == [("Markt", early), ("Kerk", early)]
