"""AppTest: the analyst pages render real data (charts, maps, tables) and the console is safe."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl.demo import DEMO_PASSWORD

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture
def analyst(demo_db_url, app_env):
    app_env(demo_db_url)
    from app.ui import analysis

    analysis.forget_workspaces()
    at = AppTest.from_file(MAIN, default_timeout=60)
    at.run()
    at.text_input(key="staff_username").input("analyst.wmw")
    at.text_input(key="staff_password").input(DEMO_PASSWORD)
    at.button[1].click().run()
    assert not at.exception
    return at


def _open(at, page):
    at.switch_page(f"../pages/{page}").run()
    assert not at.exception, at.exception
    return at


def test_compare_page_renders_charts_maps_and_links(analyst):
    at = _open(analyst, "analysis_compare.py")
    assert at.title[0].value == "Verkiezingen vergelijken"
    # West Maas en Waal: GR2022 against TK2025, both real station-level files.
    assert at.selectbox(key="cmp_a").value == "GR2022"
    assert at.selectbox(key="cmp_b").value == "TK2025"
    assert len(at.get("plotly_chart")) >= 3  # shares, movers, station movers
    assert len(at.get("deck_gl_json_chart")) >= 1  # station map (TK2025 has no electorate: no choropleth)
    frames = [df.value for df in at.dataframe]
    links = next(f for f in frames if "method" in f.columns and "postcode_a" in f.columns)
    assert set(links["method"]) == {"postcode", "none"}
    stations = next(f for f in frames if "admitted_change" in f.columns)
    assert len(stations) == 11
    assert not [c for c in stations.columns if "turnout" in c]
    assert len(at.get("download_button")) >= 3


def test_compare_page_turnout_for_two_history_elections(analyst):
    at = _open(analyst, "analysis_compare.py")
    at.selectbox(key="cmp_a").set_value("TK2021").run()
    at.selectbox(key="cmp_b").set_value("TK2023").run()
    assert not at.exception
    assert len(at.metric) == 3 and at.metric[2].value.startswith(("+", "-"))
    assert len(at.get("deck_gl_json_chart")) >= 1


def test_sql_console_page_runs_a_query_and_refuses_writes(analyst):
    at = _open(analyst, "analysis_sql.py")
    at.text_area(key="sql_text").input("SELECT count(*) AS n FROM station_result")
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert at.dataframe[0].value.iloc[0, 0] > 0
    at.text_area(key="sql_text").input("COPY station TO '/tmp/stemdag_x.csv'")
    at.button[0].click().run()
    assert "Alleen lezen" in at.error[0].value
    at.text_area(key="sql_text").input("SELECT * FROM read_csv('/etc/passwd')")
    at.button[0].click().run()
    assert "Geen toegang" in at.error[0].value


def test_parties_page_saves_an_audited_rule_that_changes_the_comparison(analyst):
    at = _open(analyst, "analysis_parties.py")
    at.text_input(key="harmonise_name").input("F.D. Wamel")
    at.text_input(key="harmonise_key").input("Lokaal")
    at.button[0].click().run()
    assert not at.exception and "F.D. Wamel" in at.success[0].value
    names = at.dataframe[-1].value
    assert "Lokaal" in set(names["party_key"])


def test_tonight_page_without_counts_says_so(analyst):
    at = _open(analyst, "analysis_tonight.py")
    assert at.title[0].value == "Vanavond tegenover vorige keer"
    assert any("tellingen" in i.value or "geteld" in i.value for i in at.info) or at.metric


def test_tonight_page_shows_counted_stations_against_gr2022(analyst):
    """Three West Maas en Waal stations count through the chair's services; one is returned for a
    recount. The page compares the two counted ones with the imported GR2022 result."""
    from app.services import auth, counts
    from app.storage.db import session_scope
    from app.ui import analysis
    from tests import chair_day as day

    with session_scope() as db:
        office = auth.sign_in_staff(db, "office.wmw", DEMO_PASSWORD)
        ids = {}
        for number in (1, 2, 3):
            actor, sid = day.sign_in(db, "GM0668", number)
            day.open_station(db, actor, sid)
            day.close_station(db, actor, sid)
            ids[number] = day.submit_count(db, actor, sid, [10, 300, 5], blank=3)
        counts.return_count(db, office, ids[3], "Opnieuw tellen")
    analysis.forget_workspaces()
    at = _open(analyst, "analysis_tonight.py")
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="tonight_previous").value == "GR2022"
    assert at.metric[0].value.startswith("2 / 21")
    frames = [df.value for df in at.dataframe]
    stations = next(f for f in frames if "admitted_change" in f.columns)
    counted = stations[stations["source_b"] == "preliminary"].sort_values("number_b")
    assert list(counted["number_b"]) == [1, 2]
    assert list(counted["admitted_b"]) == [318, 318] and list(counted["valid_b"]) == [315, 315]
    assert counted["admitted_a"].notna().all()  # linked to a GR2022 station with its official count
    assert set(counted["largest_share_b"]) == {round(100 * 300 / 315, 2)}
    assert len(at.get("plotly_chart")) >= 2 and len(at.get("deck_gl_json_chart")) >= 1
