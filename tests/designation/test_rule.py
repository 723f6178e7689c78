"""The designation rule on hand-built districts: ties, the size rule, grandfathering, missing data."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from alliance.errors import UnknownEntityError
from alliance.parameters import load_parameters
from alliance.rules.designation import (
    ALLIANCE,
    BY_RANK,
    GRANDFATHERED,
    NOT_DESIGNATED,
    OPPORTUNITY,
    PriorMember,
    compose_rounds,
    designate_round,
)
from alliance.rules.designation_explain import explain
from alliance.rules.designation_rounds import RoundRules, all_rounds, round_in_force


def rules(**changes) -> RoundRules:
    base = dict(cohort_fy=2018, source="ranked", term_years=5, index_school_year="2015-16",
                enrollment_school_year="2015-16", lowest_count=2, min_enrollment=1000,
                eligible_org_types=("local", "regional"), opportunity_count=1,
                grandfather_first_fy=2013, grandfather_last_fy=2017, statutory_size=3)
    return RoundRules(**(base | changes))


def district(code: str, index: float, enrollment: float = 5000, name: str | None = None) -> dict:
    kinds = {"11": "local", "12": "regional", "13": "charter"}
    return {"district_code": code, "district_name": name or f"District {code}",
            "org_type": kinds[code[-2:]], "index": index, "enrollment": enrollment}


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def by_code(result) -> dict:
    return {d.district_code: d for d in result.designations}


NO_PRIOR: dict[str, PriorMember] = {}


def test_all_districts_tied_at_the_cutoff_are_designated():
    # the 2 lowest: 50 is 1st, then 60 and 60 tie for 2nd -> both in (3 members)
    result = designate_round(frame(district("0010011", 50), district("0020011", 60),
                                   district("0030011", 60), district("0040011", 70)), NO_PRIOR, rules())
    got = by_code(result)
    assert [got[c].rank for c in ("0010011", "0020011", "0030011", "0040011")] == [1, 2, 2, 4]
    assert {d.district_code for d in result.members} == {"0010011", "0020011", "0030011"}
    assert result.ties == ("tie at the rank cutoff: District 0020011, District 0030011 (include_all)",)


def test_excluding_ties_at_the_cutoff_keeps_only_those_strictly_inside():
    result = designate_round(frame(district("0010011", 50), district("0020011", 60),
                                   district("0030011", 60), district("0040011", 70)), NO_PRIOR,
                             rules(cutoff_ties="exclude_all"))
    # tied districts share the highest rank (3), past the cutoff of 2
    assert by_code(result)["0020011"].rank == 3
    assert {d.district_code for d in result.members} == {"0010011"}


def test_district_just_under_1000_students_is_excluded_and_says_why():
    result = designate_round(frame(district("0010011", 40, enrollment=999), district("0020011", 45, 1000),
                                   district("0030011", 50), district("0040011", 70)), NO_PRIOR, rules())
    small = by_code(result)["0010011"]
    assert small.status == NOT_DESIGNATED and small.rank is None and not small.eligible
    assert small.reason == "excluded: 999 students in 2015-16, fewer than 1,000"
    # exactly 1,000 passes: ranks 1 and 2 are the 45 and the 50
    assert {d.district_code for d in result.members} == {"0020011", "0030011"}


def test_grandfathered_district_that_improved_keeps_its_status():
    prior = {"0040011": PriorMember("0040011", "Improver", 2013, (2013, 2014, 2015, 2016, 2017))}
    result = designate_round(frame(district("0010011", 50), district("0020011", 55),
                                   district("0030011", 60), district("0040011", 92, name="Improver")),
                             prior, rules())
    kept = by_code(result)["0040011"]
    assert (kept.status, kept.basis, kept.rank, kept.first_fy, kept.cohort_fy) == (
        ALLIANCE, GRANDFATHERED, 4, 2013, 2018)
    assert kept.reason == "rank 4 of 4 (index 92.0), not among the 2 lowest; kept: designated FY2013"
    assert len(result.members) == 3 and result.size_check().startswith("3 Alliance Districts: matches")


def test_district_with_no_index_is_shown_as_excluded_not_dropped():
    result = designate_round(frame(district("0010011", math.nan), district("0020011", 55),
                                   district("0030011", 60)), NO_PRIOR, rules())
    missing = by_code(result)["0010011"]
    assert missing.status == NOT_DESIGNATED and missing.index is None
    assert missing.reason == "excluded: no accountability index for 2015-16"
    assert missing.ranked_of is None and by_code(result)["0030011"].ranked_of == 2


def test_district_with_no_enrollment_is_shown_as_excluded():
    result = designate_round(frame(district("0010011", 40, enrollment=math.nan), district("0020011", 55)),
                             NO_PRIOR, rules())
    assert by_code(result)["0010011"].reason == "excluded: no enrollment count for 2015-16"


def test_charter_with_a_low_index_is_not_eligible():
    result = designate_round(frame(district("2790013", 20), district("0020011", 55), district("0030011", 60),
                                   district("0040011", 70)), NO_PRIOR, rules())
    charter = by_code(result)["2790013"]
    assert charter.status == NOT_DESIGNATED and charter.rank is None
    assert charter.reason == "excluded: charter districts are not eligible (local, regional only)"
    assert {d.district_code for d in result.members} == {"0020011", "0030011"}


def test_prior_member_missing_from_the_data_is_kept_and_flagged():
    # e.g. a district renamed or merged: its code has no row in the index year
    prior = {"0090011": PriorMember("0090011", "Gone", 2013, (2013, 2014, 2015, 2016, 2017))}
    result = designate_round(frame(district("0010011", 50), district("0020011", 60)), prior, rules())
    gone = by_code(result)["0090011"]
    assert (gone.status, gone.basis) == (ALLIANCE, GRANDFATHERED)
    assert gone.reason == ("excluded: not in the 2015-16 accountability or 2015-16 enrollment data; "
                           "kept: designated FY2013")


def test_opportunity_district_is_the_lowest_alliance_district_including_small_grandfathered_ones():
    # the small grandfathered member (index 30, 600 students) is the lowest Alliance District
    prior = {"0050011": PriorMember("0050011", "Small", 2013, (2013,))}
    rows = frame(district("0010011", 50), district("0020011", 60), district("0050011", 30, enrollment=600))
    result = designate_round(rows, prior, rules())
    assert by_code(result)["0050011"].status == OPPORTUNITY
    assert by_code(result)["0010011"].status == ALLIANCE
    ranked_only = designate_round(rows, prior, rules(opportunity_pool="eligible_ranking"))
    assert by_code(ranked_only)["0010011"].status == OPPORTUNITY


def test_member_outside_the_grandfather_window_must_rank_again():
    # designated FY2023-FY2027 only; the window ends FY2022
    prior = {"0040011": PriorMember("0040011", "Late", 2023, (2023, 2024, 2025, 2026, 2027))}
    result = designate_round(frame(district("0010011", 50), district("0020011", 55), district("0040011", 90)),
                             prior, rules(cohort_fy=2028, grandfather_last_fy=2022))
    late = by_code(result)["0040011"]
    assert late.status == NOT_DESIGNATED and late.basis is None
    assert late.reason.endswith("not kept: designated FY2023-FY2027, outside the window FY2013-FY2022")


def test_input_with_two_rows_for_a_district_is_refused():
    with pytest.raises(ValueError, match="more than one row for 0010011"):
        designate_round(frame(district("0010011", 50), district("0010011", 51)), NO_PRIOR, rules())


def test_composition_grandfathers_the_given_list_into_the_next_round():
    given = rules(cohort_fy=2013, source="given", statutory_size=1)
    ranked = rules(lowest_count=1, statutory_size=2)
    universe = frame(district("0010011", math.nan), district("0020011", math.nan))
    data_2016 = frame(district("0010011", 80), district("0020011", 40))
    first, second = compose_rounds([given, ranked], {2013: universe, 2018: data_2016}, ["0010011"])
    assert [d.district_code for d in first.members] == ["0010011"]
    got = by_code(second)
    assert (got["0010011"].basis, got["0010011"].first_fy) == (GRANDFATHERED, 2013)
    assert (got["0020011"].basis, got["0020011"].first_fy) == (BY_RANK, 2018)


def test_explain_lists_the_earlier_round_and_each_check():
    given = rules(cohort_fy=2013, source="given", statutory_size=1)
    ranked = rules(lowest_count=1, statutory_size=2)
    results = compose_rounds([given, ranked], {2013: frame(district("0010011", math.nan)),
                                               2018: frame(district("0010011", 80, 700))}, ["0010011"])
    steps = explain(results, ranked, 2020, "0010011")
    assert [s.step for s in steps] == ["round in force", "earlier round FY2013", "organisation type",
                                       "accountability index", "enrollment", "rank", "grandfathering",
                                       "opportunity", "result"]
    assert steps[4].data == "students 2015-16: 700" and steps[4].outcome == "fail"
    assert steps[6].outcome == "kept"
    with pytest.raises(UnknownEntityError, match="0990011"):
        explain(results, ranked, 2020, "0990011")


def test_round_in_force_follows_the_five_year_terms():
    rounds = all_rounds(load_parameters(), 2032)
    assert [r.cohort_fy for r in rounds] == [2013, 2018, 2023, 2028]
    # FY2022 is the last year of the FY2018 round (2018 + 5 - 1); FY2023 starts the next
    assert round_in_force(rounds, 2022).cohort_fy == 2018
    assert round_in_force(rounds, 2023).cohort_fy == 2023
    assert round_in_force(rounds, 2026).cohort_fy == 2023
    with pytest.raises(UnknownEntityError, match="FY2033"):
        round_in_force(rounds, 2033)
    with pytest.raises(UnknownEntityError, match="before the first"):
        all_rounds(load_parameters(), 2012)


def test_round_parameters_in_force_for_fy2023():
    fy2023 = all_rounds(load_parameters(), 2023)[-1]
    assert (fy2023.index_school_year, fy2023.enrollment_school_year, fy2023.lowest_count,
            fy2023.min_enrollment, fy2023.statutory_size) == ("2018-19", "2018-19", 30, 1000, 36)
    assert (fy2023.grandfather_first_fy, fy2023.grandfather_last_fy) == (2013, 2022)
    assert "C.G.S. § 10-262u" in fy2023.cite("grandfather_window")


def test_a_district_merged_since_the_data_year_says_so_and_keeps_its_decided_status():
    from alliance.designations import with_successions
    from alliance.reference.crosswalk import Succession

    merged = Succession("2060012", "Regional School District 06", "2200012", "Regional School District 20",
                        "2024-25")
    result = designate_round(frame(district("2060012", 70, 900), district("0020011", 55)), NO_PRIOR, rules())
    before = with_successions(result, 2024, [merged])            # FY2024 = 2023-24: not merged yet
    assert before == result
    after = with_successions(result, 2025, [merged])             # FY2025 = 2024-25: merged
    gone = by_code(after)["2060012"]
    assert gone.status == NOT_DESIGNATED
    assert gone.reason == ("excluded: 900 students in 2015-16, fewer than 1,000; since 2024-25 part of "
                           "Regional School District 20 (2200012)")
    assert after.notes[-1].startswith("Regional School District 06 (2060012) became part of Regional School "
                                      "District 20 (2200012) from 2024-25: the FY2018 round ranks the "
                                      "districts of 2015-16")
