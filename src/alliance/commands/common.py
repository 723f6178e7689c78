"""Options shared by every command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alliance.output import Format

FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="How to print: table, json or csv.")
]
DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="Source-data root laid out as raw/<source>/ (default: "
                 "$ALLIANCE_DATA, else ../shared/data)."),
]
FiscalYearOption = Annotated[
    str, typer.Option("--fy", help="Fiscal year, e.g. 2026 or FY2026 (FY2026 = school year 2025-26).")
]
