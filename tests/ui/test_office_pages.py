"""AppTest: every page of the election office's live view renders with demo data, without an exception
or an error, and shows only the office's own municipality."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from app.services import auth, chair
from app.storage.db import session_scope
from app.storage.models import PollingStation
from app.ui import widgets
from etl.demo import DEMO_PASSWORD, demo_code
from tests.chair_day import today_at

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")
PAGES = ("overview", "map", "alerts", "incidents", "turnout", "result", "counts", "exports")


@pytest.fixture
def env(demo_db_url, app_env):
    app_env(demo_db_url)
    with session_scope() as db:  # a little of election day, through the chair's services
        actor = auth.sign_in_chair(db, demo_code("GM0392", 1))
        sid = actor.polling_station_id
        items = [i["key"] for i in chair.station_overview(db, actor, sid).checklist_items]
        chair.submit_opening(db, actor, sid, items, client_submission_id=str(uuid.uuid4()))
        chair.submit_turnout(
            db, actor, sid, "10:00", 321, client_submission_id=str(uuid.uuid4()), now=today_at(10, 1)
        )
        incident = chair.raise_incident(
            db,
            actor,
            sid,
            "technical",
            "Stemmachine? <script>",
            severity="high",
            client_submission_id=str(uuid.uuid4()),
        )
    return sid, incident.id


def _office(username: str = "office.haarlem") -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    at.text_input(key="staff_username").input(username)
    at.text_input(key="staff_password").input(DEMO_PASSWORD)
    at.button[1].click().run()
    return at


def _texts(at: AppTest) -> str:
    parts = [
        str(e.value)
        for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning")
        for e in getattr(at, kind)
    ]
    parts += [e.value.to_string() for e in at.dataframe]
    parts += [str(m.value) + str(m.label) for m in at.metric]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_office_page_renders_with_demo_data(env, page):
    at = _office()
    at.switch_page(f"../pages/office_{page}.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    text = _texts(at)
    assert "Nijmegen" not in text and "GM0268" not in text


def test_overview_counts_the_reported_day(env):
    at = _office()
    at.switch_page("../pages/office_overview.py").run()
    assert at.title[0].value == "Verkiezingsdag Haarlem"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Open"] == "1"
    assert metrics["Open meldingen"] == "1"
    with session_scope() as db:
        stations = db.scalar(
            select(func.count())
            .select_from(PollingStation)
            .where(PollingStation.municipality_code == "GM0392")
        )
    # the turnout of one moment, the latest reported, with how many stations reported for it
    captions = [c.value for c in at.caption]
    assert f"Tijdstip 10:00: 1 van {stations} stembureaus gemeld" in captions
    assert "321 toegelaten kiezers tot nu toe" in captions
    assert metrics["Opkomst gemeente"].endswith(" %") and metrics["Opkomst gemeente"] != "– %"


def test_overview_compares_the_past_election_at_the_moment_shown(env):
    """All of West Maas en Waal's 21 stations reported 10:00 and station 1 also 13:45: whatever the
    clock says, the overview shows the 10:00 figure (complete) and 13:45 as coming in. (GR2022 published no
    figures during the day for this municipality: only its end-of-day turnout is compared.)"""
    from sqlalchemy import select

    from app.storage.models import PollingStation
    from tests import chair_day

    with session_scope() as db:
        numbers = sorted(
            db.scalars(select(PollingStation.number).where(PollingStation.municipality_code == "GM0668"))
        )
        for n in numbers:
            actor, sid = chair_day.sign_in(db, "GM0668", n)
            chair_day.open_station(db, actor, sid)
            chair_day.turnout(db, actor, sid, "10:00", 100)
            if n == numbers[0]:
                chair_day.turnout(db, actor, sid, "13:45", 400)
    total = len(numbers)
    at = _office("office.wmw")
    at.switch_page("../pages/office_overview.py").run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    assert f"Tijdstip 10:00: {total} van {total} stembureaus gemeld" in captions
    assert f"Tijdstip 13:45: 1 van {total} stembureaus gemeld" in captions
    assert f"{100 * total} toegelaten kiezers tot nu toe" in captions
    assert any(c.startswith("GR2022 einde dag: ") for c in captions), captions

    at.radio(key="lang_choice").set_value("en").run()
    assert f"Moment 13:45: 1 of {total} stations reported" in [c.value for c in at.caption]


def test_incident_queue_shows_text_inert_and_acknowledges(env):
    at = _office()
    at.switch_page("../pages/office_incidents.py").run()
    assert "Stemmachine? <script>" in [t.value for t in at.text]
    _, incident_id = env
    at.button(key=f"inc{incident_id}_ack").click().run()
    assert not at.exception, at.exception
    assert any("In behandeling" in e.label for e in at.expander)


def test_turnout_page_shows_counts_per_station_not_percentages(env):
    at = _office()
    at.switch_page("../pages/office_turnout.py").run()
    per_station = at.dataframe[1].value
    assert list(per_station.columns) == ["Stembureau", "Laatste tijdstip", "Toegelaten kiezers"]
    assert 321 in set(per_station["Toegelaten kiezers"])  # a number, so that the column sorts as numbers


def test_map_station_detail_shows_the_timeline(env):
    at = _office()
    at.switch_page("../pages/office_map.py").run()
    sid, _ = env
    at.selectbox(key="office_map_station").set_value(sid).run()
    assert not at.exception, at.exception
    assert any("Tijdlijn" in m.value for m in at.markdown)
    timeline = at.dataframe[-1].value
    assert {"Geopend", "Opkomst", "Melding"} <= set(timeline["Wat"])


def _simulation_clock(hh: int, mm: int, *, age_minutes: int = 0) -> None:
    """A running simulator's clock for Haarlem in the demo election (the demo runs with --allow-real)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from sqlalchemy import func, select

    from app.storage.models import Election
    from app.storage.simulation_models import SimulationClock
    from app.ui import office as office_ui

    with session_scope() as db:
        day = db.get(Election, "GR2026").election_date
        updated = db.scalar(select(func.now())) - dt.timedelta(minutes=age_minutes)
        db.merge(
            SimulationClock(
                election_id="GR2026",
                municipality_code="GM0392",
                simulated_now=dt.datetime.combine(day, dt.time(hh, mm), tzinfo=ZoneInfo("Europe/Amsterdam")),
                speed=64.0,
                allow_real=True,
                updated_at=updated,
            )
        )
        db.commit()
    office_ui.forget()  # the shared read-model cache: read the clock afresh


def test_overview_labels_a_simulated_time_as_practice_or_demo(env):
    _simulation_clock(13, 47)
    at = _office()
    at.switch_page("../pages/office_overview.py").run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == ["Gesimuleerde tijd 13:47 (oefening/demo)"]
    assert "Bijgewerkt om 13:47:00" in _texts(at)
    at.radio(key="lang_choice").set_value("en").run()
    assert [w.value for w in at.warning] == ["Simulated time 13:47 (practice/demo)"]


def test_overview_shows_no_simulated_label_on_a_stale_clock(env):
    _simulation_clock(13, 47, age_minutes=5)
    at = _office()
    at.switch_page("../pages/office_overview.py").run()
    assert not at.exception, at.exception
    assert not any("Gesimuleerde tijd" in w.value for w in at.warning)


def test_map_labels_every_station_with_its_state_symbol_and_the_text_layer_is_valid(env):
    """The state is never shown by colour alone: every point carries '<symbol> <number>'. pydeck turns an
    unquoted string into a JavaScript expression, which made deck.gl drop the whole text layer once."""
    import json

    from app.domain.access import Role
    from app.services import office
    from app.ui import office as office_ui

    with session_scope() as db:
        actor = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        assert actor.role is Role.OFFICE
        view = office.overview(db, actor, "GR2026", "GM0392")
    deck = json.loads(office_ui.station_map(view).to_json())
    text = next(
        layer
        for layer in deck["layers"]
        if layer["@@type"] == "TextLayer" and not layer["id"].startswith(widgets.KEEP_ALL_PREFIX)
    )
    assert text["characterSet"] == "auto"
    labels = [row["label"] for row in text["data"]]
    assert labels and all(label.split(" ")[0] in office_ui.STATE_SYMBOL.values() for label in labels)


def test_every_point_keeps_its_state_symbol_when_labels_give_way(env):
    """Decluttering drops labels that would overlap; the state symbol drawn on each point stays, in a
    colour that contrasts with the point's fill (house rule 11: never by colour alone)."""
    import json

    from app.services import office
    from app.ui import office as office_ui

    with session_scope() as db:
        actor = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        view = office.overview(db, actor, "GR2026", "GM0392")
    deck = json.loads(widgets.declutter(office_ui.station_map(view)).to_json())
    layers = {layer["id"]: layer for layer in deck["layers"] if layer["@@type"] == "TextLayer"}
    symbols = layers[widgets.KEEP_ALL_PREFIX + "state_symbols"]
    labels = next(layer for name, layer in layers.items() if not name.startswith(widgets.KEEP_ALL_PREFIX))
    located = [r for r in view.stations if r.latitude is not None]
    assert len(labels["data"]) < len(located)  # some labels gave way to a neighbour's
    by_number = {row["number"]: row for row in symbols["data"]}
    assert set(by_number) == {r.number for r in located}  # ... but every point has its symbol
    for r in located:
        row = by_number[r.number]
        assert row["symbol"] == office_ui.STATE_SYMBOL[r.state]
        fill, ink = office_ui.STATE_COLOUR[r.state], row["ink"]
        assert ink in ([0, 0, 0, 255], [255, 255, 255, 255]) and _contrast(fill, ink) >= 3.0


def _contrast(a, b) -> float:
    def lum(c):
        def channel(v):
            v = v / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_turnout_chart_keeps_the_whole_day_on_its_axis(env):
    from app.services import office
    from app.ui import office as office_ui

    with session_scope() as db:
        actor = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        view = office.turnout(db, actor, "GR2026", "GM0392")
    fig = office_ui.turnout_chart(view)
    on_axis = {x for trace in fig.data for x in (trace.x or ())}
    assert {"07:30", "10:00", "13:45", "17:45", "21:00"} <= on_axis
