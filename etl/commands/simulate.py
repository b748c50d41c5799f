"""The election-day simulator and practice elections: ``stemdag simulate`` and
``stemdag practice start|wipe``."""

from __future__ import annotations

import signal
import threading
import time

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.domain.access import SYSTEM
from app.domain.errors import StemdagError
from etl.commands.core import explain, fail

console = Console(stderr=True)
practice_app = typer.Typer(help="Practice elections (oefenverkiezing) for the chairs.", no_args_is_help=True)


def _clock(value: str, option: str) -> int:
    from app.domain.simulation import parse_clock

    try:
        return parse_clock(value)
    except ValueError:
        raise fail(f"{option} {value!r}: not a time of day (use HH:MM, e.g. 07:00)") from None


def simulate_cmd(
    election: str = typer.Option(..., "--election", help="Election id to simulate into, e.g. OEF2026GM0668."),
    municipality: list[str] = typer.Option(
        ..., "--municipality", help="Municipality code, e.g. GM0668 (repeat for several)."
    ),
    speed: float = typer.Option(60.0, "--speed", help="Simulated seconds per real second."),
    seed: int = typer.Option(0, "--seed", help="The same seed gives the same day."),
    start: str = typer.Option(
        "07:00", "--start", help="Simulated time to start at (earlier events catch up)."
    ),
    until: str = typer.Option("23:00", "--until", help="Simulated time to stop at."),
    fast: bool = typer.Option(False, "--fast", help="Do not wait: replay as fast as the database allows."),
    stations: int | None = typer.Option(
        None,
        "--stations",
        help="Simulate N stations (synthetic, replicated from the real ones; set up if missing).",
    ),
    day_minutes: float | None = typer.Option(
        None, "--day-minutes", help="Let the whole day (start to until) pass in this many real minutes."
    ),
    allow_real: bool = typer.Option(
        False,
        "--allow-real",
        help="Also write into an election that is not a practice election (demo, load test).",
    ),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar (for a background run)."),
    workers: int | None = typer.Option(
        None,
        "--workers",
        help="With --fast: replay with this many connections at once, each its own share of the stations "
        "(default: 2 with --stations, else 1).",
    ),
) -> None:
    """Replay an election day from a real past election's per-station results (GR2022) through the same
    services as the forms: openings, members, stock, turnout, incidents, closing, counts (a few returned
    and corrected), office acceptance. Every action is in the audit log."""
    from app.domain.ids import municipality_code
    from app.services import simulator
    from app.storage.db import session_scope
    from etl import simulation as sources
    from etl.parsers.errors import ImportProblem

    t_start, t_until = _clock(start, "--start"), _clock(until, "--until")
    if t_until <= t_start:
        raise fail(f"--until {until} must be later than --start {start}")
    if speed <= 0:
        raise fail(f"--speed {speed}: must be more than 0")
    if stations is not None and stations <= 0:
        raise fail(f"--stations {stations}: must be 1 or more")
    if workers is not None and not 1 <= workers <= 16:
        raise fail(f"--workers {workers}: must be 1 to 16")
    if workers is None:
        workers = 2 if fast and stations else 1
    if day_minutes is not None:
        if day_minutes <= 0:
            raise fail(f"--day-minutes {day_minutes}: must be more than 0")
        speed = simulator.speed_for(day_minutes, t_start, t_until)
    curve = sources.intraday_curve()
    days = []
    for raw in municipality:
        try:
            code = municipality_code(raw)
        except StemdagError as err:
            raise fail(f"--municipality {raw}: {explain(err)}") from None
        try:
            path = sources.source_file(code)
            _, results = sources.station_results(path)
            names = sources.list_names(path)
        except FileNotFoundError as err:
            raise fail(f"--municipality {code}: {err}") from None
        except ImportProblem as err:
            raise fail(str(err)) from None
        try:
            with session_scope() as db, _progress(quiet) as progress:
                task = progress.add_task(f"Stations of {code}", total=stations or 0, visible=bool(stations))
                days.append(
                    simulator.prepare(
                        db,
                        SYSTEM,
                        election.upper(),
                        code,
                        results,
                        seed=seed,
                        stations=stations,
                        curve=curve,
                        allow_real=allow_real,
                        list_names=names,
                        progress=lambda n, task=task: progress.update(task, completed=n),
                    )
                )
        except StemdagError as err:
            raise fail(f"{election} {code}: {explain(err)}") from None
    total = sum(len(d.events) for d in days)
    pace = "as fast as possible" if fast else f"at {speed:g}x"
    n_stations = sum(len(d.station_ids) for d in days)
    console.print(
        f"Simulating {election.upper()} for {', '.join(d.municipality_code for d in days)}: "
        f"{n_stations} stations, {total} events, {start}-{until}, {pace}, seed {seed}."
    )
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with _progress(quiet) as progress:
        task = progress.add_task("Election day --:--", total=total)

        seen = {"events": 0, "half_hour": -1}

        def advance(event, total_events) -> None:
            progress.update(task, advance=1, description=f"Election day {simulator.sim.clock(event.at)[:5]}")
            seen["events"] += 1
            if quiet and event.at // 1800 > seen["half_hour"]:  # a line per simulated half hour (the log)
                seen["half_hour"] = event.at // 1800
                console.print(
                    f"{time.strftime('%H:%M:%S')} election day {simulator.sim.clock(event.at)[:5]}: "
                    f"{seen['events']} of {total_events} events",
                    highlight=False,
                )

        began = time.monotonic()
        try:
            stats = simulator.replay(
                lambda: session_scope(),
                SYSTEM,
                days,
                start=t_start,
                until=t_until,
                speed=None if fast else speed,
                on_event=advance,
                should_stop=stop.is_set,
                workers=workers if fast else 1,
            )
        except KeyboardInterrupt:
            console.print("Stopped.")
            raise typer.Exit(0) from None
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(stats.by_kind.items()))
    seconds = max(time.monotonic() - began, 1e-9)
    rate = (
        f", {(stats.done + stats.refused) / seconds:.0f} events/s with {workers} worker{'s' * (workers != 1)}"
        if fast
        else ""
    )
    console.print(f"Done: {stats.done} actions ({kinds}); refused {stats.refused}; {seconds:.1f} s{rate}.")
    for problem in stats.problems[:10]:
        console.print(f"  refused: {problem}")


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=quiet,
    )


@practice_app.command("start")
def practice_start(
    municipality: str = typer.Option(..., "--municipality", help="Municipality code, e.g. GM0668."),
    source: str | None = typer.Option(
        None, "--from", help="Election to copy (default: the latest real one)."
    ),
    codes: bool = typer.Option(
        True, "--codes/--no-codes", help="Issue access codes for the practice stations."
    ),
) -> None:
    """Start a practice election (oefenverkiezing) for a municipality's chairs: its stations and lists in
    an election of their own, held today, with fresh access codes (shown once)."""
    from app.domain.ids import municipality_code
    from app.services import practice
    from app.storage.db import session_scope

    try:
        code = municipality_code(municipality)
        with session_scope() as db:
            result = practice.start_practice(
                db, SYSTEM, code, source_election_id=source.upper() if source else None, issue_codes=codes
            )
    except StemdagError as err:
        raise fail(f"--municipality {municipality}: {explain(err)}") from None
    console.print(
        f"Practice election [bold]{result.election_id}[/] started for {result.municipality_code} "
        f"(copy of {result.source_election_id}: {result.stations} stations, {result.lists} lists)."
    )
    if result.codes:
        table = Table("station", "access code")
        for number, chair_code in sorted(result.codes.items()):
            table.add_row(str(number), chair_code)
        Console().print(table)
        console.print("Codes are shown once. Letters: stemdag codes letters --election " + result.election_id)
    console.print(f"Wipe it afterwards: stemdag practice wipe --municipality {result.municipality_code}")


@practice_app.command("wipe")
def practice_wipe(
    municipality: str = typer.Option(..., "--municipality", help="Municipality code, e.g. GM0668."),
) -> None:
    """Delete the municipality's practice election and everything reported in it (one transaction;
    the audit log keeps its rows)."""
    from app.domain.ids import municipality_code
    from app.services import practice
    from app.storage.db import session_scope

    try:
        code = municipality_code(municipality)
        with session_scope() as db:
            result = practice.wipe_practice(db, SYSTEM, code)
    except StemdagError as err:
        raise fail(f"--municipality {municipality}: {explain(err)}") from None
    rows = ", ".join(f"{table} {n}" for table, n in sorted(result.rows_deleted.items()))
    console.print(f"Practice election {result.election_id} wiped ({rows}).")


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate_cmd)
    app.add_typer(practice_app, name="practice")
