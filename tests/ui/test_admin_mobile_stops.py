"""AppTest: the admin's station form shows a mobiel station's stops in a table and saves them with the
station (a wrong stop named, nothing stored); the office's station detail shows where it is now."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from app.domain.access import SYSTEM
from app.services import setup
from app.storage.db import session_scope
from app.storage.models import Election, PollingStation
from app.storage.simulation_models import SimulationClock
from etl.demo import DEMO_ELECTION_ID, DEMO_PASSWORD

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")
TZ = ZoneInfo("Europe/Amsterdam")
MUNI, NUMBER = "GM0668", 901
T = dt.time


@pytest.fixture
def env(demo_db_url, app_env):
    """A mobiel station of West Maas en Waal with two stops, as an import stores it."""
    app_env(demo_db_url)
    with session_scope() as db:
        day = db.get(Election, DEMO_ELECTION_ID).election_date
        setup.upsert_station(
            db,
            SYSTEM,
            DEMO_ELECTION_ID,
            MUNI,
            NUMBER,
            name="Stembus op wielen",
            station_type="mobiel",
            locations=[
                setup.StationLocation(
                    dt.datetime.combine(day, T(8, 0), TZ), dt.datetime.combine(day, T(11, 0), TZ), "Markt 3"
                ),
                setup.StationLocation(
                    dt.datetime.combine(day, T(11, 30), TZ),
                    dt.datetime.combine(day, T(15, 0), TZ),
                    "Kerkplein *1* [link](https://example.org)",
                ),
            ],
        )
        db.commit()
    return day


def _signed_in(username: str, page: str) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    at.text_input(key="staff_username").input(username)
    at.text_input(key="staff_password").input(DEMO_PASSWORD)
    at.button[1].click().run()
    at.switch_page(f"../pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def _save(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Stembureau opslaan").click().run()
    assert not at.exception, at.exception
    return at


def _stored() -> tuple:
    with session_scope() as db:
        station = db.scalars(
            select(PollingStation).where(
                PollingStation.municipality_code == MUNI, PollingStation.number == NUMBER
            )
        ).one()
        stops = setup.list_station_locations(db, SYSTEM, station.id)
        return (
            station.opens_at,
            station.closes_at,
            [(s.address, s.starts_at.time(), s.ends_at.time()) for s in stops],
        )


def test_the_station_form_edits_a_mobiel_stations_stops_and_its_hours_follow(env):
    at = _signed_in("admin.wmw", "admin_election")
    heading = "Haltes (mobiel stembureau, of een stembureau dat tussendoor sluit)"
    # every station's form has the table (a new one, or one changed to mobiel, gets its stops in one
    # save), empty and folded for a station without stops
    (folded,) = [e for e in at.expander if e.label == heading]
    assert not folded.proto.expanded and at.data_editor(key="st_stops_new").value.empty
    at.selectbox(key="station_choice").set_value(1).run()  # a regulier station: no stops
    assert at.data_editor(key="st_stops_1").value.empty
    at.selectbox(key="station_choice").set_value(NUMBER).run()
    editor = at.data_editor(key=f"st_stops_{NUMBER}")
    assert editor.editing_mode == "dynamic"
    assert list(editor.value["location"]) == ["Markt 3", "Kerkplein *1* [link](https://example.org)"]
    (unfolded,) = [e for e in at.expander if e.label == heading]
    assert unfolded.proto.expanded

    # a third stop that overlaps the second: refused, naming it; nothing stored, the table kept
    at.session_state[f"st_stops_{NUMBER}"] = {
        "edited_rows": {},
        "added_rows": [{"location": "Sporthal", "opens_at": "14:00", "closes_at": "17:00"}],
        "deleted_rows": [],
    }
    _save(at)
    assert [e.value for e in at.error] and "Halte 3, 'Van'" in at.error[0].value, [e.value for e in at.error]
    assert "overlappen" in at.error[0].value
    assert _stored() == (
        T(8, 0),
        T(15, 0),
        [("Markt 3", T(8, 0), T(11, 0)), ("Kerkplein *1* [link](https://example.org)", T(11, 30), T(15, 0))],
    )

    # the second stop ends earlier, the third is added after it: stored, and the hours follow
    at.session_state[f"st_stops_{NUMBER}"] = {
        "edited_rows": {1: {"closes_at": "13:30"}},
        "added_rows": [{"location": "Sporthal", "opens_at": "14:00", "closes_at": "17:00"}],
        "deleted_rows": [],
    }
    _save(at)
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == ["Opgeslagen."]
    assert _stored() == (
        T(8, 0),
        T(17, 0),
        [
            ("Markt 3", T(8, 0), T(11, 0)),
            ("Kerkplein *1* [link](https://example.org)", T(11, 30), T(13, 30)),
            ("Sporthal", T(14, 0), T(17, 0)),
        ],
    )
    editor = at.data_editor(key=f"st_stops_{NUMBER}")  # the table starts again from what is stored
    assert list(editor.value["location"]) == [
        "Markt 3",
        "Kerkplein *1* [link](https://example.org)",
        "Sporthal",
    ]
    assert _hours(at, f"st_closes_{NUMBER}").value == T(17, 0)


def test_the_office_map_shows_the_stops_and_where_the_station_is_now(env):
    day = env
    with session_scope() as db:
        db.add(
            SimulationClock(
                election_id=DEMO_ELECTION_ID,
                municipality_code=MUNI,
                simulated_now=dt.datetime.combine(day, T(12, 0), TZ),
                speed=64.0,
                allow_real=True,
                updated_at=db.scalar(select(func.now())),
            )
        )
        station_id = db.scalar(
            select(PollingStation.id).where(
                PollingStation.municipality_code == MUNI, PollingStation.number == NUMBER
            )
        )
        db.commit()
    at = _signed_in("office.wmw", "office_map")
    at.selectbox(key="office_map_station").set_value(station_id).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert "Haltes (mobiel stembureau)" in [m.value.strip("*") for m in at.markdown]
    now = next(m.value for m in at.markdown if m.value.startswith("Nu (12:00)"))
    assert "Kerkplein \\*1\\* \\[link\\]" in now and "tot 15:00" in now  # the place shown as typed (inert)
    stops = next(d.value for d in at.dataframe if "Locatie" in d.value.columns)
    assert list(stops["Nu"]) == ["", "▶ nu hier"]
    assert list(stops["Van"]) == ["08:00", "11:30"]


def _hours(at, prefix: str):
    """The station form's opening or closing time (its key ends in the stored hours, so that the field
    shows them anew after a save)."""
    (found,) = [t for t in at.time_input if t.key.startswith(f"{prefix}_")]
    return found
