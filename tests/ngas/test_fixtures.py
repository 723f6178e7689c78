"""Hand-built entities: each rule in isolation, expected values computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ngas_builders import entity, score

from alliance.rules import ngas


def test_entity_without_high_needs_group_counts_only_all_students(params):
    row = entity(2024, pi_ela_all_rate=60, pi_math_all_rate=45, pi_sci_all_rate=50,
                 growth_ela_all_rate=0.5, growth_math_all_rate=0.8, chronic_absence_all_rate=0.10,
                 fitness_rate=0.6, fitness_participation_rate=0.95)
    result = score(params, row).iloc[0]
    # points: 60/75×50 = 40; 45/75×50 = 30; 50/75×50 = 33.3333; growth 50 + 80;
    # absenteeism 50×(0.30−0.10)/0.25 = 40; fitness 0.6/0.75×50 = 40  → 313.3333
    # possible: 3 × 50 + 2 × 100 + 50 + 50 = 450;  index 100 × 313.3333 / 450 = 69.6296
    assert result["possible"] == 450
    assert result["points"] == pytest.approx(313.3333, abs=1e-4)
    assert result["index"] == pytest.approx(69.6296, abs=1e-4)
    assert result["pi_ela_hn_possible"] == 0 and result["growth_ela_hn_possible"] == 0
    assert pd.isna(result["achievement_gap_flag"])


def test_high_school_only_entity_weighs_achievement_150_150_100(params):
    row = entity(2024, pi_ela_all_rate=60, pi_math_all_rate=45, pi_sci_all_rate=80,
                 chronic_absence_all_rate=0.35, grad_4yr_rate=0.90, postsecondary_entrance_rate=0.60,
                 arts_access_rate=0.30)
    result = score(params, row).iloc[0]
    assert result["entity_kind"] == "high_school"
    # ELA 60/75×150 = 120; math 45/75×150 = 90; science capped at 100; absenteeism 35% → 0;
    # graduation 0.90/0.94×100 = 95.7447; entrance 0.60/0.75×100 = 80; arts 0.30/0.60×50 = 25
    # possible 150 + 150 + 100 + 50 + 100 + 100 + 50 = 700; earned 510.7447; index 72.9635
    assert result["pi_ela_all_points"] == pytest.approx(120)
    assert result["pi_math_all_points"] == pytest.approx(90)
    assert result["pi_sci_all_points"] == pytest.approx(100)
    assert result["possible"] == 700
    assert result["points"] == pytest.approx(510.7447, abs=1e-4)
    assert result["index"] == pytest.approx(72.9635, abs=1e-4)


def test_high_school_cells_were_100_before_2018_19(params):
    row = entity(2018, pi_ela_all_rate=60, grad_4yr_rate=0.94)    # 2017-18
    result = score(params, row).iloc[0]
    # 60/75×100 = 80 of 100; graduation at target 100 of 100 → 180/200 = 90
    assert result["pi_ela_all_possible"] == 100
    assert result["index"] == pytest.approx(90.0)


def test_elementary_entity_without_growth_results_gets_100_point_cells(params):
    row = entity(2025, pi_ela_all_rate=60, pi_math_all_rate=75, chronic_absence_all_rate=0.05)
    result = score(params, row).iloc[0]
    # no growth, no high-school indicator: no_growth; 80 + 100 + 50 = 230 of 250 → 92
    assert result["entity_kind"] == "no_growth"
    assert result["possible"] == 250
    assert result["index"] == pytest.approx(92.0)


@pytest.mark.parametrize(("indicator", "rate", "maximum"), [
    ("pi_ela_all", 86.9, 50), ("grad_4yr", 0.99, 100), ("prep_coursework", 1.0, 50),
    ("arts_access", 0.61, 50), ("growth_math_all", 1.2, 100), ("elp_oral", 1.0, 50),
])
def test_rate_above_target_is_capped_at_the_maximum(params, indicator, rate, maximum):
    row = entity(2025, growth_ela_all_rate=0.5, **{f"{indicator}_rate": rate})
    result = score(params, row).iloc[0]
    assert result[f"{indicator}_points"] == maximum
    assert result[f"{indicator}_possible"] == maximum


@pytest.mark.parametrize(("rate", "points"), [
    (0.0, 50.0), (0.05, 50.0),
    (0.1629, 27.42),     # 50 × (0.30 − 0.1629) / 0.25 = 27.42 (Ansonia 2014-15)
    (0.30, 0.0), (0.31, 0.0), (0.95, 0.0),
])
def test_chronic_absenteeism_is_linear_from_5_to_30_percent_and_zero_above(params, rate, points):
    result = score(params, entity(2025, chronic_absence_all_rate=rate)).iloc[0]
    assert result["chronic_absence_all_points"] == pytest.approx(points, abs=0.005)
    assert result["chronic_absence_all_possible"] == 50


@pytest.mark.parametrize(("participation", "share"), [
    (1.2, 1.0), (0.90, 1.0), (0.899, 0.5), (0.70, 0.5), (0.699, 0.25), (0.50, 0.25), (0.499, 0.0),
    (0.0, 0.0),
])
def test_fitness_points_shrink_in_steps_as_participation_falls(params, participation, share):
    row = entity(2025, fitness_rate=0.6, fitness_participation_rate=participation)
    result = score(params, row).iloc[0]
    # full points 0.6 / 0.75 × 50 = 40, times the share kept at that participation
    assert result["fitness_points"] == pytest.approx(40 * share)
    assert result["fitness_possible"] == 50


def test_ansonia_2014_15_fitness_is_halved_below_90_percent_participation(params):
    row = entity(2015, fitness_rate=0.38, fitness_participation_rate=0.855)
    # 0.38 / 0.75 × 50 = 25.33, halved: 12.67 (spec's Ansonia example)
    assert score(params, row).iloc[0]["fitness_points"] == pytest.approx(12.67, abs=0.005)


def test_published_possible_cell_with_missing_rate_earns_zero(params):
    row = entity(2025, pi_ela_all_rate=75, pi_ela_all_possible=150, prep_exams_possible=50)
    result = score(params, row).iloc[0]
    # 150 earned of 150 + 50 possible → 75
    assert result["prep_exams_points"] == 0
    assert result["possible"] == 200
    assert result["index"] == pytest.approx(75.0)
    assert result["possible_basis"] == "published"


def test_science_does_not_count_in_2017_18(params):
    row = entity(2018, pi_ela_all_rate=75, pi_sci_all_rate=30)
    result = score(params, row).iloc[0]
    assert result["pi_sci_all_possible"] == 0
    assert result["index"] == pytest.approx(100.0)


def test_growth_first_counts_in_2015_16_and_english_learner_progress_in_2018_19(params):
    rates = dict(pi_ela_all_rate=75, growth_ela_all_rate=0.5, elp_literacy_rate=0.5)
    early, middle, late = score(params, entity(2015, **rates), entity(2016, **rates), entity(2019, **rates)) \
        .itertuples()
    assert (early.growth_ela_all_possible, early.elp_literacy_possible) == (0, 0)
    assert (middle.growth_ela_all_possible, middle.elp_literacy_possible) == (100, 0)
    assert (late.growth_ela_all_possible, late.elp_literacy_possible) == (100, 50)


def test_participation_below_95_percent_sets_the_flag(params):
    low, fine, unknown = score(
        params,
        entity(2025, participation_ela_all_rate=0.99, participation_sci_hn_rate=0.9375),
        entity(2025, participation_ela_all_rate=0.95, participation_math_hn_rate=0.96),
        entity(2025),
    ).itertuples()
    assert bool(low.participation_flag)       # science, high needs: 0.9375 < 0.95
    assert not fine.participation_flag        # 0.95 is not below 0.95
    assert pd.isna(unknown.participation_flag)


def test_achievement_gap_caps_non_high_needs_at_75_and_compares_with_the_hurdle(params):
    row = entity(2025, pi_math_nhn_rate=80, pi_math_hn_rate=56, pi_ela_nhn_rate=70, pi_ela_hn_rate=60,
                 hurdle_ela=16.92, hurdle_math=18.379, hurdle_sci=18.16)
    result = score(params, row).iloc[0]
    # math: min(80, 75) − 56 = 19 > 18.379 → outlier; ELA 70 − 60 = 10 ≤ 16.92
    assert result["math_gap"] == pytest.approx(19)
    assert result["ela_gap"] == pytest.approx(10)
    assert bool(result["achievement_gap_flag"]) is True


def test_graduation_gap_is_floored_at_zero_from_2022_23(params):
    rates = dict(grad6_nhn_rate=0.97, grad6_hn_rate=0.96, hurdle_grad=8.65)
    before, after = score(params, entity(2022, **rates), entity(2023, **rates)).itertuples()
    # min(0.97, 0.94) − 0.96 = −0.02 (published as is in 2021-22, as 0 from 2022-23)
    assert before.grad6_gap == pytest.approx(-0.02)
    assert after.grad6_gap == 0
    assert not before.grad_gap_flag and not after.grad_gap_flag


def test_norwich_free_academy_2024_25_graduation_gap_is_an_outlier(params):
    row = entity(2025, grad6_nhn_rate=0.95, grad6_hn_rate=0.870, hurdle_grad=6.488)
    result = score(params, row).iloc[0]
    # 0.94 − 0.870 = 0.070 → 7.0 > 6.488
    assert result["grad6_gap"] == pytest.approx(0.07)
    assert bool(result["grad_gap_flag"]) is True


def test_a_policy_override_changes_the_result(params):
    row = entity(2025, fitness_rate=0.6, fitness_participation_rate=0.6)
    halving_only = params.override({"ngas.fitness_participation_factors": [[0.9, 1.0], [0.0, 0.5]]})
    # current bands keep 25% at 60% participation (10 points); halving only would keep 20
    assert score(params, row).iloc[0]["fitness_points"] == pytest.approx(10)
    assert score(halving_only, row).iloc[0]["fitness_points"] == pytest.approx(20)


def test_area_indices_add_up_to_the_index(params):
    from test_worked_examples import DEEP_RIVER_2024_25

    result = score(params, entity(2025, **DEEP_RIVER_2024_25)).iloc[0]
    points = sum(result[f"{area}_points"] for area in ngas.AREAS)
    possible = sum(result[f"{area}_possible"] for area in ngas.AREAS)
    assert points == pytest.approx(result["points"])
    assert possible == result["possible"]
    # achievement: 49.0732 + 45.2471 + 48.8512 + 43.5330 + 50 = 236.7045 of 250 → 94.6818
    assert result["achievement_index"] == pytest.approx(94.6818, abs=1e-4)
    assert np.isnan(result["graduation_index"])


def test_empty_input_gives_an_empty_result(params):
    assert ngas.compute_index(pd.DataFrame(), params).empty
