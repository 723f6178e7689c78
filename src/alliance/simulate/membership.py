"""Members in a fiscal year under any parameters: the designation engine plus the selection modes.

The designation engine (rules/designation.py) designates the N lowest eligible districts plus the
grandfathered ones. The policy options "every eligible district below a bar" and "the lowest
share" are the same round with a different N: the number of eligible districts below the bar, or
the rounded-up share of the eligible count. So each round's N is set from ``selection.*`` (read
for the round's first fiscal year) and the engine does the rest: eligibility, grandfathering,
Opportunity status and the reasons.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from alliance.designations import RoundInputs
from alliance.parameters import Parameters
from alliance.rules.designation import RoundResult, compose_rounds, eligible_codes
from alliance.rules.designation_rounds import GIVEN, RoundRules, all_rounds, round_in_force
from alliance.rules.selection import SelectionRule

__all__ = ["RoundInputs", "designate", "members_frame", "ranking_frame", "selection_rules"]

MEMBER_COLUMNS = ["district_code", "district_name", "org_type", "status", "basis", "rank", "index",
                  "enrollment", "cohort_fy", "first_fy", "reason"]


def selection_rules(params: Parameters, rules: RoundRules, frame: pd.DataFrame) -> RoundRules:
    """The round's rules with N set by the selection mode in force for the round."""
    if rules.source == GIVEN:
        return rules
    selection = SelectionRule.from_parameters(params, rules.cohort_fy, count=rules.lowest_count)
    if selection.mode == "lowest_count":
        return rules
    eligible = frame[frame["district_code"].isin(eligible_codes(frame, rules))]
    index = pd.to_numeric(eligible["index"], errors="coerce")
    if selection.mode == "threshold":
        count = int((index < selection.threshold).sum())
    else:
        count = selection.count_for(len(eligible))
    return replace(rules, lowest_count=count, selection=selection.describe())


def designate(params: Parameters, fiscal_year: int, inputs: RoundInputs) -> RoundResult:
    """The round in force in ``fiscal_year`` under ``params``, earlier rounds composed in."""
    rounds = [selection_rules(params, r, inputs.frames[r.cohort_fy]) if r.source != GIVEN else r
              for r in all_rounds(params, fiscal_year)]
    in_force = round_in_force(rounds, fiscal_year)
    results = compose_rounds([r for r in rounds if r.cohort_fy <= in_force.cohort_fy],
                             inputs.frames, inputs.given_codes)
    return results[-1]


def members_frame(result: RoundResult) -> pd.DataFrame:
    """One row per member of the round, with status, basis, rank and reason."""
    rows = [d.record() for d in result.members]
    return pd.DataFrame(rows, columns=MEMBER_COLUMNS).sort_values("district_code").reset_index(drop=True)


def ranking_frame(result: RoundResult) -> pd.DataFrame:
    """Every district of the round: eligible, rank, index, designated (for robustness and tiers)."""
    rows = [{**d.record(), "eligible": d.eligible, "designated": d.designated}
            for d in result.designations]
    return pd.DataFrame(rows)
