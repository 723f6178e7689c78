"""Every published district-year index, recomputed from rates (CSDE EdSight exports, 2014-15..2024-25).

The truth is the published OutcomeRatePct of ../shared/data/raw/crosseye-accountability; the
engine never reads published points or the index.
"""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.codes import STATE_CODE
from alliance.rules import ngas

DISTRICT_YEARS_BY_YEAR = {"2014-15": 199, "2015-16": 201, "2016-17": 202, "2017-18": 202, "2018-19": 201,
                          "2021-22": 200, "2022-23": 200, "2023-24": 200, "2024-25": 199}


@pytest.fixture(scope="module")
def scored(published, params):
    return ngas.compute_index(published, params)


def test_every_published_district_index_is_reproduced_to_a_hundredth(published, scored):
    districts = published["district_code"] != STATE_CODE
    errors = (scored["index"] - published["index"])[districts].abs()
    assert districts.sum() == 1804 == sum(DISTRICT_YEARS_BY_YEAR.values())
    assert published[districts].groupby("school_year").size().to_dict() == DISTRICT_YEARS_BY_YEAR
    assert errors.notna().all()
    assert (errors < 0.01).sum() == 1804
    assert errors.max() < 0.0095 + 1e-6   # largest: Stamford Academy 2016-17 (Ind10 rate rounded to 3 dp)


def test_state_rows_match_at_their_published_one_decimal(published, scored):
    state = published["district_code"] == STATE_CODE
    assert state.sum() == 9
    assert (scored["index"][state].round(1) == published["index"][state]).all()


def test_possible_points_equal_the_published_totals(published, scored):
    assert ((scored["possible"] - published["possible_points"]).abs() < 1e-9).all()


def test_points_match_every_published_indicator_cell_of_district_rows(published, scored):
    districts = published["district_code"] != STATE_CODE
    for indicator in ngas.INDICATORS:
        published_points = published[f"{indicator}_points"].fillna(0)[districts]
        error = (scored[f"{indicator}_points"][districts] - published_points).abs().max()
        # rates are published to 3-6 decimals; Ind10 to 3 dp (0.0005 × 100/0.75 = 0.067)
        assert error < 0.07, indicator


@pytest.mark.parametrize("flag", ["participation_flag", "achievement_gap_flag", "grad_gap_flag"])
def test_flags_agree_with_every_published_flag(published, scored, flag):
    known = published[flag].notna()
    assert known.sum() > 1000
    # A flag the rates cannot decide (no gap computable) is NA here and published as 0 or ".":
    # never as 1. Every published 1 and 0 is reproduced.
    computed = scored[flag].fillna(False).astype(bool)
    assert (computed[known] == published[flag][known].astype(bool)).all()
    assert not computed[~known].any()


def test_without_possible_cells_rates_alone_give_the_published_possible_points(published, params):
    possible_columns = [c for c in published.columns if c.endswith("_possible")]
    scored = ngas.compute_index(published.drop(columns=possible_columns), params)
    differs = (scored["possible"] - published["possible_points"]).abs() > 1e-9
    # The only differences: rows whose export states an indicator applies while its rate is missing
    # (Ind6 30 cells, Ind11 27, Ind7 4 → 46 rows); rates alone cannot know those.
    stated_without_rate = pd.concat(
        [(published[f"{i}_possible"] > 0) & published[f"{i}_rate"].isna() for i in ngas.INDICATORS], axis=1
    ).any(axis=1)
    assert stated_without_rate.sum() == 46
    assert (differs == stated_without_rate).all()
    assert (scored["possible_basis"] == "rates").all()
