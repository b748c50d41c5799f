"""Station access: ``stemdag codes issue|revoke|letters``."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import typer
from rich.console import Console

from app.domain.access import SYSTEM
from app.domain.errors import StemdagError
from etl.commands.core import explain, fail

console = Console(stderr=True)
codes_app = typer.Typer(help="Station access codes, one-time links and access letters.", no_args_is_help=True)

ELECTION = typer.Option(..., "--election", help="Election id, e.g. GR2026.")
MUNICIPALITY = typer.Option(..., "--municipality", help="Municipality code, e.g. GM0392.")
STATIONS = typer.Option(None, "--station", help="Station number (repeat for several; default all).")


def _stations(db, election: str, municipality: str, numbers: list[int] | None):
    from app.domain.ids import municipality_code
    from app.services import stations

    try:
        code = municipality_code(municipality)
    except StemdagError as err:
        raise fail(f"--municipality {municipality}: {explain(err)}") from None
    rows = stations.list_stations(db, SYSTEM, election.upper(), code)
    if not rows:
        raise fail(f"no polling stations for election {election} in {code} (set the election up first)")
    if numbers:
        missing = sorted(set(numbers) - {s.number for s in rows})
        if missing:
            raise fail(f"--station: no station {', '.join(map(str, missing))} at {election} in {code}")
        rows = [s for s in rows if s.number in numbers]
    return code, rows


@codes_app.command("issue")
def issue(
    election: str = ELECTION,
    municipality: str = MUNICIPALITY,
    station: list[int] | None = STATIONS,
    out: Path | None = typer.Option(None, "--out", help="Write station,code as CSV here (default stdout)."),
) -> None:
    """Issue new access codes (earlier codes of those stations stop working). Codes are shown once."""
    from app.services import codes
    from app.storage.db import session_scope

    with session_scope() as db:
        _code, rows = _stations(db, election, municipality, station)
        try:
            issued = [(s.number, s.name, codes.issue_code(db, SYSTEM, s.id)) for s in rows]
        except StemdagError as err:
            raise fail(explain(err)) from None
    fh = out.open("w", newline="", encoding="utf-8") if out else sys.stdout
    writer = csv.writer(fh)
    writer.writerow(["station", "name", "code"])
    writer.writerows(issued)
    if out:
        fh.close()
        console.print(f"{len(issued)} codes written to {out}. Keep the file safe; delete it after printing.")


@codes_app.command("revoke")
def revoke(
    election: str = ELECTION,
    municipality: str = MUNICIPALITY,
    station: list[int] | None = STATIONS,
    all_stations: bool = typer.Option(False, "--all", help="Revoke the codes of every station."),
) -> None:
    """Revoke the access codes and unused one-time links of stations."""
    from app.services import codes
    from app.storage.db import session_scope

    if not station and not all_stations:
        raise fail("name the stations with --station N (repeatable) or use --all")
    with session_scope() as db:
        _code, rows = _stations(db, election, municipality, station)
        n = sum(codes.revoke_codes(db, SYSTEM, s.id) for s in rows)
    console.print(f"Revoked {n} codes at {len(rows)} stations.")


@codes_app.command("letters")
def letters_cmd(
    election: str = ELECTION,
    municipality: str = MUNICIPALITY,
    base_url: str = typer.Option(
        ..., "--base-url", help="Address of Stemdag, e.g. https://stemdag.gemeente.nl"
    ),
    out: Path = typer.Option(Path("access-letters.pdf"), "--out", help="PDF to write."),
    station: list[int] | None = STATIONS,
    lang: str = typer.Option("nl", "--lang", help="nl or en."),
) -> None:
    """Issue new codes and one-time links and write the access letters (one page per station) as PDF."""
    from app.exports.letters import letters_pdf
    from app.services import letters
    from app.storage.db import session_scope

    if lang not in ("nl", "en"):
        raise fail(f"--lang {lang}: use nl or en")
    with session_scope() as db:
        code, rows = _stations(db, election, municipality, station)
        try:
            issued = letters.issue_letters(
                db, SYSTEM, election.upper(), code, base_url, station_numbers=[s.number for s in rows]
            )
        except StemdagError as err:
            raise fail(explain(err)) from None
    out.write_bytes(letters_pdf(issued, lang))
    console.print(
        f"{len(issued)} letters written to {out}. Earlier codes and links of these stations no longer work."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(codes_app, name="codes")
