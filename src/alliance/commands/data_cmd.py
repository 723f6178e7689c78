"""``alliance data``: build the warehouse from the source exports, and list the sources."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from alliance import config
from alliance.commands.common import DataOption, FormatOption
from alliance.data import derived, warehouse
from alliance.data.registry import SOURCES
from alliance.output import Format, emit


def register(app: typer.Typer) -> None:
    data = typer.Typer(help="Source data and the warehouse.", no_args_is_help=True)
    data.command("import")(import_data)
    data.command("sources")(list_sources)
    app.add_typer(data, name="data")


def import_data(data: DataOption = None, fmt: FormatOption = Format.table) -> None:
    """Read every source under the data root, validate it, and (re)build the warehouse."""
    root = config.data_root(data)
    steps = len(SOURCES) + len(derived.STEPS) + 1
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=fmt is not Format.table) as progress:
        task = progress.add_task("importing", total=steps)

        def advance(label: str) -> None:
            progress.update(task, description=f"importing {label}", advance=1)

        summary = warehouse.build(SOURCES, root, config.warehouse_path(), advance,
                                  derive=derived.STEPS)
    rows = [{"table": name, "rows": count} for name, count in sorted(summary.tables.items())]
    emit(rows, fmt, title=f"Warehouse {summary.path}",
         caption=f"from {root}: {len(summary.sources)} sources",
         document={"warehouse": str(summary.path), "data_root": str(root),
                   "tables": summary.tables, "sources": summary.sources})


def list_sources(fmt: FormatOption = Format.table) -> None:
    """Each imported source: publisher, licence, years, as-of date and row counts."""
    frame = warehouse.query(config.warehouse_path(), "SELECT * FROM sources ORDER BY source_id")
    rows = frame.to_dict("records")
    emit(rows, fmt, title="Sources in the warehouse",
         columns=["source_id", "publisher", "licence", "years", "as_of", "files", "rows"])
