"""The SQL console's results reach the grid and the three downloads: repeated column names get a
suffix, types the grid, CSV or Parquet cannot show become text, anything still failing is a message;
and the refusals name what was given (an empty query, ``INSTALL``, an invalid character).

Over the real analysis tables (the files in data/, as tests/analysis/conftest.py builds them)."""

import csv
import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from app.analysis import console, sources
from app.exports import cells
from app.ui.texts import CATALOGUE, t


@pytest.fixture(scope="module")
def file_tables():
    return sources.combine(sources.history_tables(), sources.file_station_tables())


def _shown(result: console.ConsoleResult) -> console.ConsoleResult:
    """The result with its downloads, checked as the page uses it: a frame with unique column names
    and three downloads that read back with the same columns."""
    assert result.ok, (result.error_key, result.detail)
    done = console.with_downloads(result)
    assert done.ok and done.downloads is not None and done.frame is not None, (done.error_key, done.detail)
    columns = list(done.frame.columns)
    assert len(set(columns)) == len(columns) == done.table.num_columns
    assert columns == done.table.column_names
    assert next(csv.reader(io.StringIO(done.downloads.csv.decode("utf-8")))) == columns
    assert next(csv.reader(io.StringIO(done.downloads.csv_excel_nl.decode("utf-8-sig")), delimiter=";")) == (
        columns
    )
    assert pq.read_table(io.BytesIO(done.downloads.parquet)).column_names == columns
    return done


def _csv_rows(result: console.ConsoleResult) -> list[list[str]]:
    assert result.downloads is not None
    return list(csv.reader(io.StringIO(result.downloads.csv.decode("utf-8"))))[1:]


# --- repeated column names -------------------------------------------------------------------------------


def test_repeated_column_names_get_a_suffix_and_are_listed(file_tables):
    result = _shown(console.run_query(file_tables, "SELECT count(*), count(*) FROM station_result"))
    assert result.table.column_names == ["count_star()", "count_star()_2"]
    assert result.renamed == (("count_star()", "count_star()_2"),)
    n = result.frame.iloc[0, 0]
    assert n > 0 and result.frame.iloc[0, 1] == n


def test_a_self_join_selecting_a_column_twice_is_shown(file_tables):
    sql = (
        "SELECT a.municipality_code, b.municipality_code, a.station_number, b.station_number "
        "FROM station_result a JOIN station_result b USING (election_id, municipality_code, station_number) "
        "ORDER BY 3 LIMIT 5"
    )
    result = _shown(console.run_query(file_tables, sql))
    assert result.table.column_names == [
        "municipality_code",
        "municipality_code_2",
        "station_number",
        "station_number_2",
    ]
    assert result.table.num_rows == 5
    assert result.frame["municipality_code"].tolist() == result.frame["municipality_code_2"].tolist()


def test_a_new_name_never_takes_a_name_the_query_gave():
    result = _shown(console.run_query({}, "SELECT 1 AS a, 2 AS a, 3 AS a_2, 4 AS a"))
    assert result.table.column_names == ["a", "a_3", "a_2", "a_4"]
    assert result.renamed == (("a", "a_3"), ("a", "a_4"))
    assert result.frame.iloc[0].tolist() == [1, 2, 3, 4]


def test_unique_names_change_nothing_and_no_caption(file_tables):
    result = _shown(console.run_query(file_tables, "SELECT election_id, kind, election_date FROM election"))
    assert result.renamed == () and result.as_text == ()
    assert result.table.schema.field("election_date").type == pa.date32()  # kept as a date


# --- types the grid, CSV or Parquet cannot show become text ----------------------------------------------

AS_TEXT = [
    # (SQL, the text shown and downloaded, the type named in the caption)
    ("SELECT '\\xAA\\xFF'::BLOB AS v", "AAFF", "BLOB"),
    ("SELECT '101'::BIT AS v", "101", "BIT"),
    (
        "SELECT 123456789012345678901234567890123456789012::VARINT AS v",
        "123456789012345678901234567890123456789012",
        "BIGNUM",
    ),
    ("SELECT union_value(n := 1) AS v", "1", "UNION(n INTEGER)"),
    ("SELECT INTERVAL 3 DAY AS v", "3 days", "INTERVAL"),
    ("SELECT MAP {'k': 1} AS v", '{"k":1}', "MAP(VARCHAR, INTEGER)"),
    ("SELECT '-infinity'::DATE AS v", "-infinity", "DATE"),
    ("SELECT 'infinity'::DATE AS v", "infinity", "DATE"),
    ("SELECT DATE '10000-01-01' AS v", "10000-01-01", "DATE"),
    ("SELECT 'infinity'::TIMESTAMP AS v", "infinity", "TIMESTAMP"),
    ("SELECT '-infinity'::TIMESTAMP_MS AS v", "-infinity", "TIMESTAMP_MS"),
    ("SELECT 'infinity'::TIMESTAMP_NS AS v", "infinity", "TIMESTAMP_NS"),
    ("SELECT '-infinity'::TIMESTAMPTZ AS v", "-infinity", "TIMESTAMP WITH TIME ZONE"),
    ("SELECT '12:00:00+01'::TIMETZ AS v", "12:00:00+01", "TIME WITH TIME ZONE"),
    ("SELECT '12:00:00.123456789'::TIME_NS AS v", "12:00:00.123456789", "TIME_NS"),
    # the largest UHUGEINT came through Arrow's decimal128 as -1
    (
        "SELECT 340282366920938463463374607431768211455::UHUGEINT AS v",
        "340282366920938463463374607431768211455",
        "UHUGEINT",
    ),
    ("SELECT [1, 2] AS v", "[1,2]", "INTEGER[]"),
    ("SELECT [1, 2]::INTEGER[2] AS v", "[1,2]", "INTEGER[2]"),
    ("SELECT [[1, 2], [3]] AS v", "[[1,2],[3]]", "INTEGER[][]"),
    ("SELECT {'a': 1, 'b': 'x'} AS v", '{"a":1,"b":"x"}', "STRUCT(a INTEGER, b VARCHAR)"),
    ("SELECT ['\\xAA'::BLOB] AS v", '["\\\\xAA"]', "BLOB[]"),
    ("SELECT ['-infinity'::DATE, DATE '2024-10-29'] AS v", '["-infinity","2024-10-29"]', "DATE[]"),
    (
        "SELECT {'i': INTERVAL 1 DAY, 'u': [union_value(n := 2)]} AS v",
        '{"i":"1 day","u":[{"n":2}]}',
        "STRUCT(i INTERVAL, u UNION(n INTEGER)[])",
    ),
]


@pytest.mark.parametrize(("sql", "text", "kind"), AS_TEXT, ids=[kind for _s, _t, kind in AS_TEXT])
def test_a_type_the_grid_or_a_download_cannot_show_is_text(sql, text, kind):
    result = _shown(console.run_query({}, sql))
    assert result.table.schema.field("v").type == pa.string()
    assert result.frame["v"].tolist() == [text]
    assert result.as_text == (("v", kind),)
    assert _csv_rows(result) == [[cells.inert(text)]]  # '-infinity: a spreadsheet reads no formula
    assert pq.read_table(io.BytesIO(result.downloads.parquet)).column("v").to_pylist() == [text]


def test_an_infinite_date_makes_its_column_text_with_the_other_dates_as_dates_are_written():
    sql = "SELECT * FROM (VALUES (DATE '2024-10-29'), ('-infinity'::DATE), (NULL)) t(d)"
    result = _shown(console.run_query({}, sql))
    assert result.frame["d"].tolist()[:2] == ["2024-10-29", "-infinity"]
    assert result.frame["d"].isna().tolist() == [False, False, True]
    assert result.as_text == (("d", "DATE"),)


def test_types_the_grid_and_downloads_show_keep_their_type():
    sql = (
        "SELECT true AS b, 1::TINYINT AS i1, 2::UBIGINT AS u8, "
        "170141183460469231731687303715884105727::HUGEINT AS h, "
        "1.5::DOUBLE AS f, 12.34::DECIMAL(10, 2) AS d, 'tekst' AS s, '{\"a\": 1}'::JSON AS j, "
        "'5a3b1c2d-0000-4000-8000-000000000001'::UUID AS id, 'a'::ENUM('a', 'b') AS e, NULL AS n, "
        "DATE '2024-10-29' AS day, TIME '21:00:00' AS tm, TIMESTAMP '2024-10-29 21:00:00' AS ts, "
        "TIMESTAMPTZ '2024-10-29 21:00:00+00' AS tz, 'nan'::DOUBLE AS nan"
    )
    result = _shown(console.run_query({}, sql))
    assert result.as_text == () and result.renamed == ()
    types = dict(zip(result.table.column_names, result.table.schema.types, strict=True))
    assert (
        types["day"] == pa.date32() and pa.types.is_timestamp(types["ts"]) and pa.types.is_time(types["tm"])
    )
    assert pa.types.is_decimal(types["h"]) and pa.types.is_integer(types["u8"])
    assert str(result.frame["h"].iloc[0]) == "170141183460469231731687303715884105727"  # exact
    row = _csv_rows(result)[0]
    assert row[result.table.column_names.index("day")] == "2024-10-29"
    parquet = pq.read_table(io.BytesIO(result.downloads.parquet))
    assert parquet.schema.field("day").type == pa.date32()


def test_nested_values_of_the_real_tables_show_as_json(file_tables):
    sql = (
        "SELECT election_id, list(DISTINCT party_key ORDER BY party_key) AS parties, "
        "{'n': count(*), 'votes': sum(votes)} AS totals "
        "FROM station_party_votes GROUP BY election_id ORDER BY election_id"
    )
    result = _shown(console.run_query(file_tables, sql))
    assert result.frame["election_id"].tolist() == ["GR2022", "TK2025"]
    parties = result.frame["parties"].iloc[0]
    assert parties.startswith('["') and parties.endswith('"]') and "array(" not in parties
    assert result.frame["totals"].iloc[0].startswith('{"n":')
    assert [c for c, _k in result.as_text] == ["parties", "totals"]


def test_the_type_casts_keep_the_limits_and_the_boundary(file_tables):
    # rows and bytes are counted after the cast (a BLOB's hexadecimal text is twice its bytes)
    rows = console.run_query({}, "SELECT '\\xAA'::BLOB AS b FROM range(1000)", row_limit=100)
    assert rows.ok and rows.truncated_key == "analysis.sql.truncated" and rows.table.num_rows == 100
    big = console.run_query(
        {}, "SELECT repeat('\\xAA', 100000)::BLOB AS b FROM range(1000)", byte_budget=2 * 1024 * 1024
    )
    assert big.ok and big.truncated_key == "analysis.sql.truncated_bytes"
    assert 0 < big.table.num_rows < 1000 and big.table.nbytes <= 2 * 1024 * 1024
    slow = console.run_query(
        {}, "SELECT INTERVAL 1 DAY AS i, count(*) FROM range(100000000) a, range(100000000) b", time_limit_s=1
    )
    assert slow.error_key == "analysis.sql.timeout"
    files = console.run_query(file_tables, "SELECT '\\xAA'::BLOB AS b, * FROM read_csv('/etc/passwd')")
    assert files.error_key == "analysis.sql.not_permitted" and "root:" not in files.detail


# --- anything still failing is a message -----------------------------------------------------------------


def test_a_conversion_that_still_fails_is_a_message(monkeypatch):
    def fails(table, kinds):
        raise pa.ArrowNotImplementedError("No known equivalent Pandas block for Arrow data of type x")

    monkeypatch.setattr(console, "_presentable", fails)
    result = console.run_query({}, "SELECT 1 AS a")
    assert result.error_key == "analysis.sql.unsupported_type" and result.table is None
    assert "ArrowNotImplementedError" in result.detail
    message = t(result.error_key, "nl", detail=result.detail)
    assert message.startswith("Het resultaat bevat een waarde die de console niet kan tonen of downloaden")


def test_a_download_that_fails_is_a_message(monkeypatch):
    result = console.run_query({}, "SELECT 1 AS a")

    def fails(table):
        raise pa.ArrowNotImplementedError("Unhandled type for Arrow to Parquet schema conversion")

    monkeypatch.setattr(console.exports, "to_parquet", fails)
    done = console.with_downloads(result)
    assert done.error_key == "analysis.sql.unsupported_type" and done.downloads is None
    assert "Parquet" in done.detail


def test_with_downloads_passes_an_error_on():
    refused = console.run_query({}, "DELETE FROM station")
    assert console.with_downloads(refused) is refused


# --- refusals that name what was given -------------------------------------------------------------------


@pytest.mark.parametrize("sql", ["-- only a comment", "/* nothing */", "-- a comment\n;", "  /* a */ -- b\n"])
def test_a_query_of_only_comments_is_empty(sql):
    result = console.run_query({}, sql)
    assert result.error_key == "analysis.sql.only_comments" and result.table is None
    assert "De query is leeg" in t(result.error_key, "nl") and "empty" in t(result.error_key, "en")


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("INSTALL httpfs", "INSTALL"),
        ("FORCE INSTALL httpfs", "FORCE INSTALL"),
        ("-- first\n/* then */ install httpfs", "INSTALL"),
        ("LOAD httpfs", "LOAD"),
        ("UPDATE EXTENSIONS", "UPDATE"),  # a kind the Python client cannot name (was a ValueError)
        ("USE memory", "USE"),
        ("CHECKPOINT", "CHECKPOINT"),
        ("WITH x AS (SELECT 1) DELETE FROM station", "DELETE"),
        ("CREATE TABLE x (a INTEGER)", "CREATE"),
    ],
)
def test_a_refused_statement_is_named_as_given(sql, named):
    result = console.run_query({}, sql)
    assert result.error_key == "analysis.sql.read_only" and result.detail == named
    assert f"{named} wordt geweigerd" in t(result.error_key, "nl", detail=result.detail)


def test_a_lone_surrogate_is_refused_with_a_message():
    result = console.run_query({}, "SELECT '\ud800' AS s")
    assert result.error_key == "analysis.sql.bad_character" and result.table is None
    assert result.detail == "9 (U+D800)"
    assert "ongeldig teken op positie 9 (U+D800)" in t(result.error_key, "nl", detail=result.detail)


def test_the_new_messages_have_dutch_and_english():
    for key in (
        "analysis.sql.only_comments",
        "analysis.sql.bad_character",
        "analysis.sql.unsupported_type",
        "analysis.sql.renamed",
        "analysis.sql.as_text",
    ):
        nl, en = CATALOGUE[key]
        assert nl and en and nl != en, key
