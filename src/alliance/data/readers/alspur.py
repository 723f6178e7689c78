"""ECS grants, targets and resident students, FY2014-FY2017: the alspur/ecstargets tables.

An analyst's hand-assembled tables (see PROVENANCE.md), not CSDE exports. Two warehouse tables:

- ``ecs_grant_history`` (long): town_code, town, fiscal_year, measure, amount, file. Measures:
  ``grant`` (FY2014, FY2015 grants), ``formula_target`` (FY2014), ``revised_formula_target``
  (FY2015), ``fully_funded_target`` and ``proposed`` (FY2016, CT Voices for Children),
  ``appropriations_committee`` and ``final_budget`` (FY2016, FY2017).
- ``ecs_resident_students``: resident and "fiscal" student counts by need group per town (the
  count date is not stated by the source, so no year is attached).

``allianceDistricts.csv`` in the same folder is read by the designation-list reader, not here.
The FY2016 files name towns without codes; codes come from ``ecs14target.csv`` in this folder.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from alliance.data.source import SOURCE_ID, Source
from alliance.data.tabular import LINE, Converter, read_rows, validate
from alliance.errors import DataError, Problem

SOURCE_ID_ALSPUR = "alspur-ecs"
CODED_FILE = "ecs14target.csv"

# file -> (town-code column or None, town-name column, {column: (fiscal_year, measure)})
GRANT_FILES = {
    "ecs14target.csv": ("town.id", "town.name", {"ecs.fy14": (2014, "grant"),
                                                  "ecs.target": (2014, "formula_target")}),
    "ecs15revTarget.csv": ("town_id", "town_name", {"fy15": (2015, "grant"),
                                                     "rev_ecs_target": (2015, "revised_formula_target")}),
    "ctvoicesECS.csv": (None, "town_name", {"fully_funded_target": (2016, "fully_funded_target"),
                                            "ecs_fy16": (2016, "proposed")}),
    "appropsECS.csv": (None, "town_name", {"approps_fy16": (2016, "appropriations_committee"),
                                           "approps_fy17": (2017, "appropriations_committee")}),
    "finalBudgetECS.csv": (None, "town_name", {"final_budget_fy16": (2016, "final_budget"),
                                               "final_budget_fy17": (2017, "final_budget")}),
}
RESIDENT_FILE = "resStudents.csv"
RESIDENT_COLUMNS = {
    "resTotal": "resident_total", "resRL": "resident_reduced_lunch", "resFL": "resident_free_lunch",
    "resFRPL": "resident_frpl", "resELL": "resident_ell", "resSpEd": "resident_sped",
    "fiscTotal": "fiscal_total", "fiscRL": "fiscal_reduced_lunch", "fiscFL": "fiscal_free_lunch",
    "fiscFRPL": "fiscal_frpl", "fiscELL": "fiscal_ell", "fiscSpEd": "fiscal_sped",
    "techHS": "technical_high_school", "charter": "charter", "fiscNone": "fiscal_none",
}
TOWN_COUNT = 169

GRANT_SCHEMA = pa.DataFrameSchema(
    {
        "town_code": pa.Column("Int64", pa.Check.in_range(1, TOWN_COUNT)),
        "town": pa.Column(str),
        "fiscal_year": pa.Column("Int64", pa.Check.in_range(2014, 2017)),
        "measure": pa.Column(str),
        "amount": pa.Column("Int64", pa.Check.ge(0)),
        SOURCE_ID: pa.Column(str),
    },
    unique=["town_code", "fiscal_year", "measure", "file"],
)

RESIDENT_SCHEMA = pa.DataFrameSchema(
    {
        "town_code": pa.Column("Int64", pa.Check.in_range(1, TOWN_COUNT), unique=True),
        **{name: pa.Column(float, pa.Check.ge(0), nullable=True) for name in RESIDENT_COLUMNS.values()},
    },
    checks=pa.Check(lambda df: len(df) == TOWN_COUNT, error=f"expected {TOWN_COUNT} towns"),
)


def read(folder: Path) -> dict[str, pd.DataFrame]:
    codes = town_codes(folder / CODED_FILE)
    grants = pd.concat([read_grant_file(folder / name, codes) for name in GRANT_FILES], ignore_index=True)
    return {"ecs_grant_history": grants, "ecs_resident_students": read_resident_students(folder, codes)}


def town_codes(path: Path) -> dict[str, int]:
    rows = read_rows(path, required=["town.id", "town.name"])
    convert = Converter(path, rows)
    codes = convert.integer("town.id")
    convert.raise_if_any()
    return {_key(name): int(code) for name, code in zip(rows["town.name"], codes, strict=True)}


def _key(name: str) -> str:
    return " ".join(str(name).split()).upper()


def _codes_for(path: Path, rows: pd.DataFrame, column: str, codes: dict[str, int]) -> pd.Series:
    found = rows[column].map(lambda name: codes.get(_key(name)))
    unknown = rows.index[found.isna()]
    if len(unknown):
        raise DataError([Problem(str(path), int(rows.at[i, LINE]), column,
                                 f"unknown town {rows.at[i, column]!r}") for i in unknown])
    return found.astype("Int64")


def read_grant_file(path: Path, codes: dict[str, int]) -> pd.DataFrame:
    code_column, name_column, measures = GRANT_FILES[path.name]
    rows = read_rows(path, required=[c for c in (code_column, name_column, *measures) if c])
    convert = Converter(path, rows)
    town_code = convert.integer(code_column) if code_column else _codes_for(path, rows, name_column, codes)
    amounts = {column: convert.integer(column) for column in measures}
    convert.raise_if_any()
    frames = [
        pd.DataFrame({"town_code": town_code, "town": rows[name_column].str.strip().str.title(),
                      "fiscal_year": fiscal_year, "measure": measure, "amount": amounts[column],
                      "file": path.name, SOURCE_ID: SOURCE_ID_ALSPUR, LINE: rows[LINE]})
        for column, (fiscal_year, measure) in measures.items()
    ]
    frame = pd.concat(frames, ignore_index=True).astype({"fiscal_year": "Int64"})
    return validate(frame, GRANT_SCHEMA, path).drop(columns=[LINE])


def read_resident_students(folder: Path, codes: dict[str, int]) -> pd.DataFrame:
    path = folder / RESIDENT_FILE
    rows = read_rows(path, required=["code", "town", *RESIDENT_COLUMNS])
    convert = Converter(path, rows)
    frame = pd.DataFrame({
        "town_code": convert.integer("code"),
        "town": rows["town"].str.strip().str.title(),
        **{new: convert.value(old) for old, new in RESIDENT_COLUMNS.items()},
        SOURCE_ID: SOURCE_ID_ALSPUR,
        LINE: rows[LINE],
    })
    convert.raise_if_any()
    named = _codes_for(path, rows, "town", codes)
    clash = frame.index[named != frame["town_code"]]
    if len(clash):
        raise DataError([Problem(str(path), int(frame.at[i, LINE]), "code",
                                 f"code {frame.at[i, 'town_code']} does not match town "
                                 f"{frame.at[i, 'town']!r}")
                         for i in clash])
    return validate(frame, RESIDENT_SCHEMA, path).drop(columns=[LINE])


SOURCE = Source(
    id=SOURCE_ID_ALSPUR,
    folder="alspur-ecstargets",
    title="ECS grants and formula targets FY2014-FY2017, resident students by need group (analyst tables)",
    publisher="alspur/ecstargets (from PA 14-47, CT Voices for Children, HB 6824, FY16/FY17 budget)",
    licence="see repository LICENSE",
    years="FY2014-FY2017",
    as_of="commit 033e3d00 (2015-06-03)",
    read=read,
    files=(*GRANT_FILES, RESIDENT_FILE),
)
