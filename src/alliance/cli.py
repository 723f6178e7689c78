"""The ``alliance`` command line: one entry point over the warehouse, the rules and reports."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from alliance.commands import COMMAND_MODULES
from alliance.errors import DataError, ParameterError, UnknownEntityError

app = typer.Typer(
    help="Connecticut's Alliance District program: data, rules, designation and money.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for module in COMMAND_MODULES:
    module.register(app)


def main() -> None:
    """Run the CLI; known input and rule errors print one clear message and exit 2."""
    try:
        app()
    except (DataError, ParameterError, UnknownEntityError) as exc:
        Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
