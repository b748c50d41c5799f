"""Benchmarks of the office's live view (issue 4), each measured side by side in one run.

A national-scale election day is generated directly in a benchmark database (``stemdag_bench_office``
on the embedded server, or on the server of ``BENCH_DATABASE_URL``), migrated by Alembic, with bulk
inserts (``INSERT ... SELECT generate_series``): 342 municipalities, 10,000 polling stations, one
``station_state`` row per station in every state of the day (not opened, open, problems, closed,
counted), open incidents and turnout reports. A second database holds one municipality of 600
stations alone.

* ``overview_vs_latest_table``: the overview data of every municipality of the 10,000-station day
  (``office.overview``: state, alerts, counts, turnout and the comparison, as each office's screen
  asks for it) ÷ a bare read of the whole latest-state table (all 10,000 rows as ORM objects). Target
  ≤ 3: the read model adds little to reading the table.
* ``overview_10k_vs_600``: the overview of a 600-station municipality inside the national day of
  10,000 stations ÷ the same overview in a database that holds only those 600 stations. Target ≤ 3:
  an office's screen does not slow down with the size of the installation.

Times are the best of 5, the two sides interleaved.
"""

from __future__ import annotations

import atexit
import os
import time
from collections.abc import Callable

import psycopg
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain.access import SYSTEM
from app.services import office
from app.storage import migrate
from app.storage.db import embedded_server_uri, make_engine, to_libpq_uri, to_sqlalchemy_url

ELECTION = "BENCH2026"
STATIONS = 10_000
MUNICIPALITIES = 342
BIG = "GM9000"  # the municipality of 600 stations
BIG_STATIONS = 600
REPEAT = 5


def _admin_uri() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    return to_libpq_uri(url) if url else embedded_server_uri("postgres")


def _database(name: str) -> str:
    admin = _admin_uri()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin.rpartition("/")
    query = ""
    if "?" in admin:
        base_db, _, query = admin.partition("?")
        base = base_db.rpartition("/")[0]
        query = "?" + query
    url = to_sqlalchemy_url(f"{base}/{name}{query}")
    migrate.upgrade(url)
    return url


def _drop(name: str) -> None:
    with psycopg.connect(_admin_uri(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_DAY_SQL = [
    # the election, today, with the default turnout moments
    """INSERT INTO election (id, kind, name, election_date, council_size, turnout_moments, checklist_items,
           low_stock_threshold)
       VALUES (:e, 'GR', 'Benchmark', current_date, 39, '["10:00","13:45","17:45","21:00"]', '[]', 50)""",
    """INSERT INTO municipality (code, name)
       SELECT 'GM' || lpad(m::text, 4, '0'), 'Gemeente ' || m FROM generate_series(9000, 8999 + :nm) m""",
    """INSERT INTO election_municipality (election_id, municipality_code, electorate, council_size)
       SELECT :e, code, 50000, 39 FROM municipality""",
    """INSERT INTO political_group (election_id, municipality_code, number, name)
       SELECT :e, code, n, 'Lijst ' || n FROM municipality, generate_series(1, 12) n""",
    # :big stations in the big municipality, the rest spread over the others
    """INSERT INTO polling_station (election_id, municipality_code, number, name, latitude, longitude)
       SELECT :e, :bigcode, s, 'Stembureau ' || s, 52 + s / 10000.0, 5 + s / 10000.0
       FROM generate_series(1, :big) s""",
    """INSERT INTO polling_station (election_id, municipality_code, number, name, latitude, longitude)
       SELECT :e, 'GM' || lpad((9001 + (s % (:nm - 1)))::text, 4, '0'), s, 'Stembureau ' || s,
              51 + (s % 100) / 100.0, 4 + (s % 97) / 100.0
       FROM generate_series(1, :rest) s""",
    # one latest-state row per station, spread over every state of the day
    """INSERT INTO station_state (polling_station_id, election_id, municipality_code, status, opened_at,
           closed_at, members_present, ballots_left, low_stock, last_turnout_moment,
           last_turnout_admitted_voters, open_incidents_low, open_incidents_medium, open_incidents_high,
           count_status, last_report_at)
       SELECT id, election_id, municipality_code,
              CASE WHEN id % 10 = 0 THEN 'not_opened' WHEN id % 10 < 7 THEN 'open' ELSE 'closed' END,
              CASE WHEN id % 10 = 0 THEN NULL ELSE now() - interval '6 hours' END,
              CASE WHEN id % 10 >= 7 THEN now() - interval '1 hour' END,
              CASE WHEN id % 10 = 0 THEN NULL ELSE 2 + id % 5 END,
              CASE WHEN id % 10 = 0 THEN NULL ELSE (id * 7) % 400 END,
              (id * 7) % 400 < 50,
              CASE WHEN id % 10 = 0 THEN NULL ELSE '13:45' END,
              CASE WHEN id % 10 = 0 THEN NULL ELSE 200 + id % 500 END,
              (id % 13 = 0)::int, (id % 17 = 0)::int, (id % 29 = 0)::int,
              CASE WHEN id % 10 = 8 THEN 'submitted' WHEN id % 10 = 9 THEN 'accepted' END,
              CASE WHEN id % 10 = 0 THEN NULL ELSE now() - ((id % 180) || ' minutes')::interval END
       FROM polling_station""",
]


def _generate(url: str, *, municipalities: int, stations: int, big: int) -> None:
    engine = make_engine(url)
    params = {
        "e": ELECTION,
        "nm": municipalities,
        "bigcode": BIG,
        "big": big,
        "rest": max(0, stations - big),
    }
    with engine.begin() as conn:
        for sql in _DAY_SQL:
            conn.execute(text(sql), params)
        conn.execute(text("ANALYZE"))
    engine.dispose()


def _best(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _side_by_side(a: Callable[[], object], b: Callable[[], object]) -> tuple[float, float]:
    a(), b()  # warm up (connections, caches, history files)
    ta, tb = [], []
    for _ in range(REPEAT):
        ta.append(_best(a))
        tb.append(_best(b))
    return min(ta), min(tb)


_national: str | None = None


def _national_day() -> str:
    global _national
    if _national is None:
        _national = _database("stemdag_bench_office")
        atexit.register(_drop, "stemdag_bench_office")  # nothing left behind after the run
        _generate(_national, municipalities=MUNICIPALITIES, stations=STATIONS, big=BIG_STATIONS)
    return _national


def overview_vs_latest_table() -> tuple[float, str]:
    url = _national_day()
    engine = make_engine(url)
    codes = [
        c for (c,) in engine.connect().execute(text("SELECT code FROM municipality ORDER BY code")).all()
    ]

    def overviews() -> int:
        with Session(engine) as db:
            return sum(len(office.overview(db, SYSTEM, ELECTION, c).stations) for c in codes)

    def bare() -> int:
        with Session(engine) as db:
            return office.latest_state_rows(db, ELECTION)

    assert overviews() == bare() == STATIONS
    t_over, t_bare = _side_by_side(overviews, bare)
    engine.dispose()
    return t_over / t_bare, (
        f"overview of all {len(codes)} municipalities ({STATIONS} stations) {t_over * 1000:.0f} ms vs "
        f"bare read of station_state {t_bare * 1000:.0f} ms; target <= 3"
    )


def overview_10k_vs_600() -> tuple[float, str]:
    national = _national_day()
    alone = _database("stemdag_bench_office_600")
    try:
        _generate(alone, municipalities=1, stations=BIG_STATIONS, big=BIG_STATIONS)
        e_national, e_alone = make_engine(national), make_engine(alone)

        def run(engine) -> Callable[[], int]:
            def go() -> int:
                with Session(engine) as db:
                    return len(office.overview(db, SYSTEM, ELECTION, BIG).stations)

            return go

        assert run(e_national)() == run(e_alone)() == BIG_STATIONS
        t_national, t_alone = _side_by_side(run(e_national), run(e_alone))
        e_national.dispose()
        e_alone.dispose()
    finally:
        _drop("stemdag_bench_office_600")
    return t_national / t_alone, (
        f"overview of {BIG} ({BIG_STATIONS} stations) in a day of {STATIONS} stations "
        f"{t_national * 1000:.1f} ms vs alone {t_alone * 1000:.1f} ms; target <= 3"
    )


BENCHMARKS = {
    "overview_vs_latest_table": overview_vs_latest_table,
    "overview_10k_vs_600": overview_10k_vs_600,
}
