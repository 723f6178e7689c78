"""The report's money section: the ECS engine's withholding, beside CSDE's published breakout."""

from __future__ import annotations

import csv

import pytest

from alliance.analytics.money import alliance_money
from alliance.parameters import load_parameters

ECS_FILE = "raw/edbot317-public-ct-ed-data/town_year_ecs_entitlement_fy2025_fy2026.csv"


@pytest.fixture(scope="module")
def money(evaluation_warehouse):
    return alliance_money(evaluation_warehouse, load_parameters())


def _year(money: dict, fiscal_year: int) -> dict:
    return next(row for row in money["by_year"] if row["fiscal_year"] == fiscal_year)


def _published_total(data_root, fiscal_year: int) -> int:
    """Sum of the alliance_portion column over the year's 169 town rows of the CSDE breakout file."""
    with open(data_root / ECS_FILE, newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["fiscal_year"] == str(fiscal_year)]
    assert len(rows) == 169
    return sum(int(float(r["alliance_portion"])) for r in rows if r["alliance_portion"])


@pytest.mark.parametrize(("fiscal_year", "published"), [
    # town_year_ecs_entitlement_fy2025_fy2026.csv, alliance_portion summed over the 169 towns:
    # FY2025 33 towns with a positive portion, 453,019,437 (Ansonia 5,223,090, Bridgeport ..., Windsor Locks);
    # FY2026 34 towns, 535,798,705 (Enfield's 1,443,501 added on its FY2012 base)
    (2025, 453_019_437),
    (2026, 535_798_705),
])
def test_computed_withholding_equals_the_published_total(money, data_root, fiscal_year, published):
    assert _published_total(data_root, fiscal_year) == published   # the file says so, independently
    year = _year(money, fiscal_year)
    assert year["published_withheld"] == published
    assert year["withheld"] == published
    assert year["difference"] == 0
    assert year["reconciliation"] == "computed equals published"


def test_ansonia_fy2025_is_the_increase_above_its_fy2012_grant(money):
    # entitlement 20,315,782 − FY2012 grant 15,031,668 − education-diversity portion 61,024 = 5,223,090
    row = next(r for r in money["by_town"] if r["fiscal_year"] == 2025 and r["town"] == "Ansonia")
    assert (row["base_fy"], row["alliance_portion"], row["published_alliance_portion"]) == (2012, 5_223_090,
                                                                                            5_223_090)


def test_members_with_nothing_withheld_fy2025(money):
    # Groton 25,040,045 − FY2012 25,374,989 < 0; Thompson 7,534,704 − 7,608,489 < 0;
    # Enfield (FY2023 cohort, FY2022 base) 29,823,645 − 29,823,645 = 0
    assert _year(money, 2025)["members_nothing_withheld"] == ["Enfield", "Groton", "Thompson"]
    assert _year(money, 2026)["members_nothing_withheld"] == ["Groton", "Thompson"]


def test_every_fiscal_year_with_data_is_reported(money):
    assert [row["fiscal_year"] for row in money["by_year"]] == list(range(2013, 2028))
    assert money["years_before_program"] == [2012]   # FY2012 is only the base year


def test_released_is_unavailable_not_zero(money):
    assert all(row["released"] is None for row in money["by_year"])
    assert money["released_status"].startswith("unavailable")


def test_a_difference_is_named_town_by_town(money):
    # FY2018: CSDE's breakout holds back part of each portion (methodology, ECS section), so computed ≠
    # published; the year says so and every town's difference is in by_town, summing to the year's difference
    year = _year(money, 2018)
    assert year["difference"] != 0
    assert year["reconciliation"].startswith("computed − published")
    towns = [r["difference"] for r in money["by_town"] if r["fiscal_year"] == 2018 and r["difference"]]
    assert sum(towns) == year["difference"]
