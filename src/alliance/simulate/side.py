"""One side of a comparison: members, tiers, exits, students and money for a fiscal year under one
set of parameters. The baseline and a scenario are both computed here, by the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from alliance.parameters import Parameters
from alliance.rules.designation import eligible_codes
from alliance.rules.designation_rounds import all_rounds, round_in_force
from alliance.rules.exit import ExitRules, exit_status, phase_down
from alliance.rules.selection import SelectionRule
from alliance.rules.tiers import TierRules, assign_tiers, index_percentile
from alliance.simulate import inputs as io
from alliance.simulate.membership import RoundInputs, designate, members_frame, ranking_frame, selection_rules
from alliance.simulate.standing import standing_history, with_enrollment


@dataclass(frozen=True)
class World:
    """Everything read from the warehouse once and shared by every side."""

    inputs: RoundInputs
    accountability: pd.DataFrame   # district × results year, indicator points (io.results_history input)
    enrollment: pd.DataFrame       # district_code, fiscal_year, students
    high_needs: pd.DataFrame       # district_code, fiscal_year, high_needs_proxy
    withholding: io.Withholding  # (members, fiscal years) -> district_code, fiscal_year, amount


@dataclass(frozen=True)
class Side:
    fiscal_year: int
    members: pd.DataFrame      # members before exits, with tier, exit and student columns
    ranking: pd.DataFrame      # every district of the round in force, with its designation reason
    money: pd.DataFrame        # fiscal_year, withheld, released, added
    results_year: str | None
    rule: str
    # exiting members' conditioned money by fiscal year (rules.exit.phase_down columns)
    phase_down: pd.DataFrame = field(default_factory=pd.DataFrame)
    index_school_year: str | None = None   # the round's ranking year (members' ``index``)

    @property
    def remaining(self) -> pd.DataFrame:
        return self.members[~self.members["exits"]]


def latest_count(frame: pd.DataFrame, column: str, fiscal_year: int) -> pd.DataFrame:
    """Per district, ``column`` in the latest fiscal year at or before ``fiscal_year``."""
    known = frame[frame["fiscal_year"] <= fiscal_year].sort_values("fiscal_year")
    return known.groupby("district_code", as_index=False).last()[["district_code", column]]


def run_side(world: World, params: Parameters, fiscal_year: int, money_years: list[int]) -> Side:
    result = designate(params, fiscal_year, world.inputs)
    members = members_frame(result)
    tier_rules = TierRules.from_parameters(params, fiscal_year)
    history = io.results_history_from(world.accountability, tier_rules.far_below_target_ratio)
    rules = _round_rules(params, fiscal_year, world.inputs)
    selection = SelectionRule.from_parameters(params, rules.cohort_fy, count=rules.lowest_count)
    tier_year = io.latest_results_year(history, fiscal_year,
                                       int(params.get("tiers.results_lag_years", fiscal_year)))
    members = _with_tiers(members, history, world.enrollment, rules, tier_rules, tier_year)
    members = _with_exits(members, history, world.enrollment, rules, selection, params, fiscal_year)
    members = members.merge(latest_count(world.enrollment, "students", fiscal_year), on="district_code",
                            how="left")
    members = members.merge(latest_count(world.high_needs, "high_needs_proxy", fiscal_year),
                            on="district_code", how="left")
    money, freed = _money(members, params, fiscal_year, money_years, world.withholding)
    return Side(fiscal_year, members, ranking_frame(result), money, tier_year, selection.describe(), freed,
                rules.index_school_year)


def _round_rules(params: Parameters, fiscal_year: int, inputs: RoundInputs):
    rules = round_in_force(all_rounds(params, fiscal_year), fiscal_year)
    return selection_rules(params, rules, inputs.frames[rules.cohort_fy])


def _with_tiers(members, history, enrollment, rules, tier_rules, year) -> pd.DataFrame:
    if year is None:
        return members.assign(tier=None, reasons=None, supports=None, results_year=None, latest_index=None)
    years = io.results_years(history)
    previous = years[years.index(year) - 1] if years.index(year) > 0 else None
    year_frame = with_enrollment(history[history["school_year"] == year], enrollment)
    eligible_index = year_frame.loc[year_frame["district_code"].isin(eligible_codes(year_frame, rules)),
                                    "index"]
    cut = index_percentile(eligible_index, tier_rules.targeted_index_percentile)
    now = history.loc[history["school_year"] == year, ["district_code", "index", "far_below_count"]]
    before = history.loc[history["school_year"] == previous, ["district_code", "index"]]
    frame = (members[["district_code", "status"]]
             .merge(now, on="district_code", how="left")
             .merge(before.rename(columns={"index": "previous_index"}), on="district_code", how="left"))
    frame = frame.assign(opportunity=frame["status"] == "opportunity", previous_year=previous,
                         far_below_count=frame["far_below_count"].fillna(0).astype("int64"))
    tiered = assign_tiers(frame, cut, tier_rules).rename(columns={"index": "latest_index"})
    added = ["district_code", "latest_index", "previous_index", "previous_year", "far_below_count", "tier",
             "reasons", "supports"]
    merged = members.merge(tiered[added], on="district_code", how="left")
    return merged.assign(results_year=year, tier_cut=cut)


def _with_exits(members, history, enrollment, rules, selection, params, fiscal_year) -> pd.DataFrame:
    exit_rules = ExitRules.from_parameters(params, fiscal_year)
    lag = int(params.get("exit.results_lag_years", fiscal_year))
    last = io.latest_results_year(history, fiscal_year, lag)
    if last is None:
        return members.assign(exits=False, distance="no results yet", qualifying_years=0)
    standing = standing_history(history, enrollment, rules, selection, last)
    standing = standing[standing["district_code"].isin(set(members["district_code"]))]
    years = [y for y in io.results_years(history) if y <= last]
    status = exit_status(standing, years, exit_rules)
    keep = ["district_code", "exit_bar", "index_gap", "indicators_short", "qualifying_years",
            "years_needed", "meets_criteria", "exits", "distance"]
    merged = members.merge(status[keep], on="district_code", how="left")
    return merged.assign(exits=merged["exits"].fillna(False).astype(bool))


def _money(members, params, fiscal_year, money_years, withholding) -> tuple[pd.DataFrame, pd.DataFrame]:
    amounts = withholding(members, money_years)
    exits = members.loc[members["exits"], ["district_code"]].assign(exit_fy=fiscal_year)
    share = float(params.get("exit.phase_down_share", fiscal_year))
    freed = phase_down(exits, amounts, share)
    staying = amounts[amounts["district_code"].isin(set(members.loc[~members["exits"], "district_code"]))]
    rows = []
    for year in money_years:
        grants = _targeted_grants(members[~members["exits"]], params, year)
        this_year = freed[freed["fiscal_year"] == year]
        rows.append({
            "fiscal_year": year,
            "withheld": int(staying.loc[staying["fiscal_year"] == year, "amount"].sum())
            + int(this_year["still_conditioned"].sum()),
            "released": int(this_year["freed"].sum()),
            "added": grants,
        })
    return pd.DataFrame(rows), freed


def _targeted_grants(members: pd.DataFrame, params: Parameters, fiscal_year: int) -> int:
    per_student = params.get("targeted_grants.per_student_by_tier", fiscal_year)
    total = Decimal(0)
    for tier, students in zip(members["tier"], members["students"], strict=True):
        if tier is None or pd.isna(students):
            continue
        total += Decimal(str(per_student.get(tier, 0))) * int(students)
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
