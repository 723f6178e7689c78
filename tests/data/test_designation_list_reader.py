"""The original (FY2013) Alliance Districts as published (alspur allianceDistricts.csv)."""

from __future__ import annotations

import pytest

from alliance.data.readers import designation_list

# spec/alliance.md §10, CONFIRMED original 30 (FY2013 cohort)
ORIGINAL_30 = {
    "Ansonia", "Bloomfield", "Bridgeport", "Bristol", "Danbury", "Derby", "East Hartford", "East Haven",
    "East Windsor", "Hamden", "Hartford", "Killingly", "Manchester", "Meriden", "Middletown", "Naugatuck",
    "New Britain", "New Haven", "New London", "Norwalk", "Norwich", "Putnam", "Stamford", "Vernon",
    "Waterbury", "West Haven", "Winchester", "Windham", "Windsor", "Windsor Locks",
}


@pytest.fixture(scope="module")
def table(data_root):
    return designation_list.read(data_root / "raw" / "alspur-ecstargets")["designation_given"]


def test_exactly_the_original_thirty(table):
    alliance = table[table.status == "Alliance"]
    assert set(alliance.town) == ORIGINAL_30
    assert len(alliance) == 30


def test_every_town_once_with_its_local_district(table):
    assert sorted(table.town_code) == list(range(1, 170))
    hartford = table[table.town == "Hartford"].iloc[0]
    # town 64 -> 64 x 10,000 + 11 = 640011 -> "0640011"
    assert (hartford.town_code, hartford.district_code, hartford.cohort_fy) == (64, "0640011", 2013)


def test_a_list_with_a_different_count_is_refused(tmp_path, data_root):
    from alliance.errors import DataError

    text = (data_root / "raw" / "alspur-ecstargets" / "allianceDistricts.csv").read_text()
    changed = text.replace("2,ANSONIA,Alliance", "2,ANSONIA,Non-Alliance")
    (tmp_path / "allianceDistricts.csv").write_text(changed)
    with pytest.raises(DataError, match="29 Alliance towns; the FY2013 round designated 30"):
        designation_list.read(tmp_path)
