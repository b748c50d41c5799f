"""The office pages and the audit log speak the interface language: the audit log filters by the station
number people know and shows kinds of action as text, the result page names the seat method and writes
numbers the Dutch way, the turnout page shows "–" for a moment without reports and Dutch decimals in its
chart, the Excel download has Dutch headers and values, and no select box shows Streamlit's English
placeholder."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from app.domain.errors import InvalidInput
from app.services import audit_view, auth, chair
from app.storage.db import session_scope
from app.storage.models import AuditLog, PoliticalGroup, PollingStation
from app.ui.texts import md_escape
from etl.demo import DEMO_PASSWORD, demo_code
from tests import chair_day as day

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture
def env(demo_db_url, app_env):
    """Haarlem's station 1 opened, reported the 10:00 turnout and raised an incident."""
    app_env(demo_db_url)
    with session_scope() as db:
        actor = auth.sign_in_chair(db, demo_code("GM0392", 1))
        sid = actor.polling_station_id
        items = [i["key"] for i in chair.station_overview(db, actor, sid).checklist_items]
        chair.submit_opening(db, actor, sid, items, client_submission_id=str(uuid.uuid4()))
        chair.submit_turnout(
            db, actor, sid, "10:00", 321, client_submission_id=str(uuid.uuid4()), now=day.today_at(10, 1)
        )
        chair.raise_incident(
            db,
            actor,
            sid,
            "technical",
            "Printer kapot",
            severity="medium",
            client_submission_id=str(uuid.uuid4()),
        )
    return sid


def _signed_in(username: str, lang: str = "nl") -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.session_state["stemdag_lang"] = lang
    at.run()
    at.text_input(key="staff_username").input(username)
    at.text_input(key="staff_password").input(DEMO_PASSWORD)
    at.button[1].click().run()
    return at


def _page(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"../pages/{page}.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def _texts(at: AppTest) -> str:
    """What the result page writes: its captions, warnings and tables."""
    shown = [c.value for c in at.caption] + [w.value for w in at.warning]
    return "\n".join(shown + [table.value.to_string() for table in at.dataframe])


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


# --- audit log ---------------------------------------------------------------------------------------


def _expected_audit_ids(municipality_code: str, number: int) -> list[int]:
    with session_scope() as db:
        return list(
            db.scalars(
                select(AuditLog.id)
                .join(PollingStation, PollingStation.id == AuditLog.polling_station_id)
                .where(
                    AuditLog.municipality_code == municipality_code,
                    PollingStation.municipality_code == municipality_code,
                    PollingStation.number == number,
                )
            )
        )


def test_audit_log_filters_by_station_number_not_internal_id(env):
    with session_scope() as db:  # West Maas en Waal's station 5 (its id is not 5) opens
        actor, sid = day.sign_in(db, "GM0668", 5)
        day.open_station(db, actor, sid)
        day.turnout(db, actor, sid, "10:00", 40)
    assert sid != 5  # else the old filter by id would pass by chance
    expected = _expected_audit_ids("GM0668", 5)
    assert len(expected) >= 2  # the opening and the turnout
    at = _page(_signed_in("office.wmw"), "admin_audit")
    at.number_input(key="aud_station").set_value(5).run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert len(table) == len(expected)
    assert set(table["Stembureau"]) == {"5"}
    assert f"{len(expected)} regels (nieuwste eerst)" in [c.value for c in at.caption]
    # before and after read as "field: value", not as Python's dict notation
    assert any("moment: 10:00" in after for after in table["Na"]), list(table["Na"])
    assert not any("{'" in v or "None" in v for v in [*table["Voor"], *table["Na"]])
    # an empty station number shows every station again
    at.number_input(key="aud_station").set_value(None).run()
    assert len(at.dataframe[0].value) > len(expected)


def test_audit_log_shows_kinds_headers_and_empty_stations_in_the_language(env):
    at = _page(_signed_in("office.haarlem"), "admin_audit")
    options = at.selectbox(key="aud_action").options
    assert "Aangemeld" in options and "Opkomst gemeld" in options and "Stembureau geopend" in options
    assert not {"sign_in", "turnout_reported", "station_opened"} & set(options)
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Tijd",
        "Wie",
        "Gemeente",
        "Stembureau",
        "Soort",
        "Object",
        "Voor",
        "Na",
    ]
    staff_sign_ins = table[(table["Soort"] == "Aangemeld") & table["Wie"].str.contains("(user:", regex=False)]
    assert len(staff_sign_ins) and set(staff_sign_ins["Stembureau"]) == {"–"}  # no station
    assert "None" not in set(table["Stembureau"])
    # the value behind a label is still the action key: picking a label filters on it
    at.selectbox(key="aud_action").select("Opkomst gemeld").run()
    assert set(at.dataframe[0].value["Soort"]) == {"Opkomst gemeld"}

    english = _page(_signed_in("office.haarlem", "en"), "admin_audit")
    assert "Signed in" in english.selectbox(key="aud_action").options
    assert list(english.dataframe[0].value.columns)[:2] == ["Time", "Who"]


def test_audit_service_resolves_the_station_number_within_the_municipality(env):
    with session_scope() as db:
        haarlem = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
        nijmegen_chair, nijmegen_sid = day.sign_in(db, "GM0268", 1)
        day.open_station(db, nijmegen_chair, nijmegen_sid)
    with session_scope(haarlem) as db:
        rows = audit_view.list_audit(db, haarlem, station_number=1)
        assert rows and {r.municipality_code for r in rows} == {"GM0392"}
        assert {r.station_number for r in rows} == {1} and nijmegen_sid not in {
            r.polling_station_id for r in rows
        }
        assert sorted(r.id for r in rows) == sorted(_expected_audit_ids("GM0392", 1))
        with pytest.raises(InvalidInput):
            audit_view.list_audit(db, haarlem, station_number=-3)
        exported = audit_view.export_audit_csv(db, haarlem, station_number=1)
    assert exported.splitlines()[0].split(",") == list(audit_view.COLUMNS)  # the documented columns


# --- result ------------------------------------------------------------------------------------------


@pytest.fixture
def counted(demo_db_url, app_env):
    """West Maas en Waal (17 seats: largest remainders) with one station counted: 18000 valid votes."""
    app_env(demo_db_url)
    with session_scope() as db:
        actor, sid = day.sign_in(db, "GM0668", 1)
        day.open_station(db, actor, sid)
        day.close_station(db, actor, sid)
        day.submit_count(db, actor, sid, [12000, 6000])


def test_result_page_names_the_method_and_writes_dutch_numbers(counted):
    at = _page(_signed_in("office.wmw"), "office_result")
    text = _texts(at)
    assert "largest_remainders" not in text and "largest_averages" not in text
    assert "grootste overschotten" in text
    assert "Kiesdeler 1.058,82" in text  # 18000 / 17
    assert all(f["layout"].get("separators") == ",." for f in _figures(at))
    # the seats column is a projection: the page says so before the table that holds it
    first_warning = next(i for i, b in enumerate(at.main) if b in list(at.warning))
    first_table = next(i for i, b in enumerate(at.main) if b in list(at.dataframe))
    assert first_warning < first_table
    assert at.warning[0].value.startswith("VOORLOPIG: een projectie") and "1 van 21" in at.warning[0].value

    english = _page(_signed_in("office.wmw", "en"), "office_result")
    text = _texts(english)
    assert "largest remainders" in text and "Quota 1,058.82" in text


@pytest.fixture
def tied(demo_db_url, app_env):
    """West Maas en Waal (17 seats) with one station counted: lists 1, 2 and 3 have 3000 votes each.
    Quota 9000/17: 5 full seats each and the same remainder 3000 - 45000/17 = 6000/17 (352,94); the two
    residual seats go by largest remainders: three lists for two seats, the lot decides (art. P 8)."""
    app_env(demo_db_url)
    with session_scope() as db:
        actor, sid = day.sign_in(db, "GM0668", 1)
        day.open_station(db, actor, sid)
        day.close_station(db, actor, sid)
        day.submit_count(db, actor, sid, [3000, 3000, 3000])
        names = dict(
            db.execute(
                select(PoliticalGroup.number, PoliticalGroup.name).where(
                    PoliticalGroup.election_id == "GR2026",
                    PoliticalGroup.municipality_code == "GM0668",
                    PoliticalGroup.number.in_((1, 2, 3)),
                )
            ).all()
        )
    return [f"{n}. {names[n]}" for n in (1, 2, 3)]


def test_office_result_lot_note_is_dutch(tied):
    one, two, three = tied
    at = _page(_signed_in("office.wmw"), "office_result")
    notes = [c.value for c in at.caption if "loting" in c.value]
    # captions are Markdown: the list names are filled in escaped (shown exactly as typed)
    assert notes == [
        f"Let op: loting beslist over restzetel 1 (art. P 8). {md_escape(f'{one}, {two} en {three}')} "
        f"hebben hetzelfde overschot aan stemmen (352,94) en dingen mee naar 2 zetels. "
        f"Voorlopig, tot de loting: {md_escape(f'{one} en {two}')}."
    ]
    text = _texts(at)
    for english in ("tie by lot", "provisionally", "residual seat", "wins", "seat(s)"):
        assert english not in text

    english = _page(_signed_in("office.wmw", "en"), "office_result")
    notes = [c.value for c in english.caption if "lots" in c.value]
    assert notes == [
        f"Note: drawing lots decides residual seat 1 (art. P 8). {md_escape(f'{one}, {two} and {three}')} "
        f"have the same remainder of votes (352.94) and compete for 2 seats. Provisionally, "
        f"until the lots are drawn: {md_escape(f'{one} and {two}')}."
    ]


def test_lot_note_for_the_absolute_majority_rule_and_remainders_in_both_languages():
    """The other kinds of tie, through the text function (no page needed to reach them)."""
    from app.domain.seats import allocate_seats

    majority = allocate_seats({"A": 2552, "B": 511, "C": 511, "D": 511, "E": 509, "F": 509}, 15)
    (p9,) = (
        majority.ties_by_lot
    )  # Abacus: test_with_absolute_majority_of_votes_but_not_seats_with_drawing_...
    remainders = allocate_seats({"A": 300, "B": 300, "C": 300, "D": 100}, 5)
    (p8,) = remainders.ties_by_lot
    shown = AppTest.from_function(_lot_notes, args=([p9, p8],), default_timeout=30).run()
    assert not shown.exception, shown.exception
    assert [c.value for c in shown.caption] == [
        "Let op: loting beslist welke lijst een restzetel afstaat aan de lijst met de volstrekte meerderheid "
        "van de stemmen (art. P 9): B, C en D. Voorlopig, tot de loting, staat D de zetel af.",
        "Let op: loting beslist over restzetel 1 (art. P 8). A, B en C hebben hetzelfde overschot aan "
        "stemmen (100) en dingen mee naar 2 zetels. Voorlopig, tot de loting: A en B.",
        "Note: drawing lots decides which list gives up a residual seat to the list with the absolute "
        "majority of the votes (art. P 9): B, C and D. Provisionally, until the lots are drawn, D gives it "
        "up.",
        "Note: drawing lots decides residual seat 1 (art. P 8). A, B and C have the same remainder of votes "
        "(100) and compete for 2 seats. Provisionally, until the lots are drawn: A and B.",
    ]


def _lot_notes(ties: list) -> None:
    import streamlit as st

    from app.ui import office as ui

    for lang in ("nl", "en"):
        st.session_state["stemdag_lang"] = lang
        for tie in ties:
            st.caption(ui.lot_text(tie))


# --- turnout -----------------------------------------------------------------------------------------


def test_turnout_page_dashes_moments_without_reports_and_uses_dutch_decimals(env):
    at = _page(_signed_in("office.haarlem"), "office_turnout")
    moments = at.dataframe[0].value
    reported = moments[moments["Tijdstip"] == "10:00"].iloc[0]
    assert reported["Toegelaten kiezers"] == "321"
    not_yet = moments[moments["Stembureaus gemeld"].str.startswith("0 /")]
    assert len(not_yet) and set(not_yet["Toegelaten kiezers"]) == {"–"}
    assert "0" not in set(moments["Toegelaten kiezers"])
    (figure,) = _figures(at)
    assert figure["layout"]["separators"] == ",."
    today = next(t for t in figure["data"] if t.get("text"))
    assert today["text"] and all(re.fullmatch(r"\d+,\d", s) for s in today["text"])

    english = _page(_signed_in("office.haarlem", "en"), "office_turnout")
    (figure,) = _figures(english)
    today = next(t for t in figure["data"] if t.get("text"))
    assert figure["layout"]["separators"] == ".," and all(re.fullmatch(r"\d+\.\d", s) for s in today["text"])


# --- exports -----------------------------------------------------------------------------------------


def _excel(name: str, lang: str) -> None:
    import streamlit as st

    from app.services import auth as auth_
    from app.services import office
    from app.storage.db import session_scope as scope
    from app.ui import office as ui
    from etl.demo import DEMO_PASSWORD as PASSWORD

    st.session_state["stemdag_lang"] = lang
    with scope() as db:
        actor = auth_.sign_in_staff(db, "office.haarlem", PASSWORD)
    service = {"incidents": office.export_incidents, "status": office.export_station_status}[name]
    with scope(actor) as db:
        table = service(db, actor, "GR2026", "GM0392")
    headers, rows = ui.excel_table(name, table)
    st.session_state["headers"], st.session_state["rows"], st.session_state["columns"] = (
        headers,
        rows,
        table.columns,
    )


def test_excel_download_has_dutch_headers_and_values_plain_csv_keeps_its_columns(env):
    at = AppTest.from_function(_excel, args=("incidents", "nl"), default_timeout=30).run()
    assert not at.exception, at.exception
    headers, rows = at.session_state["headers"], at.session_state["rows"]
    assert headers[:2] == ["Meldingnummer", "Verkiezing"] and "Categorie" in headers and "Ernst" in headers
    (row,) = rows
    assert (row["Categorie"], row["Ernst"], row["Status"]) == ("Techniek / materiaal", "Middel", "Open")
    assert re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d:\d\d", row["Gemeld om"])
    assert at.session_state["columns"][:2] == ["incident_id", "election_id"]  # the documented CSV columns

    status = AppTest.from_function(_excel, args=("status", "nl"), default_timeout=30).run()
    assert not status.exception, status.exception
    states = {r["Status"] for r in status.session_state["rows"]}
    assert "Niet geopend" in states and not states & {"not_opened", "open", "problem"}

    english = AppTest.from_function(_excel, args=("incidents", "en"), default_timeout=30).run()
    assert english.session_state["headers"][:2] == ["Incident number", "Election"]
    assert english.session_state["rows"][0]["Severity"] == "Medium"


# --- placeholders ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["office_incidents", "office_counts", "admin_audit"])
def test_select_boxes_have_a_dutch_placeholder(env, page):
    at = _page(_signed_in("office.haarlem"), page)
    boxes = [*at.multiselect, *at.selectbox]
    assert boxes
    for box in boxes:
        assert box.proto.placeholder and "Choose" not in box.proto.placeholder, box.label


def test_a_silent_alert_names_the_turnout_moment_not_reported():
    from app.domain.alerts import Alert, Level, Rule
    from app.ui.office import alert_text

    since = dt.datetime(2026, 3, 18, 13, 45)
    missed = Alert(
        Rule.SILENT, Level.WARNING, 1, 1, "S", since, {"moment": "13:45", "minutes": 45, "limit": 30}
    )
    quiet = Alert(Rule.SILENT, Level.WARNING, 1, 1, "S", since, {"minutes": 95, "limit": 90})
    assert alert_text(missed) == "Opkomst van 13:45 niet gemeld (45 min na het tijdstip)"
    assert alert_text(quiet) == "95 min geen melding"  # an election without turnout moments


def test_audit_log_says_when_it_shows_only_the_newest_rows(env, monkeypatch):
    monkeypatch.setattr(audit_view, "PAGE_ROWS", 2)
    at = _page(_signed_in("office.haarlem"), "admin_audit")  # signing in alone writes more than 2 rows
    assert len(at.dataframe[0].value) == 2
    captions = [c.value for c in at.caption]
    assert any(c.startswith("De nieuwste 2 regels; er zijn er meer.") for c in captions), captions


def test_audit_log_refuses_a_period_that_ends_before_it_begins(env):
    at = _page(_signed_in("office.haarlem"), "admin_audit")
    today = at.date_input(key="aud_until").value
    at.date_input(key="aud_since").set_value(today).run()
    at.date_input(key="aud_until").set_value(today - dt.timedelta(days=1)).run()
    assert not at.exception
    assert "De einddatum ligt voor de begindatum." in [e.value for e in at.error]


def test_the_incident_and_count_filters_keep_what_is_chosen_when_the_language_changes(env):
    """Streamlit matches a multiselect's values by their shown text: without widgets.choose_many a switch
    to English dropped "In behandeling" (shown "Acknowledged") from the incident filter."""
    at = _page(_signed_in("office.haarlem"), "office_incidents")
    assert at.multiselect(key="office_inc_status").value == ["open", "acknowledged"]
    at.multiselect(key="office_inc_severity").select("medium").run()
    at.radio(key="lang_choice").set_value("en").run()
    assert not at.exception, at.exception
    assert at.multiselect(key="office_inc_status").value == ["open", "acknowledged"]
    assert at.multiselect(key="office_inc_severity").value == ["medium"]
    at.radio(key="lang_choice").set_value("nl").run()  # (AppTest formats a choice in Dutch: chosen in
    assert at.multiselect(key="office_inc_status").value == ["open", "acknowledged"]  # Dutch only)
    at.multiselect(key="office_inc_status").unselect("open").run()
    at = _page(at, "office_counts")
    at.multiselect(key="office_counts_status").select("accepted").run()
    at.radio(key="lang_choice").set_value("en").run()
    assert at.multiselect(key="office_counts_status").value == ["submitted", "accepted"]
    at = _page(at, "office_incidents")
    assert at.multiselect(key="office_inc_status").value == ["acknowledged"]
