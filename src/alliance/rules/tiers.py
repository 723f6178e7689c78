"""Support tiers for Alliance District members, assigned by rules, with the reasons shown.

A DESIGN proposal (tiered_support.md §4) built on the state's ESSA-plan supports:
- intensive: Opportunity Districts (the ten lowest);
- targeted: other members whose index is below a percentile of the eligible districts, or with
  several NGAS indicators far below target;
- light: the rest.
A member whose index fell by at least a set number of points since the previous results year
moves one tier more intensive. Every value is a parameter under parameters/tiers/.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

INTENSIVE, TARGETED, LIGHT = "intensive", "targeted", "light"
TIER_ORDER = (INTENSIVE, TARGETED, LIGHT)


@dataclass(frozen=True)
class TierRules:
    supports: dict[str, list[str]]
    opportunity_is_intensive: bool
    targeted_index_percentile: float
    far_below_target_ratio: float
    targeted_far_below_count: int
    decline_escalation_points: float

    @classmethod
    def from_parameters(cls, params, fiscal_year: int) -> TierRules:
        values = params.group("tiers", fiscal_year)
        supports = values["supports"]
        missing = [tier for tier in TIER_ORDER if tier not in supports]
        if missing:
            raise ValueError(f"tiers.supports lacks tier(s) {', '.join(missing)}")
        return cls(supports=supports,
                   opportunity_is_intensive=bool(values["opportunity_is_intensive"]),
                   targeted_index_percentile=float(values["targeted_index_percentile"]),
                   far_below_target_ratio=float(values["far_below_target_ratio"]),
                   targeted_far_below_count=int(values["targeted_far_below_count"]),
                   decline_escalation_points=float(values["decline_escalation_points"]))


def index_percentile(eligible_index: pd.Series, percentile: float) -> float:
    """The percentile of the eligible districts' indices (linear interpolation)."""
    values = eligible_index.dropna().to_numpy(dtype=float)
    if len(values) == 0:
        raise ValueError("no eligible district has an index: cannot compute the tier cut")
    return float(np.percentile(values, percentile))


def far_below_target_counts(points: pd.DataFrame, possible: pd.DataFrame, ratio: float) -> pd.Series:
    """Per row, the scored indicators (possible > 0) earning less than ``ratio`` of their points.

    ``points`` and ``possible`` have one column per indicator, in the same order; a missing
    points cell on a scored indicator counts as zero earned (the export does the same).
    """
    earned = points.to_numpy(dtype=float)
    available = possible.to_numpy(dtype=float)
    scored = np.nan_to_num(available) > 0
    below = np.nan_to_num(earned) < ratio * np.nan_to_num(available)
    return pd.Series((scored & below).sum(axis=1), index=points.index, dtype="int64")


def assign_tiers(members: pd.DataFrame, index_cut: float, rules: TierRules) -> pd.DataFrame:
    """Each member's tier, the reasons for it, and the supports it brings.

    ``members``: district_code, opportunity (bool), index, previous_index (NaN when none),
    previous_year (label), far_below_count. ``index_cut``: the eligible districts' index at the
    targeted percentile.
    """
    rows = [_tier_of(member, index_cut, rules) for member in members.to_dict("records")]
    decided = pd.DataFrame(rows, columns=["tier", "reasons"], index=members.index)
    supports = decided["tier"].map(lambda tier: list(rules.supports[tier]))
    return members.assign(tier=decided["tier"], reasons=decided["reasons"], supports=supports)


def _tier_of(member: dict, index_cut: float, rules: TierRules) -> tuple[str, list[str]]:
    tier, reasons = _base_tier(member, index_cut, rules)
    escalation = _decline_reason(member, rules)
    if escalation:
        if tier != INTENSIVE:
            tier = TIER_ORDER[TIER_ORDER.index(tier) - 1]
            escalation += ": one tier more intensive"
        reasons.append(escalation)
    return tier, reasons


def _base_tier(member: dict, index_cut: float, rules: TierRules) -> tuple[str, list[str]]:
    if member["opportunity"] and rules.opportunity_is_intensive:
        return INTENSIVE, ["Opportunity District (one of the lowest-ranked Alliance Districts)"]
    index, far = member["index"], member["far_below_count"]
    pct = f"{rules.targeted_index_percentile:g}th percentile of eligible districts ({index_cut:.1f})"
    if _missing(index):
        return LIGHT, ["no index in the results year: tier from Opportunity status only"]
    targeted = []
    if index < index_cut:
        targeted.append(f"index {index:.1f} below the {pct}")
    if far >= rules.targeted_far_below_count:
        targeted.append(f"{_indicators(far)} under {rules.far_below_target_ratio:.0%} of their points "
                        f"(targeted from {rules.targeted_far_below_count})")
    if targeted:
        return TARGETED, targeted
    return LIGHT, [f"index {index:.1f} at or above the {pct}; {_indicators(far)} under "
                   f"{rules.far_below_target_ratio:.0%} of their points "
                   f"(targeted from {rules.targeted_far_below_count})"]


def _indicators(count: int) -> str:
    return f"{count} indicator" if count == 1 else f"{count} indicators"


def _decline_reason(member: dict, rules: TierRules) -> str | None:
    index, previous = member["index"], member.get("previous_index")
    if _missing(index) or _missing(previous):
        return None
    change = index - previous
    if change > -rules.decline_escalation_points:
        return None
    return (f"index fell {-change:.1f} points since {member.get('previous_year')} "
            f"(escalates from {rules.decline_escalation_points:g})")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA
