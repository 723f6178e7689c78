"""``alliance ecs``: each town's ECS entitlement, its Alliance withholding, and how the formula got there."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer

from alliance import config
from alliance.commands.common import FormatOption, fiscal_year_from
from alliance.data import ecs_tables
from alliance.errors import UnknownEntityError
from alliance.output import Format, emit
from alliance.parameters import load_parameters
from alliance.rules.ecs import EcsRules, compute_entitlements
from alliance.rules.ecs_explain import explain_entitlement
from alliance.rules.withholding import NOTHING_WITHHELD, alliance_withholding, base_years_in_force
from alliance.years import fiscal_year_of_date

TABLE_COLUMNS = ["town_code", "town", "entitlement", "formula_entitlement", "base_fy", "base_grant",
                 "alliance_portion", "education_diversity_portion", "non_alliance_portion", "status"]
OPTIONAL_COLUMNS = ("formula_entitlement", "education_diversity_portion")
# CSV has no caption to carry the year or the release note, so it carries them as columns
CSV_COLUMNS = ["fiscal_year", *TABLE_COLUMNS[:-1], "released", "still_withheld", "status"]
SOURCE_NOTE = "CSDE ECS entitlements and Alliance breakout; OFA/CSDE ECS shells (via edbot317, CC-BY-4.0)"


def register(app: typer.Typer) -> None:
    app.command("ecs")(ecs)


def ecs(
    fy: Annotated[str | None, typer.Option("--fy", help="Fiscal year, e.g. 2026 or FY2026 (default: the "
                                           "latest with published entitlements)")] = None,
    town: Annotated[str | None, typer.Option("--town", help="Town name or code 1-169 (default: all)")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Every formula step for --town, with its "
                                          "parameter and citation")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """ECS entitlement, base-year grant, Alliance portion, other portions and status, by town."""
    warehouse = config.warehouse_path()
    fiscal_year = fiscal_year_from(fy) if fy is not None else ecs_tables.latest_year(warehouse)
    params = load_parameters()
    _require_withholding_year(params, fiscal_year)
    town_code = ecs_tables.resolve_town(town, ecs_tables.towns(warehouse)) if town is not None else None
    if explain:
        if town_code is None:
            raise UnknownEntityError("--explain needs --town NAME|CODE")
        _print_explanation(warehouse, params, fiscal_year, town_code, fmt)
        return
    rows = town_rows(warehouse, params, fiscal_year)
    if town_code is not None:
        rows = [row for row in rows if row["town_code"] == town_code]
    shown = [_for_table(row) for row in rows] if fmt is Format.table else rows
    columns = _shown_columns(rows, CSV_COLUMNS if fmt is Format.csv else TABLE_COLUMNS)
    emit(shown, fmt, title=f"ECS entitlements and Alliance withholding, FY{fiscal_year}",
         columns=columns, caption=_caption(rows))


def _require_withholding_year(params, fiscal_year: int) -> None:
    """Before the first dated base year there is no Alliance withholding to show: say so plainly."""
    first = fiscal_year_of_date(next(iter(params.parameter("withholding.base_year").values)))
    if fiscal_year < first:
        raise UnknownEntityError(
            f"the Alliance withholding starts in FY{first} (withholding.base_year); FY{fiscal_year} "
            f"has no Alliance portion to compute. Try --fy {first} or later.")


def _for_table(row: dict) -> dict:
    return {**row, "base_fy": f"FY{row['base_fy']}" if row["base_fy"] is not None else None}


def _shown_columns(rows: list[dict], columns: list[str]) -> list[str]:
    """Leave out a column that has nothing to show this year (no formula inputs, no diversity carve-out)."""
    return [c for c in columns
            if c not in OPTIONAL_COLUMNS or any(row.get(c) not in (None, 0) for row in rows)]


def town_rows(warehouse, params, fiscal_year: int) -> list[dict]:
    """Withholding for every town, with the formula's entitlement where inputs exist."""
    records = ecs_tables.entitlements(warehouse)
    published = records[records["fiscal_year"] == fiscal_year].set_index("town_code")
    if published.empty:
        years = sorted(records["fiscal_year"].unique())
        raise UnknownEntityError(f"no ECS entitlements for FY{fiscal_year} "
                                 f"(available: FY{years[0]}-FY{years[-1]})")
    base_years, exceptions = base_years_in_force(params, fiscal_year)
    membership = ecs_tables.membership_for(fiscal_year, warehouse, params=params)
    withheld = alliance_withholding(records, membership, base_years, fiscal_year, exceptions)
    formula = _formula_entitlements(warehouse, params, fiscal_year)
    basis = membership.set_index("town_code")["basis"]
    rows = []
    for row in withheld.to_dict("records"):
        code = row["town_code"]
        rows.append({**row, "formula_entitlement": formula.get(code),
                     "published_alliance_portion": _int_or_none(published.at[code, "alliance_portion"]),
                     "membership_basis": basis.get(code),
                     "membership_source": ecs_tables.MEMBERSHIP_SOURCE, "source": SOURCE_NOTE})
    return rows


def _formula_entitlements(warehouse, params, fiscal_year: int) -> dict[int, int]:
    if fiscal_year not in ecs_tables.input_years(warehouse):
        return {}
    result = compute_entitlements(ecs_tables.formula_inputs(warehouse, fiscal_year),
                                  EcsRules.from_parameters(params, fiscal_year))
    return dict(zip(result["town_code"].astype(int), result["entitlement"], strict=True))


def _int_or_none(value):
    return None if pd.isna(value) else int(value)


def _caption(rows: list[dict]) -> str:
    members = [r for r in rows if r["member"]]
    idle = [r["town"] for r in members if r["status"] == NOTHING_WITHHELD]
    total = sum(r["alliance_portion"] for r in members)
    lines = [f"Alliance members shown: {len(members)}; withheld in total ${total:,}.",
             f"Members with nothing withheld, so no plan obligation: {', '.join(idle) or 'none'}.",
             _published_check(rows),
             f"membership source: {ecs_tables.MEMBERSHIP_SOURCE}.",
             "Released and still withheld: unknown (blank in CSV, null in JSON) until plan records exist; "
             "the Alliance portion is the amount conditioned on an approved plan.",
             f"source: {SOURCE_NOTE}"]
    if len(rows) == 1:
        lines.insert(0, f"{rows[0]['town']}: {rows[0]['reason']}. Membership: {rows[0]['membership_basis']}.")
    return "\n".join(lines)


def _published_check(rows: list[dict]) -> str:
    """Whether the computed Alliance portion equals CSDE's published one, town by town."""
    known = [r for r in rows if r["published_alliance_portion"] is not None]
    differ = [r for r in known if r["alliance_portion"] != r["published_alliance_portion"]]
    if not known:
        return "CSDE publishes no Alliance breakout for this year: nothing to check against."
    if not differ:
        towns = "the one town shown" if len(known) == 1 else f"all {len(known)} towns"
        return f"Computed Alliance portion = CSDE's published portion for {towns}."
    listed = ", ".join(f"{r['town']} {r['alliance_portion']:,} vs {r['published_alliance_portion']:,}"
                       for r in differ[:5])
    more = f" and {len(differ) - 5} more" if len(differ) > 5 else ""
    return (f"Computed Alliance portion differs from CSDE's published one for {len(differ)} of {len(known)} "
            f"towns (computed vs published): {listed}{more}; see docs/methodology.md.")


def _print_explanation(warehouse, params, fiscal_year: int, town_code: int, fmt: Format) -> None:
    inputs = ecs_tables.formula_inputs(warehouse, fiscal_year)
    rules = EcsRules.from_parameters(params, fiscal_year)
    result = compute_entitlements(inputs, rules)
    position = inputs.index[inputs["town_code"] == town_code][0]
    steps = explain_entitlement(inputs.loc[position], result.loc[position], rules, params)
    withheld = next(row for row in town_rows(warehouse, params, fiscal_year) if row["town_code"] == town_code)
    steps += withholding_steps(withheld, params, fiscal_year)
    town = result.at[position, "town"]
    emit(steps, fmt, title=f"ECS entitlement and Alliance withholding of {town}, FY{fiscal_year}: every step",
         columns=["step", "formula", "value", "parameters", "citation"], caption=f"source: {SOURCE_NOTE}")


def withholding_steps(row: dict, params, fiscal_year: int) -> list[dict]:
    """The withholding after the formula: membership (designation engine), base year, portions."""
    def cite(*names: str) -> str:
        return "; ".join(f"{n}: {params.parameter(n).citation()}" for n in names)

    membership = {"step": "Alliance membership", "formula": row["membership_basis"] or "not designated",
                  "value": "member" if row["member"] else "not a member",
                  "parameters": "designation.lowest_count, designation.grandfather_window (alliance "
                  f"designate --fy {fiscal_year} --explain CODE shows every step)",
                  "citation": cite("designation.lowest_count", "designation.grandfather_window")}
    if not row["member"]:
        return [membership]
    exceptions = params.get("withholding.base_year_exceptions", fiscal_year) or {}
    if row["town_code"] in exceptions:
        setting = f"withholding.base_year_exceptions: town {row['town_code']} → FY{row['base_fy']}"
        names = ("withholding.base_year_exceptions",)
    else:
        setting = f"withholding.base_year: cohort FY{row['cohort_fy']} → FY{row['base_fy']}"
        names = ("withholding.base_year",)
    base = {"step": "withholding base year", "formula": f"first designated FY{row['cohort_fy']}",
            "value": f"FY{row['base_fy']} grant {row['base_grant']}", "parameters": setting,
            "citation": cite(*names)}
    portion = {"step": "Alliance portion (withheld)", "formula": row["reason"],
               "value": str(row["alliance_portion"]), "parameters": "", "citation": ""}
    rest = {"step": "non-Alliance portion", "formula": "entitlement − Alliance portion − education-diversity "
            "portion", "value": str(row["non_alliance_portion"]), "parameters": "", "citation": ""}
    unknown = row["released"] is None
    release = {"step": "released / still withheld",
               "formula": ("released when the commissioner approves the plan (C.G.S. § 10-262u(c)); "
                           "no plan records yet") if unknown else "nothing withheld, nothing to release",
               "value": "unknown" if unknown else f"{row['released']} / {row['still_withheld']}",
               "parameters": "", "citation": ""}
    return [membership, base, portion, rest, release]
