"""``alliance params``: the rule values in force and their citations."""

from __future__ import annotations

from typing import Annotated

import typer

from alliance.commands.common import FormatOption
from alliance.output import Format, emit
from alliance.parameters import load_parameters
from alliance.years import parse_fiscal_year


def register(app: typer.Typer) -> None:
    params = typer.Typer(help="Rule values (parameters): what is in force, and why.",
                         no_args_is_help=True)
    params.command("show")(show)
    params.command("list")(list_parameters)
    app.add_typer(params, name="params")


def show(
    name: Annotated[str, typer.Argument(help="Dotted name, e.g. designation.lowest_count")],
    fy: Annotated[str | None, typer.Option("--fy", help="Fiscal year (default: every dated value)")]
    = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Print a parameter's value (for a fiscal year, or its whole history) and its citations."""
    parameter = load_parameters().parameter(name)
    if fy is not None:
        year = parse_fiscal_year(fy)
        history = [{"fiscal_year": f"FY{year}", "value": parameter.value_for(year)}]
    else:
        history = [{"effective": str(day), "value": value} for day, value in parameter.values.items()]
    document = {
        "name": parameter.name,
        "description": parameter.description,
        "unit": parameter.unit,
        "confidence": parameter.confidence,
        "values": history,
        "reference": [ref.model_dump() for ref in parameter.reference],
        "note": parameter.note,
    }
    caption = f"{parameter.description}\nunit: {parameter.unit}; confidence: {parameter.confidence}\n" \
              f"source: {parameter.citation()}"
    rows = [{k: (str(v) if not isinstance(v, int | float) else v) for k, v in h.items()}
            for h in history]
    emit(rows, fmt, title=parameter.name, caption=caption, document=document)


def list_parameters(
    prefix: Annotated[str, typer.Argument(help="Only names starting with this")] = "",
    fmt: FormatOption = Format.table,
) -> None:
    """List every parameter with its latest value and confidence."""
    params = load_parameters()
    rows = []
    for name in params.names():
        if not name.startswith(prefix):
            continue
        p = params.parameter(name)
        day, value = list(p.values.items())[-1]
        rows.append({"name": name, "latest": str(value), "since": str(day), "unit": p.unit,
                     "confidence": p.confidence})
    emit(rows, fmt, title="Parameters")
