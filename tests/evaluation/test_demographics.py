"""Students and group shares, checked against the raw enrollment file.

Raw: ../shared/data/raw/edbot317-public-ct-ed-data/district_year_enrollment_selected_years.csv, rows
with fiscal_year 2024 (school year 2023-24).
"""

from __future__ import annotations

import pytest

from alliance.analytics import demographics
from alliance.errors import UnknownEntityError

HARTFORD, BRIDGEPORT = "0640011", "0150011"


def test_students_of_two_districts_and_the_state(con):
    # enrollment_total 2023-24: Hartford 16,839 + Bridgeport 19,591 = 36,430;
    # state = sum of enrollment_total over all 200 rows of fiscal_year 2024 = 512,598
    result = demographics.students(con, "2023-24", [HARTFORD, BRIDGEPORT])
    assert result["alliance"] == 36_430
    assert result["state"] == 512_598
    assert result["alliance_share"] == pytest.approx(36_430 / 512_598)


def test_group_shares_and_members_above_state_rate(con):
    rows = {r["group"]: r for r in demographics.group_rows(con, "2023-24", [HARTFORD, BRIDGEPORT])}
    # n_frpl: Hartford 13,222 + Bridgeport 16,887 = 30,109; state n_frpl sum = 224,222 over districts
    # whose n_frpl is present, whose enrollment_total sums to 504,957 → state rate 0.444042.
    low_income = rows["low_income"]
    assert low_income["alliance"] == 30_109
    assert low_income["state"] == 224_222
    assert low_income["alliance_share"] == pytest.approx(30_109 / 224_222)
    assert low_income["state_rate"] == pytest.approx(224_222 / 504_957)
    # Hartford 13,222 / 16,839 = 0.785 and Bridgeport 16,887 / 19,591 = 0.862, both above 0.444
    assert low_income["members_above_state_rate"] == 2
    # n_sped: 3,463 + 3,987 = 7,450 of the state's 91,651 (state rate 91,651 / 512,385 = 0.178871)
    assert rows["disability"]["alliance"] == 7_450
    assert rows["disability"]["state_rate"] == pytest.approx(91_651 / 512_385)
    # students of colour = all − White: (16,839 − 1,109) + (19,591 − 1,650) = 15,730 + 17,941 = 33,671
    assert rows["students_of_color"]["alliance"] == 33_671
    # n_ell: 4,191 + 5,537 = 9,728
    assert rows["multilingual"]["alliance"] == 9_728


def test_high_needs_is_reported_missing_with_the_reason(con):
    rows = {r["group"]: r for r in demographics.group_rows(con, "2023-24", [HARTFORD])}
    high_needs = rows["high_needs"]
    assert high_needs["alliance_share"] is None
    assert high_needs["members_above_state_rate"] is None
    assert "no unduplicated high-needs count" in high_needs["note"]


def test_unknown_enrollment_year(con):
    with pytest.raises(UnknownEntityError, match="no enrollment counts for 1999-00"):
        demographics.students(con, "1999-00", [HARTFORD])
