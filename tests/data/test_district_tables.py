"""The derived district directory and the one-enrollment-per-year table, on the real data."""

from __future__ import annotations

import pytest

from alliance.data.warehouse import connect, query


def test_districts_per_school_year_in_district_enrollment(warehouse):
    # edbot317 PROVENANCE: 2015 200, 2016 202, ..., 2025 199 districts (FY = school year's end)
    per_year = query(warehouse, "SELECT fiscal_year, count(*) AS n FROM district_enrollment "
                                "WHERE fiscal_year >= 2018 GROUP BY 1 ORDER BY 1")
    assert dict(zip(per_year.fiscal_year, per_year.n, strict=True)) == {
        2018: 202, 2019: 201, 2020: 200, 2021: 199, 2022: 200, 2023: 200, 2024: 200, 2025: 199}


def test_edbot_preferred_where_sources_overlap(warehouse):
    # Hartford 2014-15: edbot317 21,952, EdSight scrape 21,953 -> the edbot317 figure, labelled
    row = query(warehouse, "SELECT enrollment, source_id FROM district_enrollment "
                           "WHERE district_code = '0640011' AND school_year = '2014-15'").iloc[0]
    assert (row.enrollment, row.source_id) == (21952, "edbot317-enrollment")
    # 2013-14 exists only in the scrape (enrollment__2013-14_all-students.csv)
    older = query(warehouse, "SELECT source_id FROM district_enrollment "
                             "WHERE district_code = '0640011' AND school_year = '2013-14'")
    assert list(older.source_id) == ["ctdata-edsight-2017"]


def test_suppressed_everywhere_stays_null(warehouse):
    # Union 2016-17: blank in edbot317 and "*" in EdSight -> no enrollment, not zero
    row = query(warehouse, "SELECT enrollment FROM district_enrollment "
                           "WHERE district_code = '1450011' AND school_year = '2016-17'")
    assert len(row) == 1 and row.enrollment.isna().all()


def test_state_rows_are_not_districts(warehouse):
    assert query(warehouse, "SELECT count(*) AS n FROM districts WHERE district_code = '0000000'").n[0] == 0
    assert query(warehouse, "SELECT count(*) AS n FROM district_enrollment "
                            "WHERE district_code = '0000000'").n[0] == 0


@pytest.mark.parametrize(("code", "org_type", "town"), [
    ("0640011", "local", 64),          # Hartford: town 64
    ("2060012", "regional", None),     # a regional district has no single town
    ("2790013", "charter", None),      # Amistad Academy
    ("9030022", "endowed_academy", None),
])
def test_directory_org_type_and_town(warehouse, code, org_type, town):
    with connect(warehouse) as con:
        sql = "SELECT org_type, town_code FROM districts WHERE district_code = ?"
        row = con.execute(sql, [code]).fetchone()
    assert row == (org_type, town)


def test_directory_keeps_the_latest_name(warehouse):
    # Achievement First Hartford: "... Academy Inc. District" in the scrape (to 2016-17),
    # "Achievement First Hartford Academy District" in edbot317 (to 2024-25)
    name = query(warehouse, "SELECT district_name FROM districts WHERE district_code = '2880013'")
    assert name.district_name[0] == "Achievement First Hartford Academy District"
