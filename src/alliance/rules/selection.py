"""Which eligible districts a designation round selects by index: the N lowest, every district
below a bar, or the lowest share. Current law is the N lowest (C.G.S. § 10-262u(a)(1)); the other
two are the policy options of MISSION.md ("a fixed count, not a standard").

Ranking is by index, ties broken by district code, the order every module here uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

MODES = ("lowest_count", "threshold", "percentile")


@dataclass(frozen=True)
class SelectionRule:
    mode: str
    count: int
    threshold: float
    percentile: float

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown selection mode {self.mode!r} (known: {', '.join(MODES)})")

    @classmethod
    def from_parameters(cls, params, fiscal_year: int, count: int | None = None) -> SelectionRule:
        """The rule in force; ``count`` defaults to designation.lowest_count for the year."""
        if count is None:
            count = int(params.get("designation.lowest_count", fiscal_year))
        return cls(mode=params.get("selection.mode", fiscal_year), count=count,
                   threshold=float(params.get("selection.index_threshold", fiscal_year)),
                   percentile=float(params.get("selection.percentile", fiscal_year)))

    def count_for(self, eligible: int) -> int:
        """How many of ``eligible`` ranked districts a count-based rule selects."""
        if self.mode == "percentile":
            # a tiny tolerance keeps 20 % of 150 at 30, not 31 through float error
            return min(eligible, math.ceil(self.percentile / 100 * eligible - 1e-9))
        return min(eligible, self.count)

    def describe(self) -> str:
        if self.mode == "threshold":
            return f"index below {self.threshold:g}"
        if self.mode == "percentile":
            return f"lowest {self.percentile:g} % of eligible districts"
        return f"{self.count} lowest"


def rank_order(eligible: pd.DataFrame) -> pd.DataFrame:
    """Eligible districts from lowest index up (ties by district code), with ``rank`` from 1."""
    ranked = eligible.sort_values(["index", "district_code"], kind="stable").reset_index(drop=True)
    return ranked.assign(rank=range(1, len(ranked) + 1))


def select(eligible: pd.DataFrame, rule: SelectionRule) -> pd.DataFrame:
    """Ranked eligible districts with ``selected`` (bool) and the ``cut``: highest selected index."""
    ranked = rank_order(eligible)
    if rule.mode == "threshold":
        chosen = ranked["index"] < rule.threshold
    else:
        chosen = ranked["rank"] <= rule.count_for(len(ranked))
    return ranked.assign(selected=chosen.to_numpy())


def cut_index(selection: pd.DataFrame) -> float | None:
    """The highest index among selected districts (the designation cut); None if none selected."""
    chosen = selection.loc[selection["selected"], "index"]
    return float(chosen.max()) if len(chosen) else None
