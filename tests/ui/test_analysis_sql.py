"""AppTest: the SQL console page shows a message, never Streamlit's "This app has encountered an error",
for results the grid or a download could not show (repeated column names, BLOB, BIT, BIGNUM, UNION,
INTERVAL, MAP, infinite dates, nested values), over the real data of the demo (analyst.wmw)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl.demo import DEMO_PASSWORD

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture
def console(demo_db_url, app_env):
    """The SQL console page, signed in as the analyst of West Maas en Waal."""
    app_env(demo_db_url)
    from app.ui import analysis

    analysis.forget_workspaces()
    at = AppTest.from_file(MAIN, default_timeout=60)
    at.run()
    at.text_input(key="staff_username").input("analyst.wmw")
    at.text_input(key="staff_password").input(DEMO_PASSWORD)
    at.button[1].click().run()
    assert not at.exception
    at.switch_page("../pages/analysis_sql.py").run()
    assert not at.exception, at.exception
    return at


def _run(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="sql_text").input(sql)
    at.button[0].click().run()
    assert not at.exception, (sql, at.exception)
    return at


def _captions(at: AppTest) -> str:
    """The captions as read (Markdown escapes removed: names show as typed)."""
    return "\n".join(c.value for c in at.caption).replace("\\", "")


# (query, the column names shown, the first row as shown in the grid's data, a caption part)
SHOWN = [
    (
        "SELECT count(*), count(*) FROM station_result",
        ["count_star()", "count_star()_2"],
        None,
        "Kolomnamen die dubbel voorkwamen, zijn hernoemd: count_star() → count_star()_2.",
    ),
    (
        "SELECT a.station_number, b.station_number FROM station_result a "
        "JOIN station b USING (election_id, municipality_code, station_number) ORDER BY 1 LIMIT 3",
        ["station_number", "station_number_2"],
        None,
        "hernoemd",
    ),
    (
        "SELECT '\\xAA'::BLOB AS b",
        ["b"],
        ["AA"],
        "Als tekst getoond, zoals DuckDB ze schrijft (lijsten en structs als JSON, een BLOB hexadecimaal), "
        "omdat de tabel en de downloads hun type of waarden niet kunnen weergeven: b (BLOB).",
    ),
    ("SELECT '101'::BIT AS b", ["b"], ["101"], "b (BIT)"),
    ("SELECT 12345678901234567890123::VARINT AS v", ["v"], ["12345678901234567890123"], "v (BIGNUM)"),
    ("SELECT union_value(n := 1) AS u", ["u"], ["1"], "u (UNION(n INTEGER))"),
    ("SELECT INTERVAL 3 DAY AS i", ["i"], ["3 days"], "i (INTERVAL)"),
    ("SELECT MAP {'k': 1} AS m", ["m"], ['{"k":1}'], "m (MAP(VARCHAR, INTEGER))"),
    ("SELECT '-infinity'::DATE AS d", ["d"], ["-infinity"], "d (DATE)"),
    (
        "SELECT election_id, list(DISTINCT party_key ORDER BY party_key)[1:2] AS parties "
        "FROM station_party_votes GROUP BY ALL ORDER BY 1 LIMIT 1",
        ["election_id", "parties"],
        None,
        "parties (VARCHAR[])",
    ),
]


def test_results_the_grid_could_not_show_are_shown_with_a_caption(console):
    for sql, columns, first_row, caption in SHOWN:
        at = _run(console, sql)
        assert not at.error, (sql, [e.value for e in at.error])
        frame = at.dataframe[0].value
        assert list(frame.columns) == columns, sql
        assert len(frame) > 0, sql
        if first_row is not None:
            assert frame.iloc[0].tolist() == first_row, sql
        assert caption in _captions(at), (sql, _captions(at))
        assert len(at.get("download_button")) == 3, sql


def test_columns_whose_labels_would_repeat_keep_their_names(console):
    # votes and votes_a are both "Stemmen" where no election fills in the label: a repeated label
    # crashed the grid like a repeated name
    at = _run(
        console,
        "SELECT party_key, votes, votes AS votes_a, votes AS votes_b FROM station_party_votes LIMIT 3",
    )
    assert not at.error
    assert list(at.dataframe[0].value.columns) == ["party_key", "votes", "votes_a", "votes_b"]
    # one label each: the catalogue's labels as before
    at = _run(console, "SELECT party_key, votes FROM station_party_votes LIMIT 3")
    assert list(at.dataframe[0].value.columns) == ["Partij (geharmoniseerd)", "Stemmen"]


def test_empty_and_refused_queries_say_what_was_given(console):
    at = _run(console, "-- only a comment")
    assert "De query is leeg: er staat alleen commentaar in" in at.error[0].value
    at = _run(console, "INSTALL httpfs")
    assert "INSTALL wordt geweigerd" in at.error[0].value and "LOAD" not in at.error[0].value
