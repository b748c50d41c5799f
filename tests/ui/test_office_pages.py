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
from tests.inert_markdown import shown

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
    dutch = f"{100 * total:,}".replace(",", ".")  # thousands separated as in Dutch
    assert f"{dutch} toegelaten kiezers tot nu toe" in captions
    assert any(c.startswith("GR2022 einde dag: ") for c in captions), captions

    at.radio(key="lang_choice").set_value("en").run()
    assert f"Moment 13:45: 1 of {total} stations reported" in [c.value for c in at.caption]


def _toggle(at: AppTest, part: str) -> AppTest:
    """Open (or close) the expander whose label contains ``part`` as a browser does: AppTest has no API
    for a stateful expander, so this sends the widget state the browser would send."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    found = [e for e in at.expander if part in e.label]
    assert len(found) == 1, [e.label for e in at.expander]
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=found[0].proto.id, bool_value=not found[0].proto.expanded))
    return at._run(states)


def _open_labels(at: AppTest) -> list[str]:
    return [e.label for e in at.expander if e.proto.expanded]


def test_incident_queue_shows_text_inert_and_acknowledges(env):
    _, incident_id = env
    at = _office()
    at.switch_page("../pages/office_incidents.py").run()
    _toggle(at, f"#{incident_id}")
    assert "Stemmachine? <script>" in [t.value for t in at.text]
    at.button(key=f"inc{incident_id}_ack").click().run()
    assert not at.exception, at.exception
    assert any("In behandeling" in e.label for e in at.expander)


def test_incident_queue_is_compact_most_severe_first_one_open_that_stays_open(env):
    """Every incident one line (severity as word and icon, station, category, status, age); none drawn
    open until picked; the picked one stays open after acknowledging and replying; picking another closes
    it."""
    sid, high = env
    with session_scope() as db:
        actor = auth.sign_in_chair(db, demo_code("GM0392", 1))
        low = chair.raise_incident(
            db, actor, sid, "other", "Koffie op", severity="low", client_submission_id=str(uuid.uuid4())
        ).id
    at = _office()
    at.switch_page("../pages/office_incidents.py").run()
    assert not at.exception, at.exception
    labels = [e.label for e in at.expander]
    assert labels[0].startswith("Hoog · stembureau 1 ") and labels[0].endswith(f" · Open · zojuist · #{high}")
    assert labels[1].startswith("Laag · stembureau 1 ") and "Anders" in labels[1]
    assert [e.icon for e in at.expander] == [
        ":material/keyboard_double_arrow_up:",
        ":material/keyboard_arrow_down:",
    ]  # shape, not colour
    assert _open_labels(at) == []  # compact: nothing open, no forms drawn
    assert not at.text_area and "Stemmachine? <script>" not in [t.value for t in at.text]

    _toggle(at, f"#{high}")
    assert _open_labels(at) == [labels[0]]
    assert [t.key for t in at.text_area] == [f"inc{high}_reply"]
    at.button(key=f"inc{high}_ack").click().run()
    assert not at.exception, at.exception
    (still_open,) = _open_labels(at)  # acknowledged, and still open with its forms
    assert f"#{high}" in still_open and " · In behandeling · " in still_open
    at.text_area(key=f"inc{high}_reply").input("We sturen iemand.")
    at.button[-2].click().run()  # Reactie versturen (the reply form's submit button)
    assert not at.exception, at.exception
    assert len(_open_labels(at)) == 1 and f"#{high}" in _open_labels(at)[0]
    assert any("We sturen iemand." in t.value for t in at.text)

    _toggle(at, f"#{low}")  # picking another closes the one open
    (now_open,) = _open_labels(at)
    assert f"#{low}" in now_open
    assert [t.key for t in at.text_area] == [f"inc{low}_reply"]
    _toggle(at, f"#{low}")
    assert _open_labels(at) == []


def _count(number: int, list_votes: list[int], blank: int = 0) -> tuple[int, int]:
    """A count of Haarlem's station ``number`` (decentral counting), opened and closed first."""
    from tests import chair_day as day

    with session_scope() as db:
        actor, sid = day.sign_in(db, "GM0392", number)
        day.open_station(db, actor, sid)
        day.close_station(db, actor, sid)
        return sid, day.submit_count(db, actor, sid, list_votes, blank=blank)


def _table_text(at: AppTest) -> str:
    return "\n".join(t.value.to_string() for t in at.table)


def test_count_review_shows_the_whole_proces_verbaal_with_the_votes_per_list(env):
    from app.storage.models import PoliticalGroup

    _sid, _version_id = _count(2, [60, 30], blank=4)  # 4 blank of 94 votes: W.201
    with session_scope() as db:
        names = dict(
            db.execute(
                select(PoliticalGroup.number, PoliticalGroup.name).where(
                    PoliticalGroup.election_id == "GR2026", PoliticalGroup.municipality_code == "GM0392"
                )
            ).all()
        )
    at = _office()
    at.switch_page("../pages/office_counts.py").run()
    assert not at.exception, at.exception
    (row,) = at.expander[:1]
    assert row.label.startswith("Stembureau 2 ") and row.label.endswith(
        " · versie 1 · ingediend · waarschuwing W.201"
    )
    assert row.proto.expanded  # the first count still to review is open
    assert "Proces-verbaal, versie 1" in [h.value for h in at.subheader]
    boxes = at.table[0].value  # A, B, D (no C at a municipal election)
    assert list(boxes.iloc[:, 0]) == ["A. Stempassen", "B. Volmachtbewijzen", "D. Totaal toegelaten kiezers"]
    assert list(boxes.iloc[:, 1]) == [94, 0, 94]
    per_list = at.table[1].value
    assert list(per_list.iloc[:, 0]) == [f"E.{n}" for n in sorted(names)]
    assert [shown(n) for n in per_list.iloc[:2, 1]] == [names[1], names[2]]  # Markdown cells: escaped
    assert list(per_list.iloc[:2, 2]) == [60, 30]
    candidates = [e.label for e in at.expander if "kandidaten" in e.label]  # one per list, compact
    assert len(candidates) == len(names) and candidates[0].endswith(": kandidaten (totaal 60)")
    tables = _table_text(at)
    assert "F. Blanco stemmen" in tables and "H. Totaal uitgebrachte stemmen (E+F+G)" in tables
    assert "D en H: D en H zijn gelijk" in [m.value for m in at.markdown]
    assert any(
        shown(w.value).startswith("W.201 Het aantal blanco stemmen (F) is erg hoog") for w in at.warning
    )
    assert "Nageteld, klopt" in [t.value for t in at.text]  # the chair's explanation, inert


def test_count_review_accepting_needs_a_confirmation(env):
    from app.storage.chair_models import CountVersion

    _sid, version_id = _count(2, [70, 29], blank=1)
    at = _office()
    at.switch_page("../pages/office_counts.py").run()
    at.button(key=f"cv{version_id}_accept").click().run()  # not confirmed: refused, said at the button
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Vink eerst aan dat u het proces-verbaal hebt gecontroleerd."]
    with session_scope() as db:
        assert db.get(CountVersion, version_id).status == "submitted"
    at.checkbox(key=f"cv{version_id}_confirm").check().run()
    at.button(key=f"cv{version_id}_accept").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Telling geaccepteerd."]
    with session_scope() as db:
        assert db.get(CountVersion, version_id).status == "accepted"


def test_count_review_reopens_an_accepted_count_with_a_reason(env):
    from app.services import counts
    from app.storage.chair_models import CountVersion

    _sid, version_id = _count(2, [70, 29], blank=1)
    with session_scope() as db:
        office = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        counts.accept_count(db, office, version_id)
    at = _office()
    at.switch_page("../pages/office_counts.py").run()
    at.multiselect(key="office_counts_status").set_value(["accepted"]).run()
    (label,) = [e.label for e in at.expander if e.label.startswith("Stembureau 2 ")]
    assert " · geaccepteerd · " in label
    _toggle(at, "Stembureau 2 ")
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.key == f"cv{version_id}_accept"]  # accepted: no accept again
    at.button[-1].click().run()  # reopen without a reason: refused at the form
    assert [e.value for e in at.error] == ["Vul dit veld in."]
    with session_scope() as db:
        assert db.get(CountVersion, version_id).status == "accepted"
    at.text_area(key=f"cv{version_id}_reopen_reason").input("Het papieren proces-verbaal wijkt af.")
    at.button[-1].click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Telling heropend en teruggestuurd naar de voorzitter."]
    with session_scope() as db:
        row = db.get(CountVersion, version_id)
        assert (row.status, row.returned_reason) == ("returned", "Het papieren proces-verbaal wijkt af.")
    at.multiselect(key="office_counts_status").set_value(["returned"]).run()
    _toggle(at, "Stembureau 2 ")
    assert "Het papieren proces-verbaal wijkt af." in [t.value for t in at.text]  # the reason, inert
    assert [i.value for i in at.info] == [
        "Teruggestuurd: de voorzitter corrigeert de telling en dient versie 2 in."
    ]
    assert not [b for b in at.button if b.key and b.key.startswith(f"cv{version_id}_")]  # nothing to do


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


# --- requests for help and the station timeline ------------------------------------------------------------

HELP_TEXT = "Extra potloden nodig **nu** <b>x</b> [klik](https://example.org)"


def _ask_for_help(sid: int, text: str = HELP_TEXT) -> None:
    from app.ui import office as office_ui

    with session_scope() as db:
        actor = auth.sign_in_chair(db, demo_code("GM0392", 1))
        chair.report_signal(db, actor, sid, "need_help", note=text, client_submission_id=str(uuid.uuid4()))
    office_ui.forget()  # the shared read-model cache: read the new state


def _need_help(sid: int) -> bool:
    from app.storage.chair_models import StationState

    with session_scope() as db:
        return bool(db.get(StationState, sid).need_help)


def test_alerts_page_shows_a_help_request_with_its_text_inert_and_marks_it_handled(env):
    sid, _ = env
    _ask_for_help(sid)
    at = _office()
    at.switch_page("../pages/office_alerts.py").run()
    assert not at.exception, at.exception
    assert "Hulpvragen" in [h.value for h in at.header]
    assert HELP_TEXT in [t.value for t in at.text]  # as typed: st.text, no Markdown, no link
    assert any("vraagt sinds" in m.value and "om hulp" in m.value for m in at.markdown)
    alerts = at.dataframe[0].value
    assert f"Vraagt om hulp: {HELP_TEXT}" in set(alerts["Signaal"])
    assert "▲ Kritiek" in set(alerts["Niveau"])  # a level by its label and symbol, not by colour alone
    at.text_area(key=next(k for k in _keys(at) if k.endswith("_note"))).input("Bode onderweg")
    at.button(key=next(k for k in _keys(at) if k.endswith("_handle"))).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert not _need_help(sid)
    with session_scope() as db:  # the chair sees the office's message with the request handled
        actor = auth.sign_in_chair(db, demo_code("GM0392", 1))
        handled = chair.station_overview(db, actor, sid).help
    assert handled is not None and not handled.open and handled.text == "Bode onderweg"
    assert "Hulpvragen" not in [h.value for h in at.header]
    assert all("Vraagt om hulp" not in str(v) for v in at.dataframe[0].value["Signaal"])


def _keys(at: AppTest) -> list[str]:
    return [w.key for kind in ("text_input", "text_area", "button") for w in getattr(at, kind) if w.key]


def test_overview_shows_help_requests_first_with_the_chairs_text(env):
    sid, _ = env
    _ask_for_help(sid, "Extra potloden nodig")
    at = _office()
    at.switch_page("../pages/office_overview.py").run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["▲ Hulpvragen open: 1. Afhandelen kan op Signalen of op de kaart."]
    first = at.dataframe[1].value  # after the states: the requests for help
    assert list(first["Signaal"]) == ["Vraagt om hulp: Extra potloden nodig"]


def test_map_detail_shows_help_and_a_timeline_in_sentences_in_dutch_and_english(env):
    sid, incident_id = env
    with session_scope() as db:
        actor = auth.sign_in_chair(db, demo_code("GM0392", 1))
        chair.report_members(db, actor, sid, 2, client_submission_id=str(uuid.uuid4()))
        chair.report_stock(db, actor, sid, 40, client_submission_id=str(uuid.uuid4()))
        chair.report_signal(db, actor, sid, "long", client_submission_id=str(uuid.uuid4()))
    _ask_for_help(sid, "Extra potloden nodig")
    at = _office()
    at.switch_page("../pages/office_map.py").run()
    at.selectbox(key="office_map_station").set_value(sid).run()
    assert not at.exception, at.exception
    assert "Status: ▲ Probleem" in [m.value for m in at.markdown]  # a label and a symbol, not colour alone
    assert "Extra potloden nodig" in [t.value for t in at.text]  # the request, with its handle form
    timeline = at.dataframe[-1].value
    details = dict(zip(timeline["Wat"], timeline["Details"], strict=False))
    assert details["Voorraad stembiljetten"] == "Nog 40 stembiljetten (weinig)"
    assert details["Drukte"] == "Lange rij"
    assert details["Leden aanwezig"] == "2 leden aanwezig (te weinig)"
    assert details["Hulpvraag"] == "Waarmee: Extra potloden nodig"
    assert details["Opkomst"] == "321 toegelaten kiezers om 10:00"
    assert details["Melding"] == f"Melding {incident_id}: techniek / materiaal (hoog): Stemmachine? <script>"
    assert details["Geopend"].startswith("Geopend om ")
    every = " ".join(timeline["Details"])
    for raw in ("kind:", "value:", "left:", "category:", "severity:", "opened_at", "True", "member_absent"):
        assert raw not in every, raw

    at.radio(key="lang_choice").set_value("en").run()
    assert not at.exception, at.exception
    timeline = at.dataframe[-1].value
    details = dict(zip(timeline["What"], timeline["Details"], strict=False))
    assert details["Ballot stock"] == "40 ballot papers left (low)"
    assert details["Queue"] == "Long queue"
    assert (
        details["Incident"] == f"Incident {incident_id}: technical / equipment (high): Stemmachine? <script>"
    )
    assert details["Request for help"] == "With what: Extra potloden nodig"
