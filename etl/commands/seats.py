"""``stemdag seats``: the seat projection (Kieswet chapter P) for a CSV of votes per list.

Input: a CSV file (UTF-8, with or without BOM, ``,``-separated) with the columns ``list_name,votes``.
Output on stdout: CSV ``list_name,votes,seats`` in input order. Ties that the law leaves to drawing lots
are reported on stderr (the output uses the documented stand-in order: input order wins).
Bad input gives one line on stderr naming file, line and field, and exit code 2.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Annotated

import typer

from app.domain.seats import allocate_seats

EXIT_BAD_INPUT = 2
REQUIRED_COLUMNS = ("list_name", "votes")


class _BadInput(Exception):
    pass


def _read_votes(path: Path) -> dict[str, int]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _BadInput(f"{path}: file not found") from None
    except IsADirectoryError:
        raise _BadInput(f"{path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise _BadInput(f"{path}: cannot read the file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _BadInput(f"{path}:{line}: not valid UTF-8") from None

    reader = csv.DictReader(text.splitlines(), delimiter=",")
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise _BadInput(f"{path}:1: the file is empty; expected the header list_name,votes")
    reader.fieldnames = header
    for column in REQUIRED_COLUMNS:
        if column not in header:
            raise _BadInput(
                f"{path}:1: missing column {column!r} (found: {', '.join(header)}); expected list_name,votes"
            )

    votes: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        name = (row.get("list_name") or "").strip()
        value = (row.get("votes") or "").strip()
        if not name and not value:
            continue  # a blank line
        if not name:
            raise _BadInput(f"{path}:{line}: field list_name is empty")
        if name in votes:
            raise _BadInput(f"{path}:{line}: field list_name: {name!r} appears more than once")
        try:
            number = int(value)
        except ValueError:
            raise _BadInput(f"{path}:{line}: field votes: {value!r} is not a whole number") from None
        if number < 0:
            raise _BadInput(f"{path}:{line}: field votes: {number} is negative")
        votes[name] = number
    if not votes:
        raise _BadInput(f"{path}: no lists found below the header")
    if sum(votes.values()) == 0:
        raise _BadInput(f"{path}: field votes: every list has 0 votes, so there is no quota")
    return votes


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def register(app: typer.Typer) -> None:
    @app.command()
    def seats(
        seats: Annotated[str, typer.Option("--seats", help="Number of seats to distribute (at least 1).")],
        votes: Annotated[Path, typer.Option("--votes", help="CSV file with columns list_name,votes.")],
    ) -> None:
        """Provisional seat projection by the Kieswet (chapter P) from votes per list."""
        try:
            seat_count = int(seats.strip())
        except ValueError:
            seat_count = 0
        if seat_count < 1:
            _fail(f"--seats: {seats!r} is not a valid number of seats (a whole number of at least 1)")
        try:
            counts = _read_votes(votes)
        except _BadInput as exc:
            _fail(str(exc))
            return
        result = allocate_seats(counts, seat_count)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["list_name", "votes", "seats"])
        for entry in result.lists:
            writer.writerow([entry.list_name, entry.votes, entry.total_seats])
        typer.echo(out.getvalue(), nl=False)
        for tie in result.ties_by_lot:
            typer.echo(f"warning: {tie.describe()}", err=True)
