"""The eligibility picture for 2023-24, checked against the raw index and enrollment rows."""

from __future__ import annotations

import pytest

from alliance.analytics import eligibility

WINCHESTER, HARTFORD = "1620011", "0640011"


def test_non_members_below_the_highest_member_and_why(con):
    # Members here: Hartford (58.138346) and Winchester (OutcomeRatePct 2023-24 74.524417), so every
    # non-member below 74.524417 is listed.
    result = eligibility.below_highest_member(con, "2023-24", [HARTFORD, WINCHESTER],
                                              ["local", "regional"], 1000)
    assert result["district"] == WINCHESTER
    assert result["index"] == pytest.approx(74.524417)
    by_code = {d["district_code"]: d for d in result["districts"]}
    # Sprague 54.289694, a local district with 291 students (enrollment_total FY2024) → size
    assert by_code["1330011"]["reason"] == "size"
    assert by_code["1330011"]["enrollment"] == 291
    # Griswold 67.973902, local, 1,775 students → eligible; outside by rank
    assert by_code["0580011"]["reason"] == "rank"
    # Unified School District #1 (code suffix 15) 20.553818 → type
    assert by_code["3360015"]["reason"] == "type"
    assert HARTFORD not in by_code and WINCHESTER not in by_code
    assert all(d["index"] < 74.524417 for d in result["districts"])
    assert result["count"] == len(result["districts"])
    assert result["too_small"] == sum(d["reason"] == "size" for d in result["districts"])
