"""ECS speed: the whole state (169 towns) for every year with formula inputs (FY2024-FY2026).

The engine computes each year on whole-state arrays; the baseline is the plain way: a Python loop over
towns with the same exact Decimal arithmetic and the same parameters. Both must give the same dollars.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from alliance.data.ecs_tables import inputs_from_worksheet
from alliance.data.readers import ecs
from alliance.parameters import load_parameters
from alliance.rules.ecs import EcsRules, compute_entitlements, decimal, wealth_medians

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "raw" / "edbot317-public-ct-ed-data"


@pytest.fixture(scope="module")
def years() -> dict[int, tuple[pd.DataFrame, EcsRules]]:
    worksheet = ecs.read_inputs_file(DATA / ecs.INPUTS_FILE)
    params = load_parameters()
    return {int(fy): (inputs_from_worksheet(frame), EcsRules.from_parameters(params, int(fy)))
            for fy, frame in worksheet.groupby("fiscal_year")}


def whole_state(years) -> dict[int, list[int]]:
    return {fy: list(compute_entitlements(inputs, rules)["entitlement"])
            for fy, (inputs, rules) in years.items()}


def _r(rules: EcsRules, value: Decimal, step: str) -> Decimal:
    return rules.round([value], step)[0]


def one_town(town: dict, rules: EcsRules, engl_threshold: Decimal, mhi_threshold: Decimal) -> int:
    """The baseline: one town at a time, scalar Decimal arithmetic."""
    d = {k: decimal(v) for k, v in town.items() if k not in ("town", "alliance", "priority", "pic_rank")}
    excess = _r(rules, max(d["frpl_count"] - rules.concentrated_poverty_threshold * d["resident_students"],
                           Decimal(0)), "excess_need_students")
    need = (d["resident_students"] + rules.low_income_weight * d["frpl_count"]
            + _r(rules, rules.concentrated_poverty_weight * excess, "weighted_excess_need_students")
            + rules.english_learner_weight * d["ell_count"])
    engl = _r(rules, d["engl_per_capita"] / engl_threshold, "wealth_factor")
    mhi = _r(rules, d["mhi"] / mhi_threshold, "wealth_factor")
    ratio = _r(rules, 1 - (rules.property_weight * engl + rules.income_weight * mhi), "base_aid_ratio")
    designated = town["alliance"] or town["priority"]
    ratio = max(ratio, rules.floor_alliance_or_priority if designated else rules.floor_other)
    rank = int(town["pic_rank"] or 0)
    ratio += next((points for max_rank, points in rules.pic_tiers if 1 <= rank <= max_rank), Decimal(0))
    full = (_r(rules, need * ratio * rules.foundation, "base_formula_aid")
            + d["rsd_students"] * d["rsd_grades"] * rules.regional_bonus
            + d["endowed_students"] * d["endowed_grades"] * rules.endowed_bonus)
    bases = {"fy2017": d["fy2017_grant"], "prior": d["prior_grant"]}
    gap = full - bases[rules.gap_base]
    amount = bases[rules.start_base] + (rules.underfunded_share if gap > 0 else rules.overfunded_share) * gap
    if town["alliance"]:
        amount = max([amount, *(bases[name] for name in rules.hold_harmless)])
    return int(_r(rules, amount, "entitlement"))


def town_loop(years) -> dict[int, list[int]]:
    out = {}
    for fy, (inputs, rules) in years.items():
        medians = wealth_medians(inputs)
        factor = rules.wealth_threshold_factor
        engl_threshold = _r(rules, medians.engl_per_capita * factor, "wealth_threshold")
        mhi_threshold = _r(rules, medians.mhi * factor, "wealth_threshold")
        out[fy] = [one_town(town, rules, engl_threshold, mhi_threshold) for town in inputs.to_dict("records")]
    return out


@pytest.mark.benchmark(group="ecs-whole-state-every-year")
def test_whole_state_engine(benchmark, years):
    result = benchmark(whole_state, years)
    assert sorted(result) == [2024, 2025, 2026] and all(len(v) == 169 for v in result.values())
    assert result == town_loop(years)


@pytest.mark.benchmark(group="ecs-whole-state-every-year")
def test_town_by_town_baseline(benchmark, years):
    result = benchmark(town_loop, years)
    assert all(len(v) == 169 for v in result.values())
