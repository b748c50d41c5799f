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
