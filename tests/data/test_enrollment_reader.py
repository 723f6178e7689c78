"""The edbot317 enrollment file, read into the long ``enrollment`` table (values from the file)."""

from __future__ import annotations

import math

import pytest

from alliance.data.readers import enrollment


@pytest.fixture(scope="module")
def table(data_root):
    return enrollment.read(data_root / "raw" / "edbot317-public-ct-ed-data")["enrollment"]


def count(table, code, fiscal_year, group):
    row = table[(table.district_code == code) & (table.fiscal_year == fiscal_year)
                & (table.student_group == group)]
    assert len(row) == 1, (code, fiscal_year, group)
    return row.iloc[0]


def test_districts_per_fiscal_year_match_provenance(table):
    # PROVENANCE.md: 2015 200, 2016 202, 2017 202, 2018 202, 2019 201, 2020 200, 2021 199,
    # 2022 200, 2023 200, 2024 200, 2025 199 = 2,205 rows
    per_year = table[table.student_group == "all"].groupby("fiscal_year").size().to_dict()
    assert per_year == {2015: 200, 2016: 202, 2017: 202, 2018: 202, 2019: 201, 2020: 200,
                        2021: 199, 2022: 200, 2023: 200, 2024: 200, 2025: 199}
    assert len(table) == 2205 * len(enrollment.GROUP_COLUMNS)


def test_named_district_totals(table):
    # Lines 74, 2082, 20, 2026, 103, 2110 of district_year_enrollment_selected_years.csv
    assert count(table, "0640011", 2025, "all")["count"] == 16434
    assert count(table, "0640011", 2015, "all")["count"] == 21952
    # Hartford + Bridgeport + New Haven, FY2025: 16,434 + 20,022 + 18,817 = 55,273
    big_three = sum(count(table, code, 2025, "all")["count"] for code in ("0640011", "0150011", "0930011"))
    assert big_three == 55273


def test_school_year_follows_fiscal_year(table):
    row = count(table, "0640011", 2025, "all")
    assert (row.school_year, row.district_name) == ("2024-25", "Hartford School District")


def test_blank_count_is_suppressed_not_zero(table):
    # Andover FY2015: "275.0,,15.0,250.0,0.0,..." -> n_black blank (suppressed), n_native_american 0
    black = count(table, "0010011", 2015, "black")
    assert math.isnan(black["count"]) and black["suppressed"]
    native = count(table, "0010011", 2015, "native_american")
    assert native["count"] == 0 and not native["suppressed"]


def test_union_total_blank_is_suppressed_as_in_edsight(table):
    # Union FY2017 enrollment_total is blank; EdSight 2016-17 shows "*" for the same cell.
    union = count(table, "1450011", 2017, "all")
    assert math.isnan(union["count"]) and union["suppressed"]
    assert count(table, "1450011", 2017, "white")["count"] == 65


def test_every_row_keeps_its_source(table):
    assert set(table.source_id) == {"edbot317-enrollment"}
    assert list(table.columns) == ["district_code", "district_name", "school_year", "fiscal_year",
                                   "student_group", "count", "suppressed", "source_id"]
