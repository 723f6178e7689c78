"""The Alliance withholding rule on constructed towns, and member districts mapped to towns."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.data.ecs_tables import regional_members, towns_of_members
from alliance.errors import ParameterError, UnknownEntityError
from alliance.rules.withholding import NOT_MEMBER, NOTHING_WITHHELD, WITHHELD, alliance_withholding

BASES = {2013: 2012, 2018: 2012, 2023: 2022}


def records(*rows) -> pd.DataFrame:
    """rows: (town_code, fiscal_year, entitlement, alliance, diversity, non_alliance)."""
    frame = pd.DataFrame(rows, columns=["town_code", "fiscal_year", "entitlement", "alliance_portion",
                                        "education_diversity_portion", "non_alliance_portion"])
    return frame.assign(town=frame["town_code"].map(lambda c: f"Town{c}"))


GRANTS = records(
    (1, 2012, 1_000, None, None, None), (1, 2022, 1_500, 0, None, 1_500), (1, 2026, 2_000, None, None, None),
    (2, 2012, 3_000, None, None, None), (2, 2022, 2_900, 0, None, 2_900), (2, 2026, 2_900, None, None, None),
    (3, 2012, 500, None, None, None), (3, 2022, 800, 0, None, 800), (3, 2026, 900, None, 40, None),
    (4, 2012, 100, None, None, None), (4, 2022, 100, 0, None, 100), (4, 2026, 100, None, None, None),
)


def withhold(membership: dict[int, int | None], fy: int = 2026, bases=BASES) -> pd.DataFrame:
    frame = pd.DataFrame({"town_code": list(membership), "cohort_fy": list(membership.values())})
    return alliance_withholding(GRANTS, frame, bases, fy).set_index("town_code")


def test_increase_above_the_fy2012_grant_is_withheld():
    row = withhold({1: 2018}).loc[1]
    # 2,000 − FY2012 1,000 = 1,000 withheld; the non-Alliance portion is the base
    assert (row["base_fy"], row["base_grant"], row["alliance_portion"], row["non_alliance_portion"]) == \
        (2012, 1_000, 1_000, 1_000)
    # no plan records: how much was released, and so how much is still withheld, is unknown
    assert row["status"] == WITHHELD and row["released"] is None and row["still_withheld"] is None


def test_fy2023_cohort_is_measured_from_its_fy2022_grant():
    # 2,000 − FY2022 1,500 = 500
    assert withhold({1: 2023}).loc[1, "alliance_portion"] == 500


def test_member_below_its_base_has_nothing_withheld_and_no_plan_obligation():
    row = withhold({2: 2013}).loc[2]
    # 2,900 − 3,000 = −100 → 0
    assert row["alliance_portion"] == 0 and row["non_alliance_portion"] == 2_900
    assert row["status"] == NOTHING_WITHHELD
    assert (row["released"], row["still_withheld"]) == (0, 0)


def test_education_diversity_portion_is_carved_from_the_increase():
    row = withhold({3: 2013}).loc[3]
    # 900 − 500 − 40 = 360 withheld; 900 − 360 − 40 = 500 non-Alliance
    assert (row["alliance_portion"], row["education_diversity_portion"], row["non_alliance_portion"]) == \
        (360, 40, 500)


def test_non_member_keeps_everything():
    row = withhold({1: 2013}).loc[4]
    assert not row["member"] and row["alliance_portion"] == 0 and row["non_alliance_portion"] == 100
    assert row["status"] == NOT_MEMBER


def test_portions_always_add_up_to_the_entitlement():
    table = withhold({1: 2018, 2: 2013, 3: 2023})
    total = table["alliance_portion"] + table["education_diversity_portion"] + table["non_alliance_portion"]
    assert (total == table["entitlement"]).all()


def test_unknown_cohort_is_fine_only_when_it_does_not_matter():
    # town 4: 100 − 100 (both bases) = 0 either way
    assert withhold({4: None}).loc[4, "alliance_portion"] == 0
    # town 1: FY2012 base gives 1,000, FY2022 base 500: refuse to guess
    with pytest.raises(UnknownEntityError, match="cohort unknown"):
        withhold({1: None})


def test_cohort_without_a_base_year_parameter_is_refused():
    with pytest.raises(ParameterError, match="cohort FY2028"):
        withhold({1: 2028})


def test_missing_base_year_grant_is_refused():
    with pytest.raises(UnknownEntityError, match="no FY2012 ECS grant"):
        alliance_withholding(GRANTS[GRANTS["fiscal_year"] != 2012],
                             pd.DataFrame({"town_code": [1], "cohort_fy": [2013]}), BASES, 2026)


def test_dated_exception_overrides_the_cohort_base_year():
    frame = pd.DataFrame({"town_code": [1, 3], "cohort_fy": [2023, 2023]})
    table = alliance_withholding(GRANTS, frame, BASES, 2026, exceptions={1: 2012}).set_index("town_code")
    # town 1, cohort 2023 but base FY2012 by exception: 2,000 − 1,000 = 1,000 (not 2,000 − 1,500 = 500)
    assert (table.loc[1, "base_fy"], table.loc[1, "alliance_portion"]) == (2012, 1_000)
    assert "by exception" in table.loc[1, "reason"]
    # town 3 keeps its cohort's FY2022 base: 900 − 800 − 40 = 60
    assert (table.loc[3, "base_fy"], table.loc[3, "alliance_portion"]) == (2022, 60)


def test_exception_for_a_town_that_is_not_a_member_withholds_nothing():
    frame = pd.DataFrame({"town_code": [3], "cohort_fy": [2013]})
    row = alliance_withholding(GRANTS, frame, BASES, 2026, exceptions={1: 2012}).set_index("town_code").loc[1]
    assert not row["member"] and row["alliance_portion"] == 0


def test_towns_of_members_maps_local_districts_and_gives_regional_ones_no_town():
    members = pd.DataFrame({"district_code": ["0490011", "2070012"], "district_name": ["Enfield", "RSD 7"],
                            "first_fy": [2023, 2018], "cohort_fy": [2023, 2023],
                            "status": ["alliance", "alliance"], "basis": ["rank", "grandfathered"]})
    town_table = pd.DataFrame({"town_code": [49], "town": ["Enfield"], "district_code": ["0490011"]})
    towns = towns_of_members(members, town_table, 2026)
    assert towns[["town_code", "cohort_fy"]].to_dict("records") == [{"town_code": 49, "cohort_fy": 2023}]
    assert regional_members(members) == ["RSD 7"]
    with pytest.raises(UnknownEntityError, match="0490011"):
        towns_of_members(members, town_table.iloc[0:0], 2026)
