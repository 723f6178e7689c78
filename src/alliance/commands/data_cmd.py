"""``alliance data``: build the warehouse from the source exports, and list the sources."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from alliance import config
from alliance.commands.common import DataOption, FormatOption
from alliance.data import derived, pull, warehouse
from alliance.data.registry import SOURCES
from alliance.data.source import NOT_IMPORTED
from alliance.errors import DataError, Problem
from alliance.output import Format, emit


def register(app: typer.Typer) -> None:
    data = typer.Typer(help="Source data and the warehouse.", no_args_is_help=True)
    data.command("import")(import_data)
    data.command("sources")(list_sources)
    data.command("pull")(pull_data)
    app.add_typer(data, name="data")


def import_data(data: DataOption = None, fmt: FormatOption = Format.table) -> None:
    """Read every source under the data root, validate it, and (re)build the warehouse."""
    root = config.data_root(data)
    if not (root / "raw").is_dir():
        reason = "not a data root: no raw/ folder here (give --data DIR or set ALLIANCE_DATA)"
        raise DataError([Problem(str(root), None, None, reason)])
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
    path = config.warehouse_path()
    rows = warehouse.query(path, "SELECT * FROM sources ORDER BY source_id").to_dict("records")
    skipped = _files_not_imported(path)
    emit(rows, fmt, title="Sources in the warehouse",
         columns=["source_id", "publisher", "licence", "years", "as_of", "files", "rows"],
         caption=f"{len(skipped)} file(s) read but not imported: see below (every file: --format json)"
         if skipped else None,
         document={"sources": rows, "files_not_imported": skipped})
    if skipped and fmt is Format.table:
        emit(_by_reason(skipped), fmt, title="Files not imported, and why",
             columns=["source_id", "files", "example", "reason"])


def _files_not_imported(path: Path) -> list[dict]:
    tables = warehouse.query(path, "SELECT table_name FROM information_schema.tables")["table_name"]
    if NOT_IMPORTED not in set(tables):
        return []
    return warehouse.query(path, f"SELECT source_id, file, reason FROM {NOT_IMPORTED} "
                                 "ORDER BY source_id, file").to_dict("records")


def _by_reason(skipped: list[dict]) -> list[dict]:
    """One line per source and reason: how many files, and the first of them."""
    groups: dict[tuple[str, str], list[str]] = {}
    for row in skipped:
        groups.setdefault((row["source_id"], row["reason"]), []).append(row["file"])
    return [{"source_id": source, "files": len(files), "example": files[0], "reason": reason}
            for (source, reason), files in groups.items()]


def pull_data(
    into: Annotated[Path | None, typer.Option(
        "--into", help="Data root to download into, laid out as raw/<source>/ (default: "
        "$ALLIANCE_HOME/data; import it with `alliance data import --data DIR`).")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url",
        help=f"Open-data portal (default: ${pull.BASE_URL_ENV}, else {pull.DEFAULT_BASE_URL}).")]
    = None,
    dataset: Annotated[list[str] | None, typer.Option(
        "--dataset", help="Socrata dataset id (repeatable; default: every known dataset).")] = None,
    page_size: Annotated[int, typer.Option("--page-size", min=1, help="Rows per request.")]
    = pull.PullOptions.page_size,
    attempts: Annotated[int, typer.Option("--attempts", min=1, max=20, help="Tries per request.")]
    = pull.PullOptions.attempts,
    fmt: FormatOption = Format.table,
) -> None:
    """Download the official exports from the state's open-data API, resumably, with checksums."""
    root = (into or config.home_dir() / "data").expanduser().resolve()
    datasets = [pull.dataset_by_id(d) for d in dataset] if dataset else pull.DATASETS
    options = pull.PullOptions(page_size=page_size, attempts=attempts)
    console = Console(stderr=True)
    with console.status("downloading", spinner="dots") if fmt is Format.table else nullcontext():
        entries = pull.pull(root, datasets, pull.base_url(base_url), options)
    emit(entries, fmt, title=f"Downloaded into {root}",
         columns=["dataset", "file", "status", "rows", "bytes", "sha256"],
         document={"data_root": str(root), "files": entries})
