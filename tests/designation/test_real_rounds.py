"""The FY2018 and FY2023 rounds on the real data, checked against what the ECS records say.

Truth comes from the state's money records, not from this code: the per-year Alliance flag and
reform (Opportunity) flag in the OFA/CSDE ECS formula inputs (FY2024-FY2026), the towns with a
positive Alliance portion of their ECS grant (FY2013-FY2027), and the withholding base visible in the
non-Alliance portion (the FY2012 grant for districts designated before FY2023, the FY2022 grant for
those first designated in FY2023). See docs/methodology.md, Designation.
"""

from __future__ import annotations

import pytest

from alliance.data import warehouse as wh
from alliance.designations import members_for_fiscal_year, standing

pytestmark = pytest.mark.slow

ENFIELD, GROTON, PLAINFIELD, STRATFORD, THOMPSON, TORRINGTON = 49, 59, 109, 138, 141, 143


def towns_of(members) -> set[int]:
    return {t for towns in members["town_codes"] for t in towns}


def flagged(warehouse, column: str, fiscal_year: int) -> set[int]:
    frame = wh.query(warehouse, f"SELECT town_code FROM ecs_inputs WHERE fiscal_year = ? AND {column} = 1",
                     [fiscal_year])
    return set(frame["town_code"])


def grants(warehouse):
    return wh.query(warehouse, "SELECT town_code, fiscal_year, entitlement, alliance_portion, "
                               "non_alliance_portion FROM ecs_entitlement")


@pytest.fixture(scope="module")
def first_30(warehouse) -> set[str]:
    frame = wh.query(warehouse, "SELECT district_code FROM designation_given WHERE status = 'Alliance'")
    return set(frame["district_code"])


def test_fy2018_round_has_33_members_and_keeps_the_first_30(warehouse, first_30):
    result = standing(2018, warehouse).current
    members = {d.district_code for d in result.members}
    assert len(members) == 33  # § 10-262u(b)(2)
    assert first_30 <= members
    added = {int(code[:3]) for code in members - first_30}
    # Torrington's Alliance portion starts in FY2018; Groton and Thompson carry the flag in FY2024-26
    assert added == {GROTON, THOMPSON, TORRINGTON}


def test_fy2023_round_has_36_members_and_keeps_every_earlier_member(warehouse):
    results = standing(2023, warehouse).results
    fy2018 = {d.district_code for d in results[1].members}
    fy2023 = {d.district_code for d in results[2].members}
    assert len(fy2023) == 36  # § 10-262u(b)(3)
    assert fy2018 <= fy2023
    assert {int(code[:3]) for code in fy2023 - fy2018} == {ENFIELD, PLAINFIELD, STRATFORD}


@pytest.mark.parametrize("fiscal_year", [2024, 2025, 2026])
def test_members_are_the_towns_with_the_ecs_alliance_flag(warehouse, fiscal_year):
    members = members_for_fiscal_year(fiscal_year, warehouse)
    assert towns_of(members) == flagged(warehouse, "alliance_flag", fiscal_year)


@pytest.mark.parametrize("fiscal_year", [2024, 2025, 2026])
def test_opportunity_districts_are_the_towns_with_the_ecs_reform_flag(warehouse, fiscal_year):
    members = members_for_fiscal_year(fiscal_year, warehouse)
    opportunity = members[members["status"] == "opportunity"]
    assert towns_of(opportunity) == flagged(warehouse, "reform_flag", fiscal_year)


def test_every_town_with_an_alliance_portion_is_a_member(warehouse):
    money = grants(warehouse)
    for fiscal_year in range(2013, 2028):
        paid = set(money.loc[(money["fiscal_year"] == fiscal_year) & (money["alliance_portion"] > 0),
                             "town_code"])
        assert paid <= towns_of(members_for_fiscal_year(fiscal_year, warehouse)), fiscal_year


def test_withholding_base_matches_the_round_of_first_designation(warehouse):
    """Non-Alliance portion = FY2012 grant if first designated before FY2023, else the FY2022 grant.

    FY2018 (a year of across-the-board reductions) and Enfield from FY2026 (see the next test) aside.
    """
    money = grants(warehouse).set_index(["town_code", "fiscal_year"])
    for fiscal_year in range(2019, 2028):
        members = members_for_fiscal_year(fiscal_year, warehouse)
        for row in members.itertuples():
            (town,) = row.town_codes
            record = money.loc[(town, fiscal_year)]
            if not record["alliance_portion"] > 0 or (town == ENFIELD and fiscal_year >= 2026):
                continue
            base_year = 2022 if row.first_fy == 2023 else 2012
            assert record["non_alliance_portion"] == money.loc[(town, base_year), "entitlement"], (
                town, fiscal_year)


def test_enfield_base_from_fy2026_is_its_fy2012_grant_although_first_designated_fy2023(warehouse):
    """A source inconsistency kept as stored: Enfield's FY2026-27 portion uses the FY2012 base.

    Through FY2025 Enfield (first designated FY2023, like Plainfield and Stratford) shows no Alliance
    portion: its grant never rose above the FY2022 grant. From FY2026 the breakout withholds the excess
    over its FY2012 grant instead, while Plainfield and Stratford keep their FY2022 base.
    """
    members = members_for_fiscal_year(2026, warehouse).set_index("district_code")
    assert members.loc["0490011", "first_fy"] == 2023
    money = grants(warehouse).set_index(["town_code", "fiscal_year"])
    # 29,823,645 (FY2026-27 grant) - 28,380,144 (FY2012 grant) = 1,443,501; the FY2022 grant is 29,823,645
    assert money.loc[(ENFIELD, 2025), "alliance_portion"] == 0
    assert money.loc[(ENFIELD, 2026), "alliance_portion"] == 1_443_501
    assert money.loc[(ENFIELD, 2027), "alliance_portion"] == 1_443_501
    assert money.loc[(ENFIELD, 2012), "entitlement"] == 28_380_144
    assert money.loc[(ENFIELD, 2022), "entitlement"] == 29_823_645
