"""``alliance params``: the rule values in force and their citations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import typer

from alliance.commands.common import FormatOption, fiscal_year_from
from alliance.output import Format, emit
from alliance.parameters import load_parameters


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
    """Print a parameter's value (for a fiscal year, or its whole history) and its citations.

    A structured value (a mapping or a list of mappings) prints one row per entry, with a
    column per date."""
    parameter = load_parameters().parameter(name)
    if fy is not None:
        year = fiscal_year_from(fy)
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
    if parameter.note:
        caption += f"\nnote: {parameter.note.strip()}"
    emit(_value_rows(history), fmt, title=parameter.name, caption=caption, document=document)


def _value_rows(history: list[dict]) -> list[dict]:
    """One row per date for a plain value; for a structured one, a row per entry and a column per
    date (``growth.pi_ela_all`` | 2015-07-01 | 2018-07-01)."""
    labels = [next(iter(h.values())) for h in history]
    flat = [dict(_entries(h["value"])) for h in history]
    if all(list(entries) == [""] for entries in flat):
        label = next(iter(history[0]))
        return [{label: date, "value": entries[""]} for date, entries in zip(labels, flat, strict=True)]
    keys = list(dict.fromkeys(key for entries in flat for key in entries))
    return [{"entry": key, **{date: entries.get(key) for date, entries in zip(labels, flat, strict=True)}}
            for key in keys]


def _entries(value: Any, key: str = ""):
    """(key path, value) for every entry; a list of plain values stays one entry."""
    if isinstance(value, Mapping):
        for name, item in value.items():
            yield from _entries(item, f"{key}.{name}" if key else str(name))
    elif isinstance(value, list) and any(isinstance(item, Mapping | list) for item in value):
        for position, item in enumerate(value, start=1):
            yield from _entries(item, f"{key}.{position}" if key else str(position))
    elif isinstance(value, list):
        yield key, ", ".join(str(item) for item in value)
    else:
        yield key, value


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
        rows.append({"name": name, "latest": _brief(value), "since": str(day), "unit": p.unit,
                     "confidence": p.confidence})
    emit(rows, fmt, title="Parameters", caption="a structured value: `alliance params show NAME`")


def _brief(value: Any) -> str:
    entries = dict(_entries(value))
    if list(entries) == [""]:
        return "" if entries[""] is None else str(entries[""])
    return f"{len(entries)} entries"
