"""A district's support tier and distance to exit, as the policy lab computes them.

The tier and exit rules (rules/tiers.py, rules/exit.py) are run exactly as ``alliance tiers`` and
``alliance exit`` run them: the lab's world read from the warehouse (``simulate.runner.load_world``)
and one side of current law (``simulate.side.run_side``). This module only picks out one district.

The fiscal year is the one whose tiers the review's last results year decides: that year's fiscal
year plus ``tiers.results_lag_years`` (results 2023-24 → FY2025 tiers), so the tier rests on the
results the review shows. Both rules are DESIGN proposals (tiered_support.md §4); exit is off under
current law (``exit.enabled``), and the distance is shown as if it were on.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliance.errors import UnknownEntityError
from alliance.parameters import Parameters
from alliance.simulate.runner import load_world, money_years
from alliance.simulate.side import run_side
from alliance.years import SchoolYear

TIER_BASIS = ("DESIGN proposal (tiered_support.md §4), parameters tiers.*; computed as `alliance tiers --fy "
              "{fy}` computes it")
EXIT_BASIS = ("DESIGN proposal (tiered_support.md §4), parameters exit.*; computed as `alliance exit --fy "
              "{fy}` computes it")
EXIT_KEYS = ("exit_bar", "index_gap", "indicators_short", "qualifying_years", "years_needed",
             "meets_criteria", "exits", "distance")


def decision_fiscal_year(params: Parameters, results_year: SchoolYear) -> int:
    """The fiscal year whose tiers ``results_year`` decides."""
    base = results_year.fiscal_year
    return base + int(params.get("tiers.results_lag_years", base))


def standing_in_policy_lab(warehouse_path: Path, params: Parameters, district_code: str,
                           results_year: SchoolYear) -> dict:
    """``tier`` and ``distance_to_exit`` of one district (None with a note when it is not a member)."""
    fiscal_year = decision_fiscal_year(params, results_year)
    world = load_world(warehouse_path, params, fiscal_year)
    side = run_side(world, params, fiscal_year, _money_years(warehouse_path, fiscal_year))
    found = side.members[side.members["district_code"] == district_code]
    if found.empty:
        note = (f"not an Alliance District in FY{fiscal_year} under current law, so it has no support tier "
                "and no exit to reach")
        return {"tier": None, "distance_to_exit": None, "tier_note": note}
    member = found.iloc[0].to_dict()
    enabled = bool(params.get("exit.enabled", fiscal_year))
    return {
        "tier": {"fiscal_year": fiscal_year, "results_year": side.results_year, "tier": member["tier"],
                 "reasons": list(member["reasons"] or []), "supports": list(member["supports"] or []),
                 "index": _number(member.get("latest_index")),
                 "tier_index_cut": _number(member.get("tier_cut")),
                 "basis": TIER_BASIS.format(fy=fiscal_year)},
        "distance_to_exit": {"fiscal_year": fiscal_year, "exit_enabled": enabled}
        | {key: _plain(member.get(key)) for key in EXIT_KEYS}
        | {"basis": EXIT_BASIS.format(fy=fiscal_year)
           + ("" if enabled else "; exit is off under current law (exit.enabled), shown as if on")},
        "tier_note": None,
    }


def _money_years(warehouse_path: Path, fiscal_year: int) -> list[int]:
    """The lab follows money too; the review needs none, so any year with ECS data will do."""
    try:
        return money_years(warehouse_path, fiscal_year, None)
    except UnknownEntityError:
        return money_years(warehouse_path, 0, None)[-1:]


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _plain(value):
    if value is None or (not isinstance(value, str | bool) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value
