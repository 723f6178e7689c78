"""Options shared by every command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from alliance.codes import normalize_district_code
from alliance.errors import UnknownEntityError
from alliance.output import Format
from alliance.years import fiscal_year_of_date, parse_fiscal_year

FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="How to print: table, json or csv.")
]
DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="Source-data root laid out as raw/<source>/ (default: "
                 "$ALLIANCE_DATA, else ../shared/data)."),
]
FiscalYearOption = Annotated[
    str | None,
    typer.Option("--fy", help="Fiscal year, e.g. 2026 or FY2026 (FY2026 = school year 2025-26); "
                 "default: the current fiscal year."),
]


def fiscal_year_from(text: str | None, default: int | None = None, option: str = "--fy") -> int:
    """The fiscal year a user typed in ``option``; when none, ``default`` or the one running today."""
    if text is None:
        return default if default is not None else fiscal_year_of_date(dt.date.today())
    try:
        return parse_fiscal_year(text)
    except ValueError as exc:
        raise UnknownEntityError(f"{option}: {exc}") from None


def district_code_from(text: str) -> str:
    """The 7-digit district code a user typed (``640011`` and ``="0640011"`` are accepted)."""
    try:
        return normalize_district_code(text)
    except ValueError as exc:
        raise UnknownEntityError(f"{exc} (a district code has 7 digits, e.g. 0640011 for Hartford)") from None
