"""The regional member-town crosswalk: validated on read, and consistent with the ECS formula inputs."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from alliance.errors import DataError
from alliance.reference.crosswalk import (
    CROSSWALK_FILE,
    Succession,
    member_towns,
    read_regional_member_towns,
    successions,
)

ECS_INPUTS = "raw/edbot317-public-ct-ed-data/town_year_ecs_inputs_selected_years.csv"
# rsd_grades in the ECS inputs counts the grades a regional district serves for the town
GRADE_COUNT = {"9-12": 4, "7-12": 6, "K-12": 13}


@pytest.fixture(scope="module")
def crosswalk() -> pd.DataFrame:
    return read_regional_member_towns()


def test_local_district_serves_its_own_town(crosswalk):
    # Hartford is town 64; its local district is 64 x 10,000 + 11 = 0640011
    assert member_towns(crosswalk, "0640011", 2026) == [64]


def test_charter_serves_no_town(crosswalk):
    assert member_towns(crosswalk, "2790013", 2026) == []


def test_region_6_became_region_20_with_litchfield_in_2024_25(crosswalk):
    # Goshen 55, Morris 87, Warren 149; Litchfield 74 joins in Regional School District 20 (FY2025 = 2024-25)
    assert member_towns(crosswalk, "2060012", 2024) == [55, 87, 149]
    assert member_towns(crosswalk, "2060012", 2025) == []
    assert member_towns(crosswalk, "2200012", 2025) == [55, 74, 87, 149]
    assert member_towns(crosswalk, "2200012", 2024) == []


def test_the_only_succession_is_region_6_into_region_20(crosswalk):
    # RSD 06's rows end 2023-24; its towns Goshen, Morris and Warren start in RSD 20 in 2024-25
    assert successions(crosswalk) == [Succession("2060012", "Regional School District 06", "2200012",
                                                 "Regional School District 20", "2024-25")]


def test_seventeen_regional_districts_in_any_year(crosswalk):
    for fiscal_year in (2019, 2024, 2025, 2026):
        codes = {c for c in crosswalk["district_code"].unique() if member_towns(crosswalk, c, fiscal_year)}
        assert len(codes) == 17  # CSDE: Connecticut has 17 regional school districts


def test_member_towns_are_exactly_the_towns_sending_students_to_a_region(crosswalk, data_root):
    """ECS inputs (OFA shells): towns with rsd_students > 0 and their rsd_grades."""
    columns = ["town_code", "fiscal_year", "rsd_students", "rsd_grades"]
    ecs = pd.read_csv(data_root / ECS_INPUTS, usecols=columns)
    for fiscal_year in (2024, 2025, 2026):
        year = ecs[ecs["fiscal_year"] == fiscal_year]
        sending = set(year.loc[year["rsd_students"].fillna(0) > 0, "town_code"])
        # ECS counts are from October two school years back: FY2026 uses the October 2024 (2024-25) count
        codes = crosswalk["district_code"].unique()
        listed = {t for c in codes for t in member_towns(crosswalk, c, fiscal_year - 1)}
        assert sending == listed, fiscal_year
        grades = dict(zip(year["town_code"], year["rsd_grades"], strict=True))
        current = crosswalk[crosswalk["last_school_year"].isna()]
        for row in current.itertuples():
            if row.town_code in sending:
                assert grades[row.town_code] == GRADE_COUNT[row.grades], (row.town, fiscal_year)


def test_bad_row_is_refused_with_line_and_column(tmp_path: Path):
    rows = list(csv.reader(CROSSWALK_FILE.open()))
    rows[3][2] = "two hundred"
    bad = tmp_path / "crosswalk.csv"
    with bad.open("w", newline="") as out:
        csv.writer(out).writerows(rows)
    with pytest.raises(DataError, match=r"line 4, column 'town_code'"):
        read_regional_member_towns(bad)
