"""Support tiers and their reasons (rules/tiers.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from alliance.parameters import load_parameters
from alliance.rules.tiers import TierRules, assign_tiers, far_below_target_counts, index_percentile

RULES = TierRules(
    supports={"intensive": ["site visits and monitoring"], "targeted": ["in-depth program review"],
              "light": ["mandatory training modules on targets not met"]},
    opportunity_is_intensive=True, targeted_index_percentile=25, far_below_target_ratio=0.5,
    targeted_far_below_count=4, decline_escalation_points=2.0)


def _member(code, index, previous=math.nan, opportunity=False, far=0):
    return {"district_code": code, "opportunity": opportunity, "index": index,
            "previous_index": previous, "previous_year": "2023-24", "far_below_count": far}


def _tiers(*members, cut=65.0):
    frame = assign_tiers(pd.DataFrame(list(members)), cut, RULES)
    return {row["district_code"]: (row["tier"], row["reasons"]) for row in frame.to_dict("records")}


def test_opportunity_district_is_intensive():
    tier, reasons = _tiers(_member("A", 50.0, opportunity=True))["A"]
    assert tier == "intensive"
    assert reasons == ["Opportunity District (one of the lowest-ranked Alliance Districts)"]


def test_low_index_is_targeted_with_the_cut_in_the_reason():
    tier, reasons = _tiers(_member("B", 62.3, far=1))["B"]
    assert tier == "targeted"
    assert reasons == ["index 62.3 below the 25th percentile of eligible districts (65.0)"]


def test_many_indicators_far_below_target_is_targeted():
    tier, reasons = _tiers(_member("C", 68.0, far=4))["C"]
    assert tier == "targeted"
    assert reasons == ["4 indicators under 50% of their points (targeted from 4)"]


def test_otherwise_light_and_a_fall_of_two_points_escalates_one_tier():
    result = _tiers(_member("D", 68.0, previous=69.0, far=3), _member("E", 68.0, previous=70.0, far=3))
    assert result["D"][0] == "light"      # fell 1.0 < 2.0
    assert result["E"][0] == "targeted"   # fell 70.0 - 68.0 = 2.0 >= 2.0
    assert result["E"][1][-1] == "index fell 2.0 points since 2023-24 (escalates from 2): " \
                                 "one tier more intensive"


def test_supports_come_from_the_tier():
    frame = assign_tiers(pd.DataFrame([_member("A", 50.0, opportunity=True)]), 65.0, RULES)
    assert frame["supports"].iloc[0] == ["site visits and monitoring"]


def test_far_below_counts_only_scored_indicators():
    # row 1: 10/50 (under half), 30/50 (not), blank/0 possible (not scored) -> 1
    # row 2: blank points on a scored 100-point indicator counts as 0 earned -> 1
    points = pd.DataFrame({"a": [10.0, 60.0], "b": [30.0, 40.0], "c": [math.nan, math.nan]})
    possible = pd.DataFrame({"a": [50.0, 100.0], "b": [50.0, 50.0], "c": [0.0, 100.0]})
    assert far_below_target_counts(points, possible, 0.5).tolist() == [1, 1]


def test_percentile_cut_interpolates():
    # 25th percentile of 60, 70, 80, 90 (linear): 60 + 0.75 × 10 = 67.5
    assert index_percentile(pd.Series([90.0, 60.0, 80.0, 70.0]), 25) == pytest.approx(67.5)


def test_rules_read_from_the_shipped_parameters():
    rules = TierRules.from_parameters(load_parameters(), 2026)
    assert list(rules.supports) == ["intensive", "targeted", "light"]
    assert "state-directed plan revision" in rules.supports["intensive"]
    assert rules.targeted_index_percentile == 25
