"""Series, change and position against the state, checked against the raw NGAS export lines.

Raw values read from ../shared/data/raw/crosseye-accountability/accountability-YYYY-YY-districts.csv
(column OutcomeRatePct for the index, Ind4Rate for chronic absenteeism, Ind1ELA_All_Rate for ELA).
"""

from __future__ import annotations

import pytest

from alliance.analytics import series
from alliance.errors import UnknownEntityError
from alliance.years import SchoolYear

HARTFORD = "0640011"
# the 30 towns flagged "Alliance" in alspur-ecstargets/allianceDistricts.csv (district = town × 10000 + 11)
ORIGINALS = {
    f"{town * 10000 + 11:07d}" for town in
    (2, 11, 15, 17, 34, 37, 43, 44, 47, 62, 64, 69, 77, 80, 83, 88, 89, 93, 95, 103, 104, 116, 135, 146,
     151, 156, 162, 163, 164, 165)
}


def test_results_years_leave_out_the_pandemic_years(con):
    years = series.results_years(con, SchoolYear.parse("2014-15"), SchoolYear.parse("2023-24"))
    assert years == ["2014-15", "2015-16", "2016-17", "2017-18", "2018-19", "2021-22", "2022-23", "2023-24"]


def test_unknown_results_year_is_refused(con):
    with pytest.raises(UnknownEntityError, match="2019-20"):
        series.check_results_year(con, SchoolYear.parse("2019-20"))


def test_hartford_index_change_2014_15_to_2023_24(con):
    # Hartford OutcomeRatePct: 2014-15 61.015217, 2023-24 58.138346 → 58.138346 − 61.015217 = −2.876871
    result = series.change(con, "index", ["2014-15", "2023-24"], [HARTFORD])
    row = result.by_district.iloc[0]
    assert row["from_value"] == pytest.approx(61.015217)
    assert row["to_value"] == pytest.approx(58.138346)
    assert row["change"] == pytest.approx(-2.876871, abs=1e-6)
    assert (result.improved, result.declined) == (0, 1)


def test_original_cohort_four_improved_between_2014_15_and_2023_24(con):
    # OutcomeRatePct 2014-15 → 2023-24 of the only four originals that rose:
    #   Waterbury 60.003690 → 61.183789 (+1.180099), Winchester 71.494125 → 74.524417 (+3.030292),
    #   Meriden 65.104888 → 68.264710 (+3.159822), East Hartford 64.302454 → 68.306402 (+4.003948);
    # the largest fall is Stamford 76.889497 → 64.882048 (−12.007449).
    assert len(ORIGINALS) == 30
    result = series.change(con, "index", ["2014-15", "2023-24"], sorted(ORIGINALS))
    assert (result.improved, result.declined, result.missing) == (4, 26, [])
    assert result.max_change == pytest.approx(4.003948, abs=1e-6)
    assert result.min_change == pytest.approx(-12.007449, abs=1e-6)
    risers = result.by_district.loc[result.by_district["change"] > 0, "district_code"]
    assert set(risers) == {"1510011", "1620011", "0800011", "0430011"}


def test_chronic_absenteeism_direction_is_lower_is_better(con):
    # Hartford Ind4Rate 2014-15 0.256540 → 2023-24 0.351645: +0.095105, an increase, i.e. a decline
    result = series.change(con, "chronic_absenteeism", ["2014-15", "2023-24"], [HARTFORD])
    assert result.by_district.iloc[0]["change"] == pytest.approx(0.095105, abs=1e-6)
    assert (result.increased, result.declined, result.improved) == (1, 1, 0)


def test_group_series_state_row_is_the_published_state_value(con):
    # StateTot row, Ind1ELA_All_Rate: 2014-15 67.900000, 2023-24 63.917019
    frame = series.group_series(con, "ela_all", ["2014-15", "2023-24"], {"hartford": [HARTFORD]})
    state = frame[frame["group"] == "state"].set_index("school_year")["mean"]
    assert state["2014-15"] == pytest.approx(67.9)
    assert state["2023-24"] == pytest.approx(63.917019)
    # a one-district group's mean is that district's value: Hartford 2023-24 ELA PI 47.065674
    hartford = frame[frame["group"] == "hartford"].set_index("school_year")
    assert hartford.at["2023-24", "mean"] == pytest.approx(47.065674)
    assert hartford.at["2023-24", "districts"] == 1


def test_position_against_state(con):
    # 2023-24 state index 70.8; Hartford 58.138346 (below), Winchester 74.524417 (above)
    position = series.position_against_state(con, "index", "2023-24", [HARTFORD, "1620011"])
    assert (position["above"], position["below"], position["missing"]) == (1, 1, 0)
    assert position["state"] == pytest.approx(70.8)


def test_first_to_latest_change_when_years_are_missing(con):
    # exact=False compares each district's first and latest year with a value; a district with no
    # value in any year is kept and reported missing, never dropped
    result = series.change(con, "index", ["2014-15", "2018-19"], [HARTFORD, "9999911"], exact=False)
    assert result.missing == ["9999911"]
    # Hartford 2018-19 59.918684 − 2014-15 61.015217 = −1.096533
    assert result.measured.iloc[0]["change"] == pytest.approx(-1.096533, abs=1e-6)
