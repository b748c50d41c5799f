"""The analysis reads PostgreSQL under row-level security: a municipal analyst's tables hold nothing of
another municipality, not even the id or name of its practice election; a global scope sees it all.
Real PostgreSQL (the demo database: Haarlem, Nijmegen, West Maas en Waal)."""

from __future__ import annotations

import adbc_driver_postgresql.dbapi as adbc
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from sqlalchemy import func, select

from app.analysis import sources
from app.domain.access import SYSTEM
from app.services import analysis, auth, practice
from app.storage.db import to_libpq_uri
from app.storage.models import PollingStation
from etl.demo import DEMO_PASSWORD

HAARLEM, NIJMEGEN, WMW = "GM0392", "GM0268", "GM0668"


@pytest.fixture
def nijmegen_practice(demo_db) -> str:
    """Nijmegen's practice election: an election of one municipality only."""
    return practice.start_practice(demo_db, SYSTEM, NIJMEGEN, issue_codes=False).election_id


def _codes(tables: dict[str, pa.Table]) -> set[str]:
    return {
        code
        for table in tables.values()
        if "municipality_code" in table.column_names
        for code in table.column("municipality_code").to_pylist()
    }


def _election_ids(tables: dict[str, pa.Table]) -> set[str]:
    return {
        eid
        for table in tables.values()
        if "election_id" in table.column_names
        for eid in table.column("election_id").to_pylist()
    }


def _texts(tables: dict[str, pa.Table]) -> str:
    return " ".join(
        str(v)
        for table in tables.values()
        for name in table.column_names
        if pa.types.is_string(table.schema.field(name).type)
        for v in table.column(name).to_pylist()
    )


def test_a_municipal_analyst_sees_nothing_of_another_municipality(demo_db, demo_db_url, nijmegen_practice):
    analyst = auth.sign_in_staff(demo_db, "analyst.haarlem", DEMO_PASSWORD)
    codes = list(analysis.analysis_scope(demo_db, analyst).municipality_codes)
    assert codes == [HAARLEM]
    uri = to_libpq_uri(demo_db_url)
    tables = sources.database_tables(uri, codes, sources.database_overrides(uri, codes))
    assert _codes(tables) == {HAARLEM}
    assert nijmegen_practice not in _election_ids(tables)
    assert nijmegen_practice not in _texts(tables) and "Oefenverkiezing" not in _texts(tables)
    assert set(tables["election"].column("election_id").to_pylist()) == {"GR2022", "GR2026"}
    assert tables["station"].num_rows > 0  # Haarlem's own stations are all there


def test_a_global_scope_still_sees_every_municipality_and_election(demo_db, demo_db_url, nijmegen_practice):
    tables = sources.database_tables(to_libpq_uri(demo_db_url), None)
    assert _codes(tables) == {HAARLEM, NIJMEGEN, WMW}
    assert set(tables["election"].column("election_id").to_pylist()) == {
        "GR2022",
        "GR2026",
        nijmegen_practice,
    }
    registered = demo_db.scalar(select(func.count()).select_from(PollingStation))
    imported_only = tables["station"].filter(pc.equal(tables["station"].column("election_id"), "GR2022"))
    assert tables["station"].num_rows - imported_only.num_rows == registered


def test_several_municipalities_are_read_one_at_a_time_under_the_policy(demo_db_url, nijmegen_practice):
    tables = sources.database_tables(to_libpq_uri(demo_db_url), [HAARLEM, WMW])
    assert _codes(tables) == {HAARLEM, WMW}
    ids = tables["election"].column("election_id").to_pylist()
    assert sorted(ids) == ["GR2022", "GR2026"]  # each election once, Nijmegen's practice not at all


def test_a_query_that_forgets_its_where_is_still_held_by_row_level_security(
    demo_db_url, nijmegen_practice, monkeypatch
):
    # as if every hand-written WHERE of the readers had been forgotten
    monkeypatch.setattr(sources, "_in_list", lambda codes: "TRUE")
    uri = to_libpq_uri(demo_db_url)
    tables = sources.database_tables(uri, [HAARLEM])
    # the municipality table is not a tenant table (codes and names are public): its WHERE is the guard
    tenant = {name: table for name, table in tables.items() if name != "municipality"}
    assert _codes(tenant) == {HAARLEM}
    assert tables["station_result"].num_rows > 0  # the imported GR2022 counts of Haarlem
    assert nijmegen_practice not in _election_ids(tables)
    assert {code for code, _ in sources.database_overrides(uri, [HAARLEM])} <= {HAARLEM}


def test_the_binding_is_transaction_local_and_bound_again_after_a_failed_read(demo_db_url, monkeypatch):
    """The role and the municipality hold for the transaction only (behind PgBouncer a pooled server
    connection must not keep them for the next client). A reader that fails rolls the transaction back;
    ``database_tables`` binds again, so the reads after it stay under the policy."""
    uri = sources.read_only_uri(to_libpq_uri(demo_db_url))
    with adbc.connect(uri) as conn, conn.cursor() as cur:
        sources._bind_scope(cur, [WMW])
        cur.execute("SELECT DISTINCT municipality_code FROM polling_station")  # no WHERE on purpose
        assert cur.fetch_arrow_table().column(0).to_pylist() == [WMW]
        conn.rollback()
        cur.execute("SELECT current_user AS who, current_setting('stemdag.municipality', true) AS m")
        after = cur.fetch_arrow_table().to_pylist()[0]
        assert after["who"] != "stemdag_app" and not after["m"]

    def failing(cur, where, overrides):
        cur.execute("SELECT * FROM no_such_table_of_another_area")

    seen = {}

    def preliminary(cur, where, overrides):  # after the failure: still bound, as the policy shows
        cur.execute("SELECT DISTINCT municipality_code FROM polling_station")
        seen["codes"] = cur.fetch_arrow_table().column(0).to_pylist()
        return {}

    monkeypatch.setattr(sources, "_official_results", failing)
    monkeypatch.setattr(sources, "_preliminary_results", preliminary)
    sources.database_tables(to_libpq_uri(demo_db_url), [WMW])
    assert seen["codes"] == [WMW]


def test_tonight_and_the_default_comparison_are_never_a_practice_election(demo_db_url, nijmegen_practice):
    """Nijmegen's practice election is held today with stations, like the demo's GR2026 (so by date alone
    either could be "tonight"): tonight is the real election, and the compare page starts from real ones."""
    from app.analysis.workspace import Workspace

    uri = to_libpq_uri(demo_db_url)
    tables = sources.combine(sources.history_tables(), sources.database_tables(uri, [NIJMEGEN]))
    ws = Workspace.build(tables)
    try:
        practice_rows = ws.query("SELECT election_id FROM election WHERE is_practice").to_pylist()
        assert [r["election_id"] for r in practice_rows] == [nijmegen_practice]
        assert ws.current_election(NIJMEGEN) == "GR2026"
        assert nijmegen_practice not in ws.default_pair(NIJMEGEN)
    finally:
        ws.close()
