"""The original (FY2013) Alliance Districts as published: alspur ``allianceDistricts.csv``.

One row per town (1-169) with its status, "Alliance" or "Non-Alliance", kept as published. The
file carries the 2015 flags, which are the first cohort (spec/alliance.md §10). The reader
refuses the file unless it names exactly as many Alliance towns as the first designation round
designated (parameter ``designation.lowest_count`` in its first fiscal year).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from alliance.codes import local_district_code
from alliance.data.source import SOURCE_ID, Source
from alliance.data.tabular import Converter, read_rows, validate
from alliance.errors import DataError, Problem
from alliance.parameters import load_parameters
from alliance.years import fiscal_year_of_date

FILE = "allianceDistricts.csv"
SOURCE_ID_ALSPUR = "alspur-alliance-districts"
STATUSES = ("Alliance", "Non-Alliance")

SCHEMA = pa.DataFrameSchema(
    {
        "town_code": pa.Column(int, pa.Check.in_range(1, 169), unique=True),
        "town": pa.Column(str, pa.Check.str_length(min_value=1)),
        "district_code": pa.Column(str, pa.Check.str_matches(r"^\d{7}$")),
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
        "cohort_fy": pa.Column(int),
        SOURCE_ID: pa.Column(str),
    },
)


def first_round() -> tuple[int, int]:
    """The first designation round's fiscal year and how many it designated."""
    parameter = load_parameters().parameter("designation.lowest_count")
    day, count = next(iter(parameter.values.items()))
    return fiscal_year_of_date(day), count


def read(folder: Path) -> dict[str, pd.DataFrame]:
    path = folder / FILE
    rows = read_rows(path, required=["code", "town", "alliance.status"])
    convert = Converter(path, rows)
    towns = convert.integer("code")
    convert.raise_if_any()
    cohort_fy, designated = first_round()
    frame = pd.DataFrame({
        "town_code": towns.astype("int64"),
        "town": rows["town"].str.strip().str.title(),
        "district_code": [local_district_code(t) if 1 <= t <= 169 else "?" for t in towns],
        "status": rows["alliance.status"].str.strip(),
        "cohort_fy": cohort_fy,
        SOURCE_ID: SOURCE_ID_ALSPUR,
        "_line": rows["_line"],
    })
    frame = validate(frame, SCHEMA, path)
    alliance = int((frame["status"] == "Alliance").sum())
    if alliance != designated:
        reason = f"{alliance} Alliance towns; the FY{cohort_fy} round designated {designated}"
        raise DataError([Problem(str(path), None, "alliance.status", reason)])
    return {"designation_given": frame.drop(columns=["_line"])}


SOURCE = Source(
    id=SOURCE_ID_ALSPUR,
    folder="alspur-ecstargets",
    title="The original Alliance Districts (FY2013 cohort; 2015 flags)",
    publisher="alspur/ecstargets (analyst's table from CSDE lists)",
    licence="see repository LICENSE (alspur/ecstargets)",
    years="FY2013 cohort",
    as_of="2015-06-03 (commit 033e3d00)",
    read=read,
    files=(FILE,),
)
