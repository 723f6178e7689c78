"""The spec's worked examples, from their rates alone, with the arithmetic written out."""

from __future__ import annotations

import pytest
from ngas_builders import entity, score

DEEP_RIVER_2024_25 = dict(
    pi_ela_all_rate=73.609827, pi_ela_hn_rate=67.870703, pi_math_all_rate=73.276761,
    pi_math_hn_rate=65.299438, pi_sci_all_rate=78.951613,
    growth_ela_all_rate=0.634118, growth_ela_hn_rate=0.55401, growth_math_all_rate=0.662782,
    growth_math_hn_rate=0.659134, chronic_absence_all_rate=0.090909, chronic_absence_hn_rate=0.12,
    fitness_rate=0.55102, fitness_participation_rate=1.0,
)
# Published possible cells (science for high-needs students: group below the minimum size, blank).
DEEP_RIVER_POSSIBLE = dict(
    pi_ela_all_possible=50, pi_ela_hn_possible=50, pi_math_all_possible=50, pi_math_hn_possible=50,
    pi_sci_all_possible=50, growth_ela_all_possible=100, growth_ela_hn_possible=100,
    growth_math_all_possible=100, growth_math_hn_possible=100, chronic_absence_all_possible=50,
    chronic_absence_hn_possible=50, fitness_possible=50,
)


def _deep_river_expected():
    points = {
        "pi_ela_all": 73.609827 / 75 * 50,      # 49.0732
        "pi_ela_hn": 67.870703 / 75 * 50,       # 45.2471
        "pi_math_all": 73.276761 / 75 * 50,     # 48.8512
        "pi_math_hn": 65.299438 / 75 * 50,      # 43.5330
        "pi_sci_all": 50.0,                     # 78.95 is above the target 75: capped at 50
        "growth_ela_all": 63.4118,              # 0.634118 / 1.00 × 100
        "growth_ela_hn": 55.401,
        "growth_math_all": 66.2782,
        "growth_math_hn": 65.9134,
        "chronic_absence_all": 50 * (0.30 - 0.090909) / 0.25,   # 41.8182
        "chronic_absence_hn": 50 * (0.30 - 0.12) / 0.25,        # 36.0000
        "fitness": 0.55102 / 0.75 * 50,         # 36.7347; participation 100% keeps all of it
    }
    return points, sum(points.values())         # 602.2618 of 800 possible


@pytest.mark.parametrize("with_published_possible", [True, False])
def test_deep_river_2024_25_is_75_28(params, with_published_possible):
    cells = DEEP_RIVER_POSSIBLE if with_published_possible else {}
    result = score(params, entity(2025, **DEEP_RIVER_2024_25, **cells)).iloc[0]
    points, total = _deep_river_expected()
    for indicator, expected in points.items():
        assert result[f"{indicator}_points"] == pytest.approx(expected, abs=1e-4), indicator
    # possible: 5 PI cells × 50 + 4 growth × 100 + 2 absenteeism × 50 + fitness 50 = 800
    assert result["possible"] == 800
    assert result["points"] == pytest.approx(total, abs=1e-4)
    assert total == pytest.approx(602.2618, abs=1e-4)
    # 100 × 602.2618 / 800 = 75.2827; published 75.282715
    assert result["index"] == pytest.approx(75.282715, abs=1e-4)
    assert result["entity_kind"] == "growth"


def test_andover_2014_15_is_95_22(params):
    # 2014-15: no growth indicator; every performance-index cell is worth 100 points.
    rates = dict(pi_ela_all_rate=82.932213, pi_ela_hn_rate=74.42191, pi_math_all_rate=76.350097,
                 pi_math_hn_rate=67.236948, pi_sci_all_rate=64.012667,
                 chronic_absence_all_rate=0.012146, chronic_absence_hn_rate=0.037037,
                 fitness_rate=0.670732, fitness_participation_rate=0.97619)
    result = score(params, entity(2015, **rates)).iloc[0]
    expected = {
        "pi_ela_all": 100.0,                    # 82.93 ≥ 75: capped
        "pi_ela_hn": 74.42191 / 75 * 100,       # 99.2292
        "pi_math_all": 100.0,                   # 76.35 ≥ 75: capped
        "pi_math_hn": 67.236948 / 75 * 100,     # 89.6493
        "pi_sci_all": 64.012667 / 75 * 100,     # 85.3502
        "chronic_absence_all": 50.0,            # 1.2% ≤ 5%: full points
        "chronic_absence_hn": 50.0,             # 3.7% ≤ 5%
        "fitness": 0.670732 / 0.75 * 50,        # 44.7155; participation 97.6% ≥ 90%
    }
    for indicator, points in expected.items():
        assert result[f"{indicator}_points"] == pytest.approx(points, abs=1e-4), indicator
    # possible: 5 × 100 + 2 × 50 + 50 = 650; earned 618.9442; 100 × 618.9442 / 650 = 95.2222
    assert result["possible"] == 650
    assert result["points"] == pytest.approx(618.9442, abs=1e-4)
    assert result["index"] == pytest.approx(95.222176, abs=1e-4)


def test_worked_examples_match_the_published_rows(published, params):
    from alliance.rules import ngas

    rows = published[((published["district_code"] == "0360011") & (published["school_year"] == "2024-25"))
                     | ((published["district_code"] == "0010011") & (published["school_year"] == "2014-15"))]
    result = ngas.compute_index(rows, params)
    assert sorted(result["index"].round(2)) == [75.28, 95.22]
