"""Exports of the election office: ``stemdag export counts``.

``stemdag export counts --election ID [--municipality GM####] --out FILE [--format csv|csv-nl]`` writes
the counts per station (the latest count version of each station) with the columns of
``app/exports/office.py``: ``csv`` is ``,``-separated UTF-8, ``csv-nl`` is Dutch Excel (``;`` + BOM).
Without ``--municipality``: every municipality of the election. Bad input: one line, exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from app.domain.access import SYSTEM
from app.domain.errors import StemdagError
from etl.commands.core import explain, fail

console = Console(stderr=True)
export_app = typer.Typer(help="Exports of the election office (CSV).", no_args_is_help=True)


@export_app.command("counts")
def counts(
    election: str = typer.Option(..., "--election", help="Election id, e.g. GR2026."),
    municipality: str | None = typer.Option(None, "--municipality", help="Municipality code, e.g. GM0392."),
    out: Path = typer.Option(..., "--out", help="The CSV file to write."),
    fmt: str = typer.Option("csv", "--format", help="csv (comma, UTF-8) or csv-nl (Excel: semicolon, BOM)."),
) -> None:
    """Counts per station: admitted voters, votes per list, blank, invalid, differences, status."""
    from app.domain.ids import municipality_code
    from app.exports import office as exports
    from app.services import office
    from app.storage.db import session_scope

    if fmt not in exports.FORMATS:
        raise fail(f"--format {fmt}: use one of {', '.join(exports.FORMATS)}")
    code = None
    if municipality:
        try:
            code = municipality_code(municipality)
        except StemdagError as err:
            raise fail(f"--municipality {municipality}: {explain(err)}") from None
    if out.is_dir():
        raise fail(f"--out {out}: is a directory, not a file")
    if not out.parent.exists():
        raise fail(f"--out {out}: the folder {out.parent} does not exist")
    with session_scope() as db:
        try:
            table = office.export_counts(db, SYSTEM, election.upper(), code)
        except StemdagError as err:
            raise fail(f"--election {election}: {explain(err)}") from None
    if code is not None and not table.rows:
        raise fail(f"--municipality {code}: no polling stations at election {election.upper()}")
    out.write_bytes(exports.to_csv(table.columns, table.rows, fmt))
    counted = sum(1 for r in table.rows if r.get("status") != "not_counted")
    console.print(f"{len(table.rows)} stations ({counted} counted) written to {out} ({fmt}).")


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
