"""Enrollment by district, year and student group: the edbot317 EdSight merge (FY2015-FY2025).

The file is wide (one row per district and fiscal year, a count column per group); the warehouse
table ``enrollment`` is long: one row per district × school year × student group. The percent
columns are not imported: PROVENANCE checked every one equals count / enrollment_total × 100.

Blank cells: EdSight suppresses small counts (shown ``*``), which this file writes as blank, so
every blank count is read as *suppressed* (count NULL, ``suppressed`` true). That includes the
blank ``enrollment_total`` of Union (2016-17 on) and Canaan (2015-16): the EdSight scrape
(``ctdata-edsight-2017``) shows ``*`` for exactly those totals. A value absent for another
reason cannot be told apart in this file (PROVENANCE: Bridgeport left free lunch blank in
2014-15 and 2015-16 under community eligibility); docs/methodology.md lists these cases.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from alliance.data.source import SOURCE_ID, Source
from alliance.data.tabular import Converter, known_fiscal_years, read_rows, validate
from alliance.years import school_year_label

FILE = "district_year_enrollment_selected_years.csv"
SOURCE_ID_EDBOT = "edbot317-enrollment"

GROUP_COLUMNS = {
    "enrollment_total": "all",
    "n_black": "black",
    "n_hispanic": "hispanic",
    "n_white": "white",
    "n_native_american": "native_american",
    "n_asian": "asian",
    "n_two_or_more": "two_or_more",
    "n_pacific_islander": "pacific_islander",
    "n_ell": "ell",
    "n_free_lunch": "free_lunch",
    "n_reduced_lunch": "reduced_lunch",
    "n_frpl": "frpl",
    "n_sped": "sped",
    "n_black_hispanic": "black_hispanic",
}

# Every student group any enrollment source may write; a reader refuses a label outside it.
STUDENT_GROUPS = sorted({
    *GROUP_COLUMNS.values(), "not_ell", "not_frpl", "not_sped", "female", "male",
    "race_not_reported", "grade_pk", "grade_k", *(f"grade_{n}" for n in range(1, 13)),
})

COLUMNS = ["district_code", "district_name", "school_year", "fiscal_year", "student_group",
           "count", "suppressed", SOURCE_ID, "_line", "_file"]

ENROLLMENT_SCHEMA = pa.DataFrameSchema(
    {
        "district_code": pa.Column(str, pa.Check.str_matches(r"^\d{7}$")),
        "district_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "school_year": pa.Column(str, pa.Check.str_matches(r"^(19|20)\d{2}-\d{2}$")),
        "fiscal_year": pa.Column(int, known_fiscal_years()),
        "student_group": pa.Column(str, pa.Check.isin(STUDENT_GROUPS)),
        "count": pa.Column(float, pa.Check.ge(0), nullable=True),
        "suppressed": pa.Column(bool),
        SOURCE_ID: pa.Column(str),
    },
    unique=["district_code", "school_year", "student_group", SOURCE_ID],
    # ignore_na=False: no row is all missing, and pandera would otherwise look for such rows.
    checks=pa.Check(lambda df: ~(df["suppressed"] & df["count"].notna()),
                    error="a suppressed count has a value", ignore_na=False),
)


def read(folder: Path) -> dict[str, pd.DataFrame]:
    path = folder / FILE
    rows = read_rows(path, required=["District", "District Code", "fiscal_year", *GROUP_COLUMNS])
    convert = Converter(path, rows)
    codes = convert.district_code("District Code")
    fiscal_years = convert.integer("fiscal_year")
    counts = convert.values(list(GROUP_COLUMNS)).to_numpy()
    convert.raise_if_any()
    # Wide to long: the group columns one after another, each row of the file once per group.
    groups = len(GROUP_COLUMNS)
    long = pd.DataFrame({
        "district_code": pd.Series(np.tile(codes.to_numpy(dtype=object), groups), dtype=object),
        "district_name": pd.array(np.tile(rows["District"].str.strip().to_numpy(dtype=object), groups),
                                  dtype="str"),
        "fiscal_year": np.tile(fiscal_years.to_numpy(dtype="int64"), groups),
        "student_group": pd.array(np.repeat(list(GROUP_COLUMNS.values()), len(rows)).astype(object),
                                  dtype="str"),
        "count": counts.ravel(order="F"),
        "suppressed": np.isnan(counts).ravel(order="F"),
        "_line": np.tile(rows["_line"].to_numpy(), groups),
    })
    long = finish_enrollment(long, SOURCE_ID_EDBOT, str(path))
    return {"enrollment": validate(long, ENROLLMENT_SCHEMA, path).drop(columns=["_line", "_file"])}


def finish_enrollment(long: pd.DataFrame, source_id: str, file: str | pd.Series) -> pd.DataFrame:
    """Add the school year, source and file columns, in the contract's column order."""
    fiscal = long["fiscal_year"].astype("int64")
    labels = {fy: school_year_label(fy - 1) for fy in fiscal.unique()}
    long = long.assign(fiscal_year=fiscal, school_year=fiscal.map(labels), **{SOURCE_ID: source_id},
                       _file=file)
    return long[COLUMNS]


SOURCE = Source(
    id=SOURCE_ID_EDBOT,
    folder="edbot317-public-ct-ed-data",
    title="Enrollment by district and student group (EdSight export, merged)",
    publisher="CT State Department of Education (EdSight), via edbot317-source/public-CT-ed-data",
    licence="CC-BY-4.0",
    years="2014-15 .. 2024-25 (FY2015-FY2025)",
    as_of="commit 3c96e5ab (transcribed)",
    read=read,
    files=(FILE,),
)
