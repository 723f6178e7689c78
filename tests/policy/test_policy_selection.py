"""Selection by count, threshold and percentile (rules/selection.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.rules.selection import SelectionRule, cut_index, select


def _state(values):
    return pd.DataFrame({"district_code": [f"{i + 1:05d}11" for i in range(len(values))],
                         "index": values})


def test_lowest_count_breaks_ties_by_district_code():
    # indices 60, 55, 60, 70: ranked 55 (0000211), 60 (0000111), 60 (0000311), 70 -> 2 lowest = first two
    result = select(_state([60.0, 55.0, 60.0, 70.0]), SelectionRule("lowest_count", 2, 0, 0))
    assert result.loc[result["selected"], "district_code"].tolist() == ["0000211", "0000111"]
    assert cut_index(result) == 60.0


def test_threshold_is_strictly_below_the_bar():
    result = select(_state([59.9, 60.0, 61.0]), SelectionRule("threshold", 0, 60.0, 0))
    assert result.loc[result["selected"], "district_code"].tolist() == ["0000111"]


def test_percentile_rounds_the_count_up():
    # 20 % of 7 eligible = 1.4 -> the 2 lowest; 20 % of 10 = 2 exactly -> 2
    rule = SelectionRule("percentile", 0, 0, 20.0)
    assert rule.count_for(7) == 2
    assert rule.count_for(10) == 2
    assert select(_state([5.0, 4.0, 3.0, 2.0, 1.0, 6.0, 7.0]), rule)["selected"].sum() == 2


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown selection mode 'median'"):
        SelectionRule("median", 1, 0, 0)


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.floats(30, 95, allow_nan=False), min_size=1, max_size=40),
       low=st.floats(30, 95), high=st.floats(30, 95))
def test_a_higher_threshold_never_removes_a_member(values, low, high):
    low, high = min(low, high), max(low, high)
    state = _state(values)
    chosen = lambda bar: set(select(state, SelectionRule("threshold", 0, bar, 0)).query("selected")  # noqa: E731
                             ["district_code"])
    assert chosen(low) <= chosen(high)
