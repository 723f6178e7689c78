import datetime as dt

import pytest

from alliance.years import (
    SchoolYear,
    fiscal_year_of_date,
    fiscal_year_start,
    parse_fiscal_year,
)


def test_school_year_2023_24_is_fall_2023_and_fiscal_2024():
    year = SchoolYear.parse("2023-24")
    assert (year.fall_year, year.fiscal_year, year.label) == (2023, 2024, "2023-24")


def test_fiscal_year_round_trips_through_school_year():
    assert SchoolYear.of_fiscal_year(2026).label == "2025-26"


def test_century_boundary_school_year():
    assert SchoolYear.parse("1999-00").fiscal_year == 2000


@pytest.mark.parametrize("text", ["2023-25", "2023", "23-24", "2023/24", ""])
def test_malformed_school_years_are_refused_with_the_text(text):
    with pytest.raises(ValueError, match="not a school year"):
        SchoolYear.parse(text)


@pytest.mark.parametrize("text, year", [("FY2024", 2024), ("fy2024", 2024), ("2024", 2024), (2024, 2024)])
def test_fiscal_year_spellings(text, year):
    assert parse_fiscal_year(text) == year


def test_fiscal_year_starts_on_july_first_of_the_previous_calendar_year():
    assert fiscal_year_start(2023) == dt.date(2022, 7, 1)
    assert fiscal_year_of_date(dt.date(2022, 7, 1)) == 2023
    assert fiscal_year_of_date(dt.date(2023, 6, 30)) == 2023
