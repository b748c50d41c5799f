"""AppTest: the analyst pages render real data (charts, maps, tables) and the console is safe."""

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
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


def _shown(element) -> pd.DataFrame:
    """The cells of a table as the grid shows them (the Styler's display values)."""
    return pa.ipc.open_stream(element.proto.arrow_data.styler.display_values).read_all().to_pandas()


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
    links = next(f for f in frames if "Gekoppeld op" in f.columns and "Postcode GR2022" in f.columns)
    assert set(links["Gekoppeld op"]) == {
        "postcode",
        "none",
    }  # the data; shown as "postcode", "niet gekoppeld"
    stations = next(f for f in frames if "Verschil toegelaten kiezers GR2022 → TK2025" in f.columns)
    assert len(stations) == 11
    assert not [c for c in stations.columns if "pkomst" in c]
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
    assert "Lokaal" in set(names["Partij (geharmoniseerd)"])


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
    stations = next(f for f in frames if "Verschil toegelaten kiezers GR2022 → GR2026" in f.columns)
    counted = stations[stations["Bron GR2026"] == "preliminary"].sort_values("Nr. GR2026")
    assert list(counted["Nr. GR2026"]) == [1, 2]
    assert list(counted["Toegelaten kiezers GR2026"]) == [318, 318]
    assert list(counted["Geldige stemmen GR2026"]) == [315, 315]
    assert counted["Toegelaten kiezers GR2022"].notna().all()  # linked to a GR2022 station, official count
    assert set(counted["Aandeel grootste partij GR2026 (%)"]) == {round(100 * 300 / 315, 2)}
    shown = _shown(next(d for d in at.dataframe if "Bron GR2026" in d.value.columns))
    assert set(shown["Bron GR2026"]) == {"voorlopig", ""}  # uncounted stations: an empty cell, not "None"
    assert f"{100 * 300 / 315:.2f}".replace(".", ",") in set(shown["Aandeel grootste partij GR2026 (%)"])
    assert len(at.get("plotly_chart")) >= 2 and len(at.get("deck_gl_json_chart")) >= 1


def _tables(at) -> list:
    return [d for d in at.dataframe if d.proto.arrow_data.styler.display_values]


def test_compare_tables_show_dutch_labels_with_the_elections_and_formatted_cells(analyst):
    """No machine column name (share_a, turnout_change, distance_m, ...) in any table, the elections in
    the labels, percentages with two decimals and a decimal comma, and no cell that reads "None"."""
    at = _open(analyst, "analysis_compare.py")  # GR2022 against TK2025: every table has rows
    tables = _tables(at)
    assert len(tables) >= 6  # shares, stations, largest party, station shares, links and their summary
    for element in tables:
        raw = [c for c in element.value.columns if re.fullmatch(r"[a-z0-9_]+", c)]
        assert not raw, raw  # e.g. "share_a", "municipality_code", "distance_m", "n"
        shown = _shown(element)
        assert not shown.isin(["None", "nan", "NaN", "<NA>"]).any().any()
    links = next(
        d for d in tables if "Gekoppeld op" in d.value.columns and "Postcode GR2022" in d.value.columns
    )
    assert set(_shown(links)["Gekoppeld op"]) == {"postcode", "niet gekoppeld"}
    assert "" in set(_shown(links)["Nr. TK2025"])  # an unlinked station: an empty cell, not "None"
    stations = next(d for d in tables if "Aandeel grootste partij TK2025 (%)" in d.value.columns)
    assert _shown(stations)["Aandeel grootste partij TK2025 (%)"].str.fullmatch(r"(\d+,\d{2})?").all()

    at.selectbox(key="cmp_a").set_value("TK2021").run()
    at.selectbox(key="cmp_b").set_value("TK2023").run()
    assert not at.exception
    tables = _tables(at)
    turnout = next(d for d in tables if "Opkomst TK2021 (%)" in d.value.columns)
    assert {"Opkomst TK2023 (%)", "Verschil opkomst TK2021 → TK2023 (procentpunt)"} <= set(
        turnout.value.columns
    )
    shown = _shown(turnout)
    assert shown["Opkomst TK2021 (%)"].str.fullmatch(r"(\d+,\d{2})?").all()
    assert shown["Verschil opkomst TK2021 → TK2023 (procentpunt)"].str.fullmatch(r"([+-]\d+,\d{2})?").all()
    assert shown["Kiesgerechtigden TK2021"].str.fullmatch(r"(\d{1,3}(\.\d{3})*)?").all()
    shares = next(
        d for d in tables if "Aandeel TK2023 (%)" in d.value.columns and "Lijstnaam" in d.value.columns
    )
    assert "Verschuiving TK2021 → TK2023 (procentpunt)" in shares.value.columns
    assert at.metric[0].label == "Opkomst TK2021 (%)" and "," in at.metric[0].value


def test_compare_tables_in_english(analyst):
    analyst.radio(key="lang_choice").set_value("en").run()
    at = _open(analyst, "analysis_compare.py")
    at.selectbox(key="cmp_a").set_value("TK2021").run()
    at.selectbox(key="cmp_b").set_value("TK2023").run()
    turnout = next(d for d in _tables(at) if "Turnout TK2021 (%)" in d.value.columns)
    assert "Change in turnout TK2021 → TK2023 (pp)" in turnout.value.columns
    assert _shown(turnout)["Turnout TK2021 (%)"].str.fullmatch(r"(\d+\.\d{2})?").all()


def test_table_downloads_keep_the_machine_column_names(monkeypatch):
    """What the grid shows is relabelled; the CSV, Excel CSV and Parquet keep the documented machine
    names, the same columns in the same order (app/exports/tables.py)."""
    from app.ui import analysis

    frame = pd.DataFrame(
        {"municipality_code": ["GM0668"], "share_a": [12.3456], "swing": [None], "method": ["none"]}
    )
    exported = []
    monkeypatch.setattr(analysis.exports, "to_csv", lambda f: exported.append(f) or b"")
    analysis.table(frame, "x", "dl_x", a="GR2022", b="TK2025")
    assert list(exported[0].columns) == ["municipality_code", "share_a", "swing", "method"]
    shown = analysis.display(frame, "GR2022", "TK2025")
    assert list(shown.data.columns) == [
        "Gemeentecode",
        "Aandeel GR2022 (%)",
        "Verschuiving GR2022 → TK2025 (procentpunt)",
        "Gekoppeld op",
    ]
    cells = shown._translate(False, False)["body"][0]
    assert [c["display_value"] for c in cells[1:]] == ["GM0668", "12,35", "", "niet gekoppeld"]


def test_turnout_table_of_a_municipal_analyst_holds_no_other_municipalitys_database_figures(analyst):
    """Scope: West Maas en Waal's analyst sees every municipality's *published* history (the shipped
    Kiesraad files, public data, also the national map), but tonight's figures only of their own
    municipality: Haarlem's counted station is in a global workspace, not in this analyst's table."""
    from app.analysis import compare
    from app.storage.db import session_scope
    from app.ui import analysis
    from tests import chair_day as day

    with session_scope() as db:
        for code in ("GM0668", "GM0392"):
            actor, sid = day.sign_in(db, code, 1)
            day.open_station(db, actor, sid)
            day.close_station(db, actor, sid)
            day.submit_count(db, actor, sid, [10, 300, 5], blank=3)
    analysis.forget_workspaces()
    every = compare.municipality_turnout(analysis._workspace("*"), "GR2022", "GR2026")
    assert every.loc[every.municipality_code == "GM0392", "votes_cast_b"].notna().all()  # it is there

    at = _open(analyst, "analysis_compare.py")
    at.selectbox(key="cmp_a").set_value("GR2022").run()
    at.selectbox(key="cmp_b").set_value("GR2026").run()
    assert not at.exception
    turnout = next(d.value for d in _tables(at) if "Opgekomen GR2026" in d.value.columns)
    with_b = set(turnout.loc[turnout["Opgekomen GR2026"].notna(), "Gemeentecode"])
    assert "GM0668" in with_b and "GM0392" not in with_b
    assert with_b <= {"GM0668", "GM0855"}  # GM0855: Tilburg's published GR2026 result, a shipped file
    assert turnout.loc[turnout["Gemeentecode"] == "GM0392", "Opgekomen GR2022"].notna().all()  # public


def test_tables_show_a_dash_for_missing_values_not_none(analyst):
    at = _open(analyst, "analysis_compare.py")
    frames = list(at.dataframe)
    assert frames and any(f.value.isna().any().any() for f in frames)  # there are missing values to show
    assert {f.proto.placeholder for f in frames} == {"–"}
