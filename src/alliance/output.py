"""Print records as a rich table, JSON or CSV: the one ``--format`` every command shares."""

from __future__ import annotations

import csv
import enum
import json
import math
import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


class Format(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _plain(value: Any) -> Any:
    """JSON-safe: NaN becomes null, Decimals and numpy scalars become numbers."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _cell(value: Any, digits: int) -> str:
    value = _plain(value)
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def emit(
    rows: Sequence[Mapping[str, Any]],
    fmt: Format,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    digits: int = 2,
    caption: str | None = None,
    document: Mapping[str, Any] | None = None,
) -> None:
    """Print rows. ``columns`` picks the table/CSV columns; JSON always carries every field.

    ``document``, when given, is printed for JSON instead of the bare list of rows.
    """
    if fmt is Format.json:
        payload = _plain(document) if document is not None else [_plain(r) for r in rows]
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if _plain(row.get(c)) is None else _plain(row.get(c))
                             for c in columns])
        return
    table = Table(title=escape(title) if title else None, show_lines=False,
                  min_width=len(title) + 4 if title else None)  # room for the title on one line
    cells = [[_cell(row.get(c), digits) for c in columns] for row in rows]
    widths = [min(max([len(c)] + [len(line[i]) for line in cells]), _NO_WRAP_WIDTH)
              for i, c in enumerate(columns)]
    console = _console(needed=sum(w + 3 for w in widths) + 1)
    keep_whole = sum(w + 3 for w in widths) + 1 <= console.width  # else let every column wrap
    for position, column in enumerate(columns):
        numeric = any(isinstance(_plain(r.get(column)), int | float) for r in rows[:20])
        whole = keep_whole and widths[position] < _NO_WRAP_WIDTH
        table.add_column(column, justify="right" if numeric else "left",
                         no_wrap=whole, min_width=widths[position] if whole else None)
    for line in cells:
        table.add_row(*(escape(cell) for cell in line))
    console.print(table)
    if caption:  # below the table at the page's width: a caption inside wraps to a narrow table's width
        console.print(escape(caption), style="italic", highlight=False)


_NO_WRAP_WIDTH = 28


def _console(needed: int = 0) -> Console:
    """The terminal's width on a terminal; to a file or pipe, a page wide enough for the table."""
    console = Console()
    return console if console.is_terminal else Console(width=max(_PIPE_WIDTH, needed))


_PIPE_WIDTH = 180
