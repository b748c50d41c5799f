"""The ``stemdag`` command line. Each command group lives in its own module under ``etl/commands``."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="stemdag",
    help="Stemdag: election-day system for Dutch municipalities.",
    no_args_is_help=True,
    add_completion=False,
)


def _register() -> None:
    from etl.commands import core

    core.register(app)
    from etl.commands import seats

    seats.register(app)
    from etl.commands import codes

    codes.register(app)
    from etl.commands import simulate

    simulate.register(app)
    from etl.commands import office

    office.register(app)
    from etl.commands import imports

    imports.register(app)


def main() -> None:
    _register()
    app()


if __name__ == "__main__":
    main()
