"""The ECS formula on hand-worked towns: every step's arithmetic is shown next to its assertion."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from alliance.parameters import load_parameters
from alliance.rules.ecs import EcsRules, WealthMedians, compute_entitlements

PARAMS = load_parameters()
# ecs.md §4: the real FY2024-era ENGL median quoted by the spec and a hypothetical MHI median
SPEC_MEDIANS = WealthMedians(engl_per_capita=Decimal("146842.18"), mhi=Decimal("90000"))


def town(**changes) -> pd.DataFrame:
    """The spec's constructed town (ecs.md §4), with any input changed."""
    row = {"town_code": 1, "town": "Example", "resident_students": 5000, "frpl_count": 3500, "ell_count": 600,
           "engl_per_capita": 80000, "mhi": 55000, "pic_rank": 0, "alliance": False, "priority": False,
           "rsd_students": 0, "rsd_grades": 0, "endowed_students": 0, "endowed_grades": 0,
           "fy2017_grant": 30_000_000, "prior_grant": 35_000_000}
    return pd.DataFrame([{**row, **changes}])


def run(fiscal_year: int, medians: WealthMedians = SPEC_MEDIANS, **changes) -> pd.Series:
    rules = EcsRules.from_parameters(PARAMS, fiscal_year)
    return compute_entitlements(town(**changes), rules, medians).iloc[0]


class TestSpecWorkedExample:
    """ecs.md §4, FY2024-FY2026 parameters."""

    def test_need_students(self):
        r = run(2024)
        # 5,000 + 0.30 × 3,500 (1,050) + 0.15 × max(0, 3,500 − 0.60 × 5,000) (0.15 × 500 = 75)
        #       + 0.25 × 600 (150)
        assert r["low_income_students_weighted"] == 1050
        assert r["excess_frpl_students"] == 500
        assert r["concentrated_poverty_students_weighted"] == 75
        assert r["english_learners_weighted"] == 150
        assert r["need_students"] == 6275

    def test_wealth_thresholds_and_factors(self):
        r = run(2024)
        # 146,842.18 × 1.35 = 198,236.943 → 198,236.94; 90,000 × 1.35 = 121,500
        assert r["engl_threshold"] == Decimal("198236.94")
        assert r["mhi_threshold"] == Decimal("121500.00")
        # 80,000 / 198,236.94 = 0.40355745… → 0.403557; 55,000 / 121,500 = 0.45267489… → 0.452675
        assert r["engl_factor"] == Decimal("0.403557")
        assert r["mhi_factor"] == Decimal("0.452675")

    def test_base_aid_ratio(self):
        r = run(2024)
        # 1 − (0.7 × 0.403557 + 0.3 × 0.452675) = 1 − (0.2824899 + 0.1358025) = 0.5817076 → 0.581708.
        # (The spec rounds the two products first and gets 0.581707; the state's worksheet rounds
        # only the sum: every FY2024-FY2026 row fits that, see test_real_data.)
        assert r["wealth_aid_ratio"] == Decimal("0.581708")
        assert r["base_aid_ratio"] == Decimal("0.581708")
        assert not r["at_aid_ratio_floor"]
        assert r["final_aid_ratio"] == Decimal("0.581708")

    def test_fully_funded_grant(self):
        r = run(2024)
        # 11,525 × 6,275 = 72,319,375; × 0.581708 = 42,068,758.9925 → 42,068,759
        assert r["base_formula_aid"] == 42_068_759
        assert r["fully_funded_grant"] == 42_068_759

    @pytest.mark.parametrize(("fiscal_year", "expected"), [
        (2024, 36_413_752),   # gap 7,068,759 × 20 % = 1,413,751.8 → 35,000,000 + that = 36,413,751.8 → …752
        (2025, 38_993_849),   # 7,068,759 × 56.5 % = 3,993,848.835 → 38,993,848.835 → …849
        (2026, 42_068_759),   # 100 %: fully funded
    ])
    def test_phase_in_of_an_under_funded_town(self, fiscal_year, expected):
        r = run(fiscal_year)
        assert r["funding_status"] == "under-funded"
        assert r["gap"] == 7_068_759
        assert r["entitlement"] == expected


class TestAidRatioFloor:
    # A wealthy town: 400,000 / 198,236.94 = 2.0177874… → 2.017787; 200,000 / 121,500 = 1.6460905… → 1.646091
    # 1 − (0.7 × 2.017787 + 0.3 × 1.646091) = 1 − (1.4124509 + 0.4938273) = −0.9062782 → −0.906278
    # need = 1,000 + 0.30 × 100 = 1,030 (FRPL 10 %: no concentrated poverty; no EL)
    wealthy = {"resident_students": 1000, "frpl_count": 100, "ell_count": 0, "engl_per_capita": 400000,
               "mhi": 200000}

    def test_other_town_gets_the_one_percent_floor(self):
        r = run(2024, **self.wealthy)
        assert r["wealth_aid_ratio"] == Decimal("-0.906278")
        assert r["at_aid_ratio_floor"] and r["base_aid_ratio"] == Decimal("0.01")
        # 11,525 × 1,030 × 0.01 = 118,707.5 → 118,708 (halves round up, as Excel ROUND)
        assert r["base_formula_aid"] == 118_708

    def test_alliance_town_gets_the_ten_percent_floor(self):
        r = run(2024, alliance=True, **self.wealthy)
        # 11,525 × 1,030 × 0.10 = 1,187,075
        assert r["base_aid_ratio"] == Decimal("0.10")
        assert r["base_formula_aid"] == 1_187_075

    def test_priority_district_gets_the_ten_percent_floor(self):
        assert run(2024, priority=True, **self.wealthy)["base_aid_ratio"] == Decimal("0.10")


def test_pic_rank_adds_points_by_tier():
    # ranks 1-5: +6 points, 6-10: +5, 11-15: +4, 16-19: +3, 20 and unranked: 0
    points = {rank: run(2024, pic_rank=rank)["pic_points"] for rank in (1, 5, 6, 12, 19, 20, 0)}
    assert points == {1: Decimal("0.06"), 5: Decimal("0.06"), 6: Decimal("0.05"), 12: Decimal("0.04"),
                      19: Decimal("0.03"), 20: 0, 0: 0}
    # 0.581708 + 0.06 = 0.641708
    assert run(2024, pic_rank=3)["final_aid_ratio"] == Decimal("0.641708")


def test_regional_and_academy_bonuses():
    r = run(2024, rsd_students=186, rsd_grades=6, endowed_students=40, endowed_grades=4)
    # 186 × 6 × $100 = 111,600; 40 × 4 × $100 = 16,000; 42,068,759 + 127,600
    assert (r["regional_bonus"], r["endowed_bonus"]) == (111_600, 16_000)
    assert r["fully_funded_grant"] == 42_196_359


def test_no_academy_bonus_before_fy2022():
    assert run(2021, endowed_students=40, endowed_grades=4)["endowed_bonus"] == 0


class TestAllianceHoldHarmless:
    # An over-funded Alliance town: fully funded 118,708 (the 1 % floor town above) under its grants.
    small = {**TestAidRatioFloor.wealthy}

    def test_alliance_town_keeps_its_fy2017_grant_when_higher_than_prior(self):
        r = run(2024, alliance=True, fy2017_grant=5_000_000, prior_grant=4_800_000, **self.small)
        # held at prior 4,800,000 (over-funded, share 0) < FY2017 5,000,000 → floor 5,000,000
        assert r["calculated_entitlement"] == 4_800_000
        assert r["hold_harmless_applied"] and r["entitlement"] == 5_000_000

    def test_the_same_town_outside_the_alliance_is_held_at_prior(self):
        r = run(2024, alliance=False, fy2017_grant=5_000_000, prior_grant=4_800_000, **self.small)
        assert not r["hold_harmless_applied"] and r["entitlement"] == 4_800_000

    def test_before_fy2024_only_the_fy2017_grant_is_a_floor(self):
        # FY2023: an under-funded Alliance town (gap vs prior 3,000,000 → +16.67 % = 500,100)
        r = run(2023, alliance=True, fy2017_grant=4_000_000, prior_grant=3_000_000,
                rsd_students=60_000, rsd_grades=1, resident_students=0, frpl_count=0, ell_count=0)
        # fully funded = regional bonus 60,000 × 1 × 100 = 6,000,000;
        # 3,000,000 + 0.1667 × 3,000,000 = 3,500,100
        # floor = FY2017 grant 4,000,000
        assert r["calculated_entitlement"] == 3_500_100
        assert r["entitlement"] == 4_000_000


# An over-funded town whose fully funded grant is exactly $8,000,000 (its regional bonus, no need
# students), FY2017 grant $10,000,000, prior-year grant $9,900,000.
OVER = {"resident_students": 0, "frpl_count": 0, "ell_count": 0, "rsd_students": 80_000, "rsd_grades": 1,
        "fy2017_grant": 10_000_000, "prior_grant": 9_900_000}


@pytest.mark.parametrize(("fiscal_year", "expected"), [
    (2019, 9_500_000),   # FY2017 grant − 25 % × (10,000,000 − 8,000,000) = 10,000,000 − 500,000
    (2020, 9_733_400),   # prior − 8.33 % × 2,000,000 (gap to FY2017) = 9,900,000 − 166,600
    (2021, 9_733_400),   # same rule as FY2020
    (2022, 9_900_000),   # held at prior
    (2023, 9_900_000),
    (2024, 9_900_000),
    (2025, 9_900_000),
    (2026, 9_900_000),
    (2027, 9_900_000),
    (2028, 9_628_490),   # prior − 14.29 % × (9,900,000 − 8,000,000) = 9,900,000 − 271,510
    (2029, 9_583_270),   # − 16.67 % × 1,900,000 = − 316,730
    (2030, 9_520_000),   # − 20 % × 1,900,000 = − 380,000
    (2031, 9_425_000),   # − 25 %: − 475,000
    (2032, 9_266_730),   # − 33.33 %: − 633,270
    (2033, 8_950_000),   # − 50 %: − 950,000
    (2034, 8_000_000),   # − 100 %: the formula amount
])
def test_over_funded_town_in_each_phase_in_year(fiscal_year, expected):
    r = run(fiscal_year, **OVER)
    assert r["fully_funded_grant"] == 8_000_000
    assert r["funding_status"] == "over-funded"
    assert r["entitlement"] == expected


def test_fy2019_under_funded_town_starts_from_its_fy2017_grant():
    # fully funded 12,000,000 (regional bonus); FY2017 10,000,000 + 4.1 % × 2,000,000 = 10,082,000
    r = run(2019, **{**OVER, "rsd_students": 120_000})
    assert r["entitlement"] == 10_082_000


def test_fy2018_has_no_formula_phase_in():
    from alliance.errors import ParameterError

    with pytest.raises(ParameterError, match="no value for FY2018"):
        EcsRules.from_parameters(PARAMS, 2018)


def test_medians_come_from_the_towns_given():
    frame = pd.concat([town(town_code=c, engl_per_capita=v, mhi=m) for c, v, m in
                       [(1, 100, 10), (2, 300, 30), (3, 200, 20)]], ignore_index=True)
    result = compute_entitlements(frame, EcsRules.from_parameters(PARAMS, 2024))
    # medians 200 and 20; thresholds 270.00 and 27.00
    assert result["engl_threshold"].iloc[0] == Decimal("270.00")
    assert result["mhi_threshold"].iloc[0] == Decimal("27.00")
