"""Money: the ECS dollars withheld for Alliance District plans, by fiscal year, from the ECS engine.

Withheld = the withholding rule (``rules/withholding.py``) applied to each fiscal year's members as
the designation engine decides them (one run per year), mapped to towns by
``data/ecs_tables.towns_of_members``, summed over towns. Where CSDE published an Alliance breakout
(``ecs_entitlement.alliance_portion``) the computed figure sits beside the published one, with the
difference town by town. Released = approved plans' releases, which only plan records can tell:
until they exist the figure is unavailable (None), never zero.
A year the engine cannot compute (a missing base-year grant, an undecidable cohort) is reported with
its reason, not dropped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliance.analytics.membership import members_for_fiscal_year
from alliance.data import ecs_tables
from alliance.errors import DataError, ParameterError, UnknownEntityError
from alliance.parameters import Parameters
from alliance.rules.withholding import NOTHING_WITHHELD, alliance_withholding, base_years_in_force

BASIS = ("computed by the ECS engine: the withholding rule (rules/withholding.py, C.G.S. § 10-262u(c)) "
         "on CSDE's final ECS entitlements, for the members the designation engine gives each fiscal "
         "year; whole dollars")
RELEASED_STATUS = ("unavailable: money is released when the commissioner approves a district's plan, and "
                   "no plan records exist yet")
SHOWN_TOWNS = 3  # towns named in a reconciliation line; the rest are in the by-town table


def alliance_money(warehouse_path: Path, params: Parameters) -> dict:
    """Withheld by fiscal year, published beside computed, for every fiscal year with ECS data."""
    records = ecs_tables.entitlements(warehouse_path)
    town_table = ecs_tables.towns(warehouse_path)
    years, before = _program_years(records, params)
    results = [_year(records, town_table, warehouse_path, params, year) for year in years]
    return {
        "basis": BASIS,
        "membership_source": ecs_tables.MEMBERSHIP_SOURCE,
        "released_status": RELEASED_STATUS,
        "years_before_program": before,
        "by_year": [summary for summary, _ in results],
        "by_town": [row for _, towns in results for row in towns],
    }


def _program_years(records: pd.DataFrame, params: Parameters) -> tuple[list[int], list[int]]:
    """Fiscal years with entitlements, split into those the withholding rule governs and earlier ones."""
    known = sorted(int(y) for y in records["fiscal_year"].unique())
    governed = [y for y in known if _has_base_years(params, y)]
    return governed, [y for y in known if y not in governed]


def _has_base_years(params: Parameters, fiscal_year: int) -> bool:
    try:
        params.get("withholding.base_year", fiscal_year)
    except ParameterError:
        return False
    return True


def _year(records: pd.DataFrame, town_table: pd.DataFrame, warehouse_path: Path, params: Parameters,
          fiscal_year: int) -> tuple[dict, list[dict]]:
    published = records[records["fiscal_year"] == fiscal_year]
    try:
        members = members_for_fiscal_year(fiscal_year, warehouse_path, params).members
        towns = ecs_tables.towns_of_members(members, town_table, fiscal_year)
        base_years, exceptions = base_years_in_force(params, fiscal_year)
        computed = alliance_withholding(records, towns, base_years, fiscal_year, exceptions)
    except (DataError, ParameterError, UnknownEntityError) as exc:
        return _unavailable(fiscal_year, published, str(exc)), []
    names = dict(zip(towns["town_code"].astype(int), towns["district_name"], strict=True))
    rows = _town_rows(computed, published, names)
    return _summary(fiscal_year, members, computed, published, rows), rows


def _town_rows(computed: pd.DataFrame, published: pd.DataFrame, names: dict[int, str]) -> list[dict]:
    """Every town that is a member or has a published portion, or where the two disagree."""
    printed = {int(t): _int(p) for t, p in zip(published["town_code"], published["alliance_portion"],
                                               strict=True)}
    rows = []
    for row in computed.to_dict("records"):
        town = int(row["town_code"])
        official = printed.get(town)
        difference = None if official is None else int(row["alliance_portion"]) - official
        if not (row["member"] or official or difference):
            continue
        rows.append({"fiscal_year": int(row["fiscal_year"]), "town_code": town, "town": row["town"],
                     "district_name": names.get(town), "member": bool(row["member"]),
                     "cohort_fy": _int(row["cohort_fy"]), "base_fy": _int(row["base_fy"]),
                     "alliance_portion": int(row["alliance_portion"]), "published_alliance_portion": official,
                     "difference": difference, "status": row["status"], "reason": row["reason"]})
    return rows


def _summary(fiscal_year: int, members: pd.DataFrame, computed: pd.DataFrame, published: pd.DataFrame,
             rows: list[dict]) -> dict:
    member_rows = [r for r in rows if r["member"]]
    printed = published["alliance_portion"].dropna()
    withheld = sum(r["alliance_portion"] for r in rows)
    official = int(printed.sum()) if len(printed) else None
    return {
        "fiscal_year": fiscal_year,
        "members": len(members),
        "member_towns": len(member_rows),
        "towns_with_withholding": sum(1 for r in member_rows if r["alliance_portion"] > 0),
        "withheld": withheld,
        "published_withheld": official,
        "difference": None if official is None else withheld - official,
        "reconciliation": _reconciliation(withheld, official, rows),
        "members_nothing_withheld": sorted(r["town"] for r in member_rows if r["status"] == NOTHING_WITHHELD),
        "regional_members_without_ecs": ecs_tables.regional_members(members),
        "released": None,
        "released_status": RELEASED_STATUS,
        "ecs_entitlement": int(computed["entitlement"].sum()),
        "towns_without_breakout": int(published["alliance_portion"].isna().sum()),
        "unavailable_reason": None,
    }


def _reconciliation(withheld: int, official: int | None, rows: list[dict]) -> str:
    if official is None:
        return "no published Alliance breakout for this year: computed only"
    if withheld == official and not any(r["difference"] for r in rows):
        return "computed equals published"
    towns = [f"{r['town']} {r['difference']:+,}" for r in rows if r["difference"]]
    shown = "; ".join(towns[:SHOWN_TOWNS]) + (f"; {len(towns) - SHOWN_TOWNS} more towns in money_by_town"
                                               if len(towns) > SHOWN_TOWNS else "")
    return f"computed − published = {withheld - official:+,} ({len(towns)} towns: {shown})"


def _unavailable(fiscal_year: int, published: pd.DataFrame, reason: str) -> dict:
    printed = published["alliance_portion"].dropna()
    return {"fiscal_year": fiscal_year, "members": None, "member_towns": None, "towns_with_withholding": None,
            "withheld": None, "published_withheld": int(printed.sum()) if len(printed) else None,
            "difference": None, "reconciliation": f"not computed: {reason}",
            "members_nothing_withheld": None, "regional_members_without_ecs": None,
            "released": None, "released_status": RELEASED_STATUS,
            "ecs_entitlement": int(published["entitlement"].sum()),
            "towns_without_breakout": int(published["alliance_portion"].isna().sum()),
            "unavailable_reason": reason}


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
