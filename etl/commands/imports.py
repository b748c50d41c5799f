"""Official files: ``stemdag import PATH...`` and ``stemdag export results``.

``import`` takes files, folders (all files in them, recursively) and ``.zip`` archives (their files are
unpacked to a temporary folder), detects each file's format from its content, and imports each file in
its own transaction through the same service as the admin upload page
(``app.services.imports.import_file``, as the system actor). A file that cannot be imported gives one
line naming the file and the place; the other files still import; the exit code is 0 only when every
file imported (``unchanged`` counts as imported), else 2. A fault in Stemdag itself while importing one
file (any other exception) gives the line ``file: internal error (<type>)``, its traceback goes to
``<data dir>/import-errors.log``, the file counts as not imported and the others still import.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.domain.access import SYSTEM
from app.domain.errors import StemdagError
from etl.commands.core import explain, fail

console = Console(stderr=True)
out_console = Console()
export_app = typer.Typer(help="Export results.", no_args_is_help=True)

SKIP_NAMES = {".ds_store", "thumbs.db", "readme.md", "readme.txt"}
ERROR_LOG = "import-errors.log"


def _unreachable(err: Exception) -> bool:
    from app.storage.db import unreachable

    return unreachable(err)


def _log_internal_error(shown: str, err: Exception) -> Path | None:
    """Append the traceback of an unexpected error to ``<data dir>/import-errors.log`` (not the terminal:
    a refused file gets one line there). The log's path, or None when it could not be written."""
    from app.config import settings

    try:
        path = settings().data_dir / ERROR_LOG
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')} {shown}\n")
            fh.write("".join(traceback.format_exception(err)))
        return path
    except OSError:
        return None


def _expand(paths: list[Path], tmp: Path) -> tuple[list[tuple[Path, str]], list[str]]:
    """(file, display name) for every file to import, and problems with the arguments themselves."""
    files: list[tuple[Path, str]] = []
    problems: list[str] = []
    for n, path in enumerate(paths):
        if path.is_dir():
            for f in sorted(p for p in path.rglob("*") if p.is_file()):
                if f.name.lower() in SKIP_NAMES or f.name.startswith("."):
                    continue
                files.extend(_expand([f], tmp)[0] if f.suffix.lower() == ".zip" else [(f, str(f))])
        elif path.is_file() and path.suffix.lower() == ".zip":
            target = tmp / f"zip{n}"
            try:
                with zipfile.ZipFile(path) as zf:
                    for info in zf.infolist():
                        name = Path(info.filename)
                        if (
                            info.is_dir()
                            or name.is_absolute()
                            or ".." in name.parts
                            or name.name.startswith(".")
                        ):
                            continue
                        if name.name.lower() in SKIP_NAMES:
                            continue
                        dest = target / name
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        with zf.open(info) as src, dest.open("wb") as out:
                            while chunk := src.read(1 << 20):
                                out.write(chunk)
                        files.append((dest, f"{path}!{info.filename}"))
            except zipfile.BadZipFile:
                problems.append(f"{path}: not a readable zip archive")
        elif path.is_file():
            files.append((path, str(path)))
        else:
            problems.append(f"{path}: no such file or folder")
    return files, problems


def import_cmd(
    paths: list[Path] = typer.Argument(..., help="Files, folders or .zip archives of official files."),
    election: str | None = typer.Option(
        None, "--election", help="Election id, e.g. GR2022 (checked against the file)."
    ),
    municipality: str | None = typer.Option(
        None,
        "--municipality",
        help="GM#### (checked against the file; names the municipality of a file without one).",
    ),
) -> None:
    """Import official files: EML_NL 110a/110b/230b/510, osv4-3 CSV, WIMS station lists (CSV/XLSX)."""
    from app.services.imports import import_file
    from app.storage.db import session_scope

    started = time.perf_counter()
    failed = 0
    imported = 0
    with tempfile.TemporaryDirectory(prefix="stemdag-import-") as tmpdir:
        files, problems = _expand(paths, Path(tmpdir))
        for problem in problems:
            console.print(f"[bold red]Error:[/] {problem}", markup=True, highlight=False, soft_wrap=True)
        failed += len(problems)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[current]}"),
        )
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("Importing", total=len(files), current="")
            for path, shown in files:
                progress.update(task, current=Path(shown).name[:50])
                try:
                    with session_scope() as db:
                        s = import_file(
                            db,
                            SYSTEM,
                            path,
                            Path(shown).name,
                            election_id=election,
                            municipality_code=municipality,
                        )
                except StemdagError as err:
                    failed += 1
                    detail = err.params.get("problem")
                    if detail is not None:
                        place = err.params.get("place")
                        where = f": {place}" if place and place != "-" else ""
                        message = f"{shown}{where}: {detail}"
                    else:
                        message = f"{shown}: {explain(err)}"
                    progress.console.print(
                        f"[bold red]Error:[/] {escape(message)}", markup=True, highlight=False, soft_wrap=True
                    )
                except Exception as err:  # a fault in Stemdag: this file fails, the others still import
                    failed += 1
                    logged = _log_internal_error(shown, err)
                    what = "database unavailable" if _unreachable(err) else "internal error"
                    progress.console.print(
                        f"[bold red]Error:[/] {escape(shown)}: {what} ({type(err).__name__})"
                        + (f"; details in {escape(str(logged))}" if logged else ""),
                        markup=True,
                        highlight=False,
                        soft_wrap=True,
                    )
                else:
                    imported += 1
                    status = {
                        "imported": "imported",
                        "new_version": f"new version {s.version}",
                        "unchanged": "unchanged",
                    }[s.status]
                    line = (
                        f"{Path(shown).name}: {s.format}, {s.election_id}, {s.municipality_code or '-'}: "
                        f"{s.stations} stations, {s.lists} lists, {s.candidates} candidates, "
                        f"{s.valid_votes:,} valid votes ({status}"
                        + (f", {len(s.warnings)} warnings" if s.warnings else "")
                        + ")"
                    )
                    progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
                    for w in s.warnings[:5]:
                        progress.console.print(
                            f"  warning {w.code or ''} {w.place}: {w.message}",
                            markup=False,
                            highlight=False,
                            soft_wrap=True,
                        )
                    if len(s.warnings) > 5:
                        progress.console.print(f"  ... and {len(s.warnings) - 5} more warnings", markup=False)
                progress.advance(task)
    elapsed = time.perf_counter() - started
    console.print(f"{imported} of {imported + failed} files imported in {elapsed:.1f} s.", highlight=False)
    if failed or not files:
        raise typer.Exit(2)


@export_app.command("results")
def export_results(
    election: str = typer.Option(..., "--election", help="Election id, e.g. GR2022."),
    municipality: str | None = typer.Option(None, "--municipality", help="GM#### (default: all)."),
    level: str = typer.Option("list", "--level", help="list or candidate."),
    fmt: str = typer.Option(
        "csv", "--format", help="csv, csv-nl (; and BOM, for Dutch Excel), parquet or osv4-3."
    ),
    out: Path = typer.Option(..., "--out", help="The file to write."),
) -> None:
    """Export the current official results per station (imported with ``stemdag import``)."""
    from app.domain.ids import election_id as check_election
    from app.domain.ids import municipality_code
    from app.exports import results
    from app.storage.db import session_scope

    try:
        eid = check_election(election)
        code = municipality_code(municipality) if municipality else None
    except StemdagError as err:
        raise fail(explain(err)) from None
    if level not in results.LEVELS:
        raise fail(f"--level {level}: expected one of {', '.join(results.LEVELS)}")
    if fmt not in (*results.FORMATS, "osv4-3"):
        raise fail(f"--format {fmt}: expected one of {', '.join((*results.FORMATS, 'osv4-3'))}")
    try:
        with session_scope() as db:
            if fmt == "osv4-3":
                if code is None:
                    raise fail("--format osv4-3 needs --municipality (one file per municipality)")
                n = results.write_osv(db, out, eid, code)
                console.print(f"Wrote {out}: {eid} {code}, {n} stations in the osv4-3 layout.")
                return
            n = results.write_results(db, out, eid, code, level=level, fmt=fmt)
    except ValueError as err:
        raise fail(str(err)) from None
    except OSError as err:
        raise fail(f"{out}: {err.strerror or err}") from None
    if n == 0:
        console.print(
            f"[yellow]No official results for {eid}{' in ' + code if code else ''}; wrote only the header.[/]"
        )
    console.print(f"Wrote {out}: {n:,} rows ({level} level, {fmt}).")


def register(app: typer.Typer) -> None:
    """``import``, and ``export results`` in the shared ``export`` group (another area's ``export counts``
    may have made it already: register after it)."""
    app.command("import")(import_cmd)
    for group in app.registered_groups:
        if group.name == "export" and group.typer_instance is not None:
            group.typer_instance.command("results")(export_results)
            return
    app.add_typer(export_app, name="export")
