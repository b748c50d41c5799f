"""The analysis reads tonight's preliminary counts and the imported official results from PostgreSQL
(ADBC, read-only, bound to the analyst's municipality), checked against hand-computed numbers of counts
made through the chair's services and against the shipped official files."""

from __future__ import annotations

import pyarrow.compute as pc

from app.analysis import sources
from app.services import auth, counts
from app.storage.db import to_libpq_uri
from etl.demo import DEMO_ELECTION_ID as GR
from etl.demo import DEMO_PASSWORD
from tests import chair_day as day


def _rows(table, election_id, code):
    mask = pc.and_(
        pc.equal(table.column("election_id"), election_id), pc.equal(table.column("municipality_code"), code)
    )
    return table.filter(mask).to_pylist()


def test_preliminary_counts_are_each_stations_latest_submitted_or_accepted_version(demo_db, demo_db_url):
    db = demo_db
    s1, sid1 = day.sign_in(db, "GM0392", 1)
    s2, sid2 = day.sign_in(db, "GM0392", 2)
    s3, sid3 = day.sign_in(db, "GM0392", 3)
    n1, nid1 = day.sign_in(db, "GM0268", 1)
    for actor, sid in ((s1, sid1), (s2, sid2), (s3, sid3), (n1, nid1)):
        day.open_station(db, actor, sid)
        day.close_station(db, actor, sid)
    office = auth.sign_in_staff(db, "office.haarlem", DEMO_PASSWORD)
    v1 = day.submit_count(db, s1, sid1, [60, 39], blank=1)
    counts.return_count(db, office, v1, "Opnieuw tellen")
    counts.accept_count(db, office, day.submit_count(db, s1, sid1, [55, 44], blank=1))
    day.submit_count(db, s2, sid2, [120, 78], blank=2)
    counts.return_count(db, office, day.submit_count(db, s3, sid3, [30, 19], blank=1), "Opnieuw tellen")
    day.submit_count(db, n1, nid1, [500])

    tables = sources.database_tables(to_libpq_uri(demo_db_url), ["GM0392"])
    results = sorted(_rows(tables["station_result"], GR, "GM0392"), key=lambda r: r["station_number"])
    assert [
        (r["station_number"], r["admitted_voters"], r["valid_votes"], r["blank_votes"], r["source"])
        for r in results
    ] == [(1, 100, 99, 1, "preliminary"), (2, 200, 198, 2, "preliminary")]
    votes = _rows(tables["station_party_votes"], GR, "GM0392")
    by_station_list = {(v["station_number"], v["list_number"]): v["votes"] for v in votes}
    assert by_station_list[(1, 1)] == 55 and by_station_list[(1, 2)] == 44
    assert by_station_list[(2, 1)] == 120 and by_station_list[(2, 2)] == 78
    assert sum(v["votes"] for v in votes) == 99 + 198
    assert all(v["party"] and v["party_key"] for v in votes)
    assert set(tables["station_result"].column("municipality_code").to_pylist()) == {"GM0392"}


def test_official_results_are_the_imported_gr2022_counts(demo_db_url):
    tables = sources.database_tables(to_libpq_uri(demo_db_url), ["GM0668"])
    files = sources.file_station_tables()
    for name in ("station_result", "station_party_votes"):
        got = _rows(tables[name], "GR2022", "GM0668")
        want = _rows(files[name], "GR2022", "GM0668")
        assert got and len(got) == len(want)
        assert sum(r["votes" if name == "station_party_votes" else "valid_votes"] for r in got) == sum(
            r["votes" if name == "station_party_votes" else "valid_votes"] for r in want
        )
        assert {r["source"] for r in got} == {"official"}
    stations = _rows(tables["station"], "GR2022", "GM0668")
    assert len(stations) == 21 and all(s["name"] for s in stations)
    # combined with the shipped files, the imported stations keep the files' coordinates
    combined = sources.combine(sources.history_tables(), files, tables)
    located = [s for s in _rows(combined["station"], "GR2022", "GM0668") if s["latitude"] is not None]
    assert len(located) == len([s for s in _rows(files["station"], "GR2022", "GM0668") if s["latitude"]])


def test_the_adbc_session_is_bound_to_the_municipality_by_row_level_security(demo_db_url):
    import adbc_driver_postgresql.dbapi as adbc

    uri = sources.read_only_uri(to_libpq_uri(demo_db_url))
    with adbc.connect(uri) as conn, conn.cursor() as cur:
        sources._bind_scope(cur, ["GM0668"])
        cur.execute("SELECT DISTINCT municipality_code FROM polling_station")  # no WHERE on purpose
        assert cur.fetch_arrow_table().column(0).to_pylist() == ["GM0668"]
        cur.execute("SELECT DISTINCT municipality_code FROM official_count")
        assert cur.fetch_arrow_table().column(0).to_pylist() == ["GM0668"]
