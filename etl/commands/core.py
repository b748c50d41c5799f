"""Core commands: db, users, demo, run (filled in by the foundation)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def version() -> None:
        """Print the version."""
        from importlib.metadata import version as v

        typer.echo(v("stemdag"))
