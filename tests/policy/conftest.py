"""A hand-built state of 13 local districts (towns 1-13) for scenario tests.

Rules for the tests: the shipped parameters with two lowered counts (2 lowest designated, 1
Opportunity District), so that every outcome can be worked out by hand.

Index by results year (enrollment: 2,000 students, except D7 500 and D13 300):

    year      D1  D2  D3  D4  D5  D6  D7  D8  D9  D10 D11 D12 D13
    2015-16   50  60  65  80  85  90  55  70  88  89  91  92  54
    2018-19   62  74  61  76  77  90  60  70  88  89  91  92  59
    2023-24   60  70  62  80  81  90  60  64  88  89  91  92  59
    2024-25   60  70  62  80  81  90  60  64  88  89  91  92  59

FY2013 (given list): D1. FY2018 round (2015-16): 2 lowest of the 11 eligible = D1 (50), D2 (60).
FY2023 round (2018-19): 2 lowest = D3 (61), D1 (62); D1 and D2 kept (designated FY2013-FY2022).
Members in FY2026: D1, D2, D3; Opportunity: D3 (lowest member, 61).
"""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.codes import local_district_code
from alliance.parameters import load_parameters
from alliance.simulate.membership import RoundInputs
from alliance.simulate.side import World

INDEX = {
    "2015-16": [50, 60, 65, 80, 85, 90, 55, 70, 88, 89, 91, 92, 54],
    "2018-19": [62, 74, 61, 76, 77, 90, 60, 70, 88, 89, 91, 92, 59],
    "2023-24": [60, 70, 62, 80, 81, 90, 60, 64, 88, 89, 91, 92, 59],
    "2024-25": [60, 70, 62, 80, 81, 90, 60, 64, 88, 89, 91, 92, 59],
}
STUDENTS = {7: 500, 13: 300}
HIGH_NEEDS = {1: 1500, 2: 800, 3: 1200, 4: 300, 7: 400, 8: 900, 13: 250}
WITHHELD = {1: 500_000, 2: 1_000_000, 3: 300_000, 4: 40_000, 7: 70_000, 8: 80_000, 13: 13_000}
TOWNS = range(1, 14)


def code(town: int) -> str:
    return local_district_code(town)


@pytest.fixture()
def synthetic_params():
    return load_parameters().override({"designation.lowest_count": 2, "designation.opportunity_count": 1})


def _round_frame(year: str) -> pd.DataFrame:
    return pd.DataFrame({"district_code": [code(t) for t in TOWNS],
                         "district_name": [f"D{t}" for t in TOWNS], "org_type": "local",
                         "index": [float(v) for v in INDEX[year]],
                         "enrollment": [float(STUDENTS.get(t, 2000)) for t in TOWNS]})


def _accountability() -> pd.DataFrame:
    rows = []
    for year, values in INDEX.items():
        fall = int(year[:4])
        for town, value in zip(TOWNS, values, strict=True):
            rows.append({"district_code": code(town), "district_name": f"D{town}", "org_type": "local",
                         "school_year": year, "fiscal_year": fall + 1, "index": float(value),
                         "x_points": 40.0, "x_possible": 50.0})
    return pd.DataFrame(rows)


def _per_year(values: dict[int, int], default: int | None, column: str) -> pd.DataFrame:
    rows = [{"district_code": code(t), "fiscal_year": fy, column: values.get(t, default)}
            for t in TOWNS for fy in (2016, 2019, 2024, 2025)]
    return pd.DataFrame(rows).dropna()


def _withholding(members: pd.DataFrame, fiscal_years: list[int]) -> pd.DataFrame:
    rows = [{"district_code": c, "fiscal_year": fy, "amount": WITHHELD.get(int(c[:-4]), 0)}
            for c in members["district_code"] for fy in fiscal_years]
    return pd.DataFrame(rows, columns=["district_code", "fiscal_year", "amount"])


@pytest.fixture()
def synthetic_world() -> World:
    frames = {2013: _round_frame("2018-19")[["district_code", "district_name", "org_type"]],
              2018: _round_frame("2015-16"), 2023: _round_frame("2018-19")}
    return World(inputs=RoundInputs(frames, [code(1)]), accountability=_accountability(),
                 enrollment=_per_year(STUDENTS, 2000, "students"),
                 high_needs=_per_year(HIGH_NEEDS, None, "high_needs_proxy"),
                 withholding=_withholding)
