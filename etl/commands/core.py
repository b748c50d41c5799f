"""Core commands: db, users, demo, run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from app.config import ROOT, Settings, settings
from app.domain.access import SYSTEM
from app.domain.errors import StemdagError

console = Console(stderr=True)
db_app = typer.Typer(help="The database: migrate, inspect.", no_args_is_help=True)
users_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    console.print(f"[bold red]Error:[/] {message}")
    return typer.Exit(code)


def explain(err: StemdagError) -> str:
    from app.ui.texts import error_text

    return error_text(err, "en")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision (default: head).")) -> None:
    """Create the database if needed and migrate it to the newest schema."""
    from app.storage import migrate
    from app.storage.db import database_url

    url = database_url()
    migrate.upgrade(url, revision)
    console.print(f"Database migrated to {revision}.")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base or 0001.")) -> None:
    """Migrate the database down to an earlier revision."""
    from app.storage import migrate
    from app.storage.db import database_url

    migrate.downgrade(database_url(), revision)
    console.print(f"Database migrated down to {revision}.")


@db_app.command("url")
def db_url() -> None:
    """Print the database URL in use (starts the embedded server when DATABASE_URL is unset)."""
    from app.storage.db import database_url

    typer.echo(database_url())


@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="Login name (lower case)."),
    role: str = typer.Option(..., "--role", help="admin, office or analyst."),
    municipality: str | None = typer.Option(None, "--municipality", help="GM#### (none: a global admin)."),
    name: str | None = typer.Option(None, "--name", help="Display name."),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters."
    ),
) -> None:
    """Add a staff account."""
    from app.services import users
    from app.storage.db import session_scope

    try:
        with session_scope() as db:
            user = users.add_user(
                db,
                SYSTEM,
                username=username,
                password=password,
                role=role,
                municipality_code=municipality,
                display_name=name,
            )
    except StemdagError as err:
        raise fail(explain(err)) from None
    console.print(f"Added {user.username} ({user.role}, {user.municipality_code or 'all municipalities'}).")


@users_app.command("list")
def users_list() -> None:
    """List staff accounts."""
    from app.services import users
    from app.storage.db import session_scope

    with session_scope() as db:
        rows = users.list_users(db, SYSTEM)
    table = Table("username", "role", "municipality", "name", "active")
    for u in rows:
        table.add_row(
            u.username, u.role, u.municipality_code or "(all)", u.display_name, "yes" if u.is_active else "no"
        )
    Console().print(table)


def _load_demo() -> dict:
    from app.storage.db import session_scope
    from etl import demo

    with Progress(console=console, transient=True) as progress, session_scope() as db:
        task = progress.add_task("Loading demo data", total=demo.station_count())
        result = demo.load_demo(db, progress=lambda: progress.advance(task))
    return result


def demo_cmd() -> None:
    """Load the demo (three municipalities, an election held today, demo accounts and chair codes).
    Safe to run again: nothing changes the second time."""
    from etl import demo

    result = _load_demo()
    console.print(f"Demo election {result['election']} on {result['date']}: {result['stations']} stations.")
    typer.echo(demo.credentials_text(result["codes"]))


def demo_by_default(cfg: Settings) -> bool:
    """Whether ``stemdag run`` loads the demo when not told: only on the built-in development database,
    that is when no database is configured, in the environment or in .streamlit/secrets.toml."""
    return not cfg.database_url


def run_cmd(
    demo_data: bool | None = typer.Option(
        None,
        "--demo/--no-demo",
        help="Load the demo data first (default: only on the built-in development database, that is when"
        " DATABASE_URL is unset; the demo resets the demo accounts to a published password).",
    ),
    address: str | None = typer.Option(None, help="Address to serve on (default localhost)."),
    port: int | None = typer.Option(None, help="Port (default 8501)."),
) -> None:
    """Migrate, load the demo, and serve the app (Streamlit)."""
    from app.storage import migrate
    from app.storage.db import database_url, to_libpq_uri
    from etl import demo

    cfg = settings()
    if demo_data is None:  # never by default on a real database: the demo's accounts have a public password
        demo_data = demo_by_default(cfg)
    url = database_url()  # starts the embedded server when DATABASE_URL is unset; held until we exit
    migrate.upgrade(url)
    missing = migrate.missing_tables(url)
    if missing:
        console.print(
            f"[red]The database is marked as up to date but lacks {len(missing)} tables"
            f" ({', '.join(missing[:5])}{', …' if len(missing) > 5 else ''}).[/] It was made by an earlier"
            " development version of the migrations. For the built-in development database: `make"
            " clean-db` (removes .stemdag, with its demo data), then `make run` again."
        )
        raise typer.Exit(1)
    listed = _load_demo()["codes"] if demo_data else {}
    address = address or cfg.server_address
    port = port or cfg.server_port
    env = {**os.environ, "DATABASE_URL": to_libpq_uri(url) if url.startswith("postgresql+psycopg") else url}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app" / "web.py"),
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    console.print(f"\nStemdag runs on [bold]http://{address}:{port}[/]  (Ctrl+C stops it)\n")
    if demo_data:
        typer.echo(demo.credentials_text(listed))
    simulator = _start_simulator(env, cfg.simulate_day_minutes) if demo_data and cfg.simulate else None
    # Stopped with SIGTERM (a service manager, `kill`) as with Ctrl+C: the app and the simulator stop too.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        proc = subprocess.run(cmd, env=env, cwd=ROOT, check=False)  # noqa: S603 - our own fixed command
    except KeyboardInterrupt:
        raise typer.Exit(0) from None
    finally:
        _stop(simulator)
    raise typer.Exit(proc.returncode)


def _interrupt(*_args: object) -> None:
    raise KeyboardInterrupt


def _start_simulator(env: dict[str, str], day_minutes: int) -> subprocess.Popen | None:
    """The demo's election day in the background (issue 7): ``stemdag simulate`` for the demo
    municipalities, a whole day in ``day_minutes`` minutes; its output goes to the data dir."""
    from etl import demo

    log_path = settings().data_dir / "simulator.log"
    cmd = [sys.executable, "-m", "etl.cli", "simulate", "--election", demo.DEMO_ELECTION_ID]
    for m in demo.MUNICIPALITIES:
        cmd += ["--municipality", m.code]
    cmd += ["--day-minutes", str(day_minutes), "--allow-real", "--quiet"]
    log = log_path.open("a", encoding="utf-8")
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=log)  # noqa: S603 - fixed command
    log.close()
    console.print(
        f"Simulated election day: {day_minutes} minutes (STEMDAG_SIMULATE=0 turns it off; log {log_path})"
    )
    return proc


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.add_typer(users_app, name="users")
    app.command("demo")(demo_cmd)
    app.command("run")(run_cmd)
