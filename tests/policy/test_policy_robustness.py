"""Designation probability under measurement error (rules/robustness.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.rules.robustness import (
    ErrorModel,
    designation_probability,
    flag_marginal,
    loop_selected_counts,
)
from alliance.rules.selection import SelectionRule, select


def _state(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"district_code": [f"{i + 1:05d}11" for i in range(len(values))],
                         "index": values})


def _rule(mode="lowest_count", count=2, threshold=60.0, percentile=20.0) -> SelectionRule:
    return SelectionRule(mode=mode, count=count, threshold=threshold, percentile=percentile)


def test_far_apart_districts_are_certain_and_the_two_at_the_cut_split_evenly():
    # 2 lowest of: 40 and 90 are 10+ SDs from the cut; 70.0 and 70.0 tie at the cut, so each of
    # them takes the second place in about half the resamples.
    state = _state([40.0, 70.0, 70.0, 90.0])
    result = designation_probability(state, _rule(count=2), ErrorModel("normal", 1.0), 20_000, seed=1)
    probability = dict(zip(result["district_code"], result["probability"], strict=True))
    assert probability["0000111"] == 1.0
    assert probability["0000411"] == 0.0
    assert probability["0000211"] == pytest.approx(0.5, abs=0.02)
    assert probability["0000311"] == pytest.approx(0.5, abs=0.02)
    assert result["probability"].sum() == pytest.approx(2.0)  # exactly 2 chosen per resample


def test_threshold_probability_is_the_normal_tail():
    # index 61, bar 60, SD 1: P(61 + e < 60) = P(e < -1) = Phi(-1) = 0.1587
    result = designation_probability(_state([61.0]), _rule("threshold", threshold=60.0),
                                     ErrorModel("normal", 1.0), 40_000, seed=2)
    assert result["probability"].iloc[0] == pytest.approx(0.1587, abs=0.006)


def test_marginal_flag_band():
    # strictly inside (0.05, 0.95), as `alliance designate --robustness` flags it; band 0: all but 0 and 1
    flags = flag_marginal(pd.Series([0.0, 0.04, 0.05, 0.06, 0.5, 0.94, 0.95, 0.96, 1.0]), 0.05)
    assert flags.tolist() == [False, False, False, True, True, True, False, False, False]
    assert flag_marginal(pd.Series([0.0, 0.5, 1.0]), 0.0).tolist() == [False, True, False]


def test_unknown_error_model_is_refused():
    with pytest.raises(ValueError, match="unknown error model 'uniform'"):
        designation_probability(_state([50.0]), _rule(), ErrorModel("uniform", 1.0), 10, seed=0)


def test_loop_baseline_agrees_with_the_vectorised_count_on_a_clear_case():
    # 1 lowest of [10, 50, 90] with SD 1: the first district always wins
    assert loop_selected_counts([10.0, 50.0, 90.0], count=1, sd=1.0, resamples=200, seed=3) == [200, 0, 0]


indices = st.lists(st.floats(min_value=30, max_value=95, allow_nan=False).map(lambda v: round(v, 1)),
                   min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(values=indices, count=st.integers(0, 45), mode=st.sampled_from(["lowest_count", "threshold",
                                                                          "percentile"]),
       threshold=st.floats(30, 95), percentile=st.floats(0, 100))
def test_zero_error_gives_certainty_matching_the_plain_designation(values, count, mode, threshold,
                                                                    percentile):
    state = _state(values)
    rule = _rule(mode, count=count, threshold=threshold, percentile=percentile)
    result = designation_probability(state, rule, ErrorModel("normal", 0.0), 25, seed=0)
    plain = select(state, rule)
    assert set(result["probability"].unique()) <= {0.0, 1.0}
    chosen = set(result.loc[result["probability"] == 1.0, "district_code"])
    assert chosen == set(plain.loc[plain["selected"], "district_code"])
