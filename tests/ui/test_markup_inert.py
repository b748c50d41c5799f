"""AppTest: names from imported files and admins (municipality, station, list, candidate, checklist item,
staff display name) are shown exactly as typed: as Markdown, escaped (``tr``, ``md_escape``), in titles,
headers, captions, expander and widget labels; as they are in plain sinks (select options, tables); as
text in Plotly figures (no HTML); and never as deck.gl code in a map's data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from app.domain.access import SYSTEM
from app.services import admin, chair
from app.storage.db import session_scope
from app.storage.models import Candidate, Election, PoliticalGroup, StaffUser
from etl.demo import DEMO_PASSWORD, demo_code
from tests import chair_day as day
from tests.inert_markdown import assert_inert

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")
HOSTILE = "[klik](https://evil.example) ![x](https://evil.example/p.png) **vet** :red[rood] $x$"
HTML_NAME = '<a href="https://x">x</a>'
HTML_SHOWN = '&lt;a href="https://x"&gt;x&lt;/a&gt;'  # Plotly shows the references as < and >


@pytest.fixture
def hostile(demo_db_url, app_env):
    """Haarlem, its station 1, list 1, list 1's first candidate, the first checklist item of GR2026 and
    the office's display name all named ``HOSTILE`` (as an import or an admin could); list 2 named
    ``HTML_NAME``."""
    app_env(demo_db_url)
    with session_scope() as db:
        admin.save_municipality(db, SYSTEM, "GM0392", HOSTILE)
        admin.save_station(db, SYSTEM, "GR2026", "GM0392", 1, name=HOSTILE, address="Grote Markt 2")
        admin.save_list(db, SYSTEM, "GR2026", "GM0392", 1, HOSTILE)
        admin.save_list(db, SYSTEM, "GR2026", "GM0392", 2, HTML_NAME)
        candidate = db.scalar(
            select(Candidate)
            .join(PoliticalGroup, PoliticalGroup.id == Candidate.political_group_id)
            .where(
                PoliticalGroup.election_id == "GR2026",
                PoliticalGroup.municipality_code == "GM0392",
                PoliticalGroup.number == 1,
                Candidate.number == 1,
            )
        )
        candidate.initials, candidate.prefix, candidate.last_name = None, None, HOSTILE
        election = db.get(Election, "GR2026")
        items = list(election.checklist_items)
        items[0] = {**items[0], "nl": HOSTILE}
        election.checklist_items = items
        db.scalar(select(StaffUser).where(StaffUser.username == "office.haarlem")).display_name = HOSTILE
        db.commit()
    return demo_db_url


@pytest.fixture
def evening(monkeypatch):
    """The pages' and the chair's services' time of day: 21:05 today (after closing)."""
    from app.services import chair as chair_service
    from app.ui import chair as chair_ui

    now = day.today_at(21, 5)
    monkeypatch.setattr(chair_ui, "local_now", lambda: now)
    monkeypatch.setattr(chair_service, "now_utc", lambda: now.astimezone(dt.UTC))
    return now


def _app() -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    return at


def _sidebar_caption(at: AppTest, start: str) -> str:
    return next(c.value for c in at.sidebar.caption if c.value.startswith(start))


def test_public_page_shows_a_hostile_municipality_name_as_typed(hostile):
    with session_scope() as db:
        admin.set_public_page(db, SYSTEM, "GM0392", True)
    at = _app()
    at.switch_page("../pages/public.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="public_muni").options == [HOSTILE]  # an option is plain text: as it is
    assert_inert(at.header[0].value, f"{HOSTILE} · ")  # internet-facing: no link, no tracking image


def test_chair_pages_show_hostile_station_list_candidate_and_checklist_names_as_typed(hostile, evening):
    at = _app()
    at.text_input(key="chair_code").input(demo_code("GM0392", 1))
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert_inert(at.title[0].value, f"Stembureau 1: {HOSTILE}")
    assert_inert(at.caption[0].value, f" · {HOSTILE} · ")  # election · municipality · date · hours
    assert_inert(_sidebar_caption(at, "Aangemeld als"), f"Aangemeld als 1 {HOSTILE} (")

    at.switch_page("../pages/chair_opening.py").run()
    assert not at.exception, at.exception
    assert_inert(at.checkbox[0].label, HOSTILE)  # the checklist item an admin configured

    with session_scope() as db:  # opened and closed through the chair's services
        actor, sid = day.sign_in(db, "GM0392", 1)
        day.open_station(db, actor, sid)
        day.close_station(db, actor, sid)
    at.switch_page("../pages/chair_count.py").run()
    assert not at.exception, at.exception
    assert_inert(at.number_input(key="cnt_E_1").label, f"Lijst 1: {HOSTILE}")
    assert_inert(at.number_input(key="cnt_cand_1_1").label, f"Kandidaat 1: {HOSTILE}")
    assert f"Lijst 1: {HOSTILE}" in at.selectbox(key="cnt_list").options  # plain: as it is


def test_office_pages_show_hostile_names_as_typed_and_charts_show_list_names_as_text(hostile):
    with session_scope() as db:  # an incident and a submitted count at the hostile station
        actor, sid = day.sign_in(db, "GM0392", 1)
        day.open_station(db, actor, sid)
        chair.raise_incident(db, actor, sid, "technical", "Printer", client_submission_id=day.cid())
        day.close_station(db, actor, sid)
        day.submit_count(db, actor, sid, [70, 29], blank=1)
    at = _app()
    at.text_input(key="staff_username").input("office.haarlem")
    at.text_input(key="staff_password").input(DEMO_PASSWORD)
    at.button[1].click().run()
    assert not at.exception, at.exception
    assert_inert(_sidebar_caption(at, "Aangemeld als"), f"Aangemeld als {HOSTILE} (")

    at.switch_page("../pages/office_overview.py").run()
    assert_inert(at.title[0].value, f"Verkiezingsdag {HOSTILE}")

    at.switch_page("../pages/office_incidents.py").run()
    assert not at.exception, at.exception
    label = next(e.label for e in at.expander if "stembureau 1 " in e.label)
    assert_inert(label, f"stembureau 1 {HOSTILE} · ")

    at.switch_page("../pages/office_counts.py").run()
    assert not at.exception, at.exception
    assert_inert(at.expander[0].label, f"Stembureau 1 {HOSTILE} · ")

    at.switch_page("../pages/office_map.py").run()
    at.selectbox(key="office_map_station").set_value(sid).run()
    assert not at.exception, at.exception
    assert any(HOSTILE in option for option in at.selectbox(key="office_map_station").options)
    assert_inert(at.header[0].value, f"Stembureau 1: {HOSTILE}")

    at.switch_page("../pages/office_result.py").run()
    assert not at.exception, at.exception
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert len(specs) == 2  # the votes per list and the seats
    votes = specs[0]["data"][0]["y"]
    assert f"2. {HTML_SHOWN}" in votes and f"1. {HOSTILE}" in votes
    assert all("<a" not in json.dumps(spec) for spec in specs)


def _deck_strings(deck_json: str) -> list[str]:
    """Every string in the data of a deck's layers."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for layer in json.loads(deck_json)["layers"]:
        walk(layer.get("data"))
    return found


def test_a_station_named_like_a_deck_gl_expression_stays_text_on_the_maps(demo_db_url, app_env):
    from app.services import auth, office
    from app.ui import analysis as analysis_ui
    from app.ui import office as office_ui

    app_env(demo_db_url)
    with session_scope() as db:
        admin.save_station(db, SYSTEM, "GR2026", "GM0392", 1, name="@@=x")
        admin.save_station(db, SYSTEM, "GR2026", "GM0392", 2, name="@@#A.B")
        actor = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        view = office.overview(db, actor, "GR2026", "GM0392")
    strings = _deck_strings(office_ui.station_map(view).to_json())
    assert not [s for s in strings if s.startswith("@@")]
    assert {"@\u2060@=x", "@\u2060@#A.B"} <= set(strings)  # still shown, with an invisible joiner

    frame = pd.DataFrame(
        {
            "latitude": [52.38, 52.39],
            "longitude": [4.63, 4.64],
            "number_b": [1, 2],
            "name_b": ["@@=x", "Kerk"],
            "largest_b": ["@@#A.B", "@@=y"],
            "method": ["number", "number"],
            "swing": [1.5, -2.0],
        }
    )
    strings = _deck_strings(analysis_ui.station_map_deck(frame, "swing", signed=True).to_json())
    assert not [s for s in strings if s.startswith("@@")]
    assert {"@\u2060@=x", "@\u2060@#A.B", "@\u2060@=y"} <= set(strings)


def test_analysis_charts_show_party_and_municipality_names_as_text(monkeypatch):
    from app.ui import analysis as analysis_ui

    figures: list[Any] = []
    monkeypatch.setattr(analysis_ui.st, "plotly_chart", lambda fig, **_: figures.append(fig))
    shares = pd.DataFrame({"party": [HTML_NAME, "VVD"], "share_a": [10.0, 20.0], "share_b": [12.0, 18.0]})
    analysis_ui.shares_chart(shares, f"{HTML_NAME}: GR2022 / GR2026", "GR2022", "GR2026")
    analysis_ui.swing_chart(shares.assign(swing=[2.0, -2.0]), "party", f"{HTML_NAME}: GR2022 → GR2026")
    assert len(figures) == 2
    for fig in figures:
        spec = fig.to_json()
        assert "<a" not in spec
        assert fig.layout.title.text.startswith(HTML_SHOWN)
        assert HTML_SHOWN in {y for trace in fig.data for y in trace.y}
