"""ECS entitlements and formula inputs by town: the edbot317 transcription of CSDE/OFA files.

Three files of the ``edbot317-public-ct-ed-data`` folder (the folder's accountability and
enrollment files belong to other readers):

- ``town_year_ecs_entitlement_selected_years.csv`` (FY2012-FY2024, FY2027) and
  ``town_year_ecs_entitlement_fy2025_fy2026.csv``: CSDE's final ECS entitlement per town and its
  Alliance / education-diversity / non-Alliance breakout → tables ``ecs_entitlement`` and ``towns``.
- ``town_year_ecs_inputs_selected_years.csv``: the OFA/CSDE per-town worksheet ("shell") of the
  formula, FY2024-FY2026 → table ``ecs_inputs`` (the worksheet's own ``entitlement`` is kept as
  ``sheet_entitlement``: CSDE's final amount is the one in ``ecs_entitlement``).

Checks: town codes 1-169 once per fiscal year with one name each; dollars non-negative; the three
portions add up to the entitlement. The one row where the source itself does not add up (FY2016
Washington, $1, see PROVENANCE.md) is kept as stored and listed in the ``ecs_discrepancies``
table; any other such row refuses the file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from alliance.codes import local_district_code
from alliance.data.source import SOURCE_ID, Source
from alliance.data.tabular import LINE, Converter, read_rows, validate
from alliance.errors import DataError, Problem

SOURCE_ID_ECS = "edbot317-ecs"
ENTITLEMENT_FILES = (
    "town_year_ecs_entitlement_selected_years.csv",
    "town_year_ecs_entitlement_fy2025_fy2026.csv",
)
INPUTS_FILE = "town_year_ecs_inputs_selected_years.csv"
TOWN_COUNT = 169
PORTIONS = ("alliance_portion", "education_diversity_portion", "non_alliance_portion")

# Source rows whose portions do not add up to the entitlement, accepted as stored because
# PROVENANCE.md documents them: (fiscal_year, town_code) -> entitlement minus the portions.
KNOWN_DISCREPANCIES = {
    (2016, 150): (1, "source: portions sum to $1 less than the entitlement (FY2016 Washington); "
                     "kept as stored, see PROVENANCE.md"),
}

_TEXT = ("town", "source_sheet", "source_file", "source_type", "count_date", "drg",
         "engl_grand_list_years", "phase_in_gap_base", "phase_in_start_base", "ff_greater_than_prior",
         "derived_columns")
_WHOLE = ("town_code", "district_code", "fiscal_year", "wealth_decile", "alliance_flag", "psd_flag",
          "reform_flag", "pic_rank_raw", "population_year", "mhi_year", "fy2017_actual",
          "prior_year_entitlement")
_FLAGS = ("hh_floor_fy2017",)
_RENAMED = {"entitlement": "sheet_entitlement"}
_NON_NEGATIVE = ("resident_students", "frpl_count", "ell_count", "need_students", "engl_avg",
                 "population", "engl_per_capita", "engl_median", "mhi", "mhi_median", "rsd_students",
                 "rsd_grades", "endowed_students", "endowed_grades", "foundation", "fy2017_actual",
                 "prior_year_entitlement", "sheet_entitlement", "pic_rank_raw")


def _town_checks(frame: pd.DataFrame) -> bool:
    per_year = frame.groupby("fiscal_year")["town_code"]
    return bool((per_year.nunique() == TOWN_COUNT).all() and (per_year.size() == TOWN_COUNT).all())


def _money(nullable: bool = False) -> pa.Column:
    return pa.Column("Int64", pa.Check.ge(0), nullable=nullable)


ENTITLEMENT_SCHEMA = pa.DataFrameSchema(
    {
        "town_code": pa.Column("Int64", pa.Check.in_range(1, TOWN_COUNT)),
        "town": pa.Column(str, pa.Check.str_length(min_value=2)),
        "fiscal_year": pa.Column("Int64", pa.Check.in_range(2001, 2100)),
        "entitlement": _money(),
        **{name: _money(nullable=True) for name in PORTIONS},
        SOURCE_ID: pa.Column(str),
    },
    unique=["town_code", "fiscal_year"],
    checks=pa.Check(_town_checks, error=f"each fiscal year must list town codes 1-{TOWN_COUNT} once each"),
)

INPUTS_SCHEMA = pa.DataFrameSchema(
    {
        "town_code": pa.Column("Int64", pa.Check.in_range(1, TOWN_COUNT)),
        "town": pa.Column(str, pa.Check.str_length(min_value=2)),
        "fiscal_year": pa.Column("Int64", pa.Check.in_range(2018, 2100)),
        "alliance_flag": pa.Column("Int64", pa.Check.isin([0, 1])),
        "psd_flag": pa.Column("Int64", pa.Check.isin([0, 1])),
        **{name: pa.Column(nullable=True, checks=pa.Check.ge(0)) for name in _NON_NEGATIVE},
    },
    unique=["town_code", "fiscal_year"],
    checks=pa.Check(_town_checks, error=f"each fiscal year must list town codes 1-{TOWN_COUNT} once each"),
)


def read(folder: Path) -> dict[str, pd.DataFrame]:
    entitlement = pd.concat([read_entitlement_file(folder / name) for name in ENTITLEMENT_FILES],
                            ignore_index=True)
    entitlement = check_one_name_per_town(entitlement, folder)
    discrepancies = portion_discrepancies(entitlement, folder)
    inputs = read_inputs_file(folder / INPUTS_FILE)
    tables = {
        "ecs_entitlement": entitlement.drop(columns=[LINE, "_file"]),
        "ecs_discrepancies": discrepancies,
        "ecs_inputs": inputs.drop(columns=[LINE]),
        "towns": towns_table(entitlement),
    }
    return tables


def read_entitlement_file(path: Path) -> pd.DataFrame:
    """One entitlement file, typed and validated; a missing cell in a portion stays NULL."""
    rows = read_rows(path, required=["town_code", "district_code", "town", "fiscal_year",
                                     "entitlement", *PORTIONS])
    convert = Converter(path, rows)
    frame = pd.DataFrame({
        "town_code": convert.integer("town_code"),
        "district_code": convert.integer("district_code"),
        "town": rows["town"].str.strip().str.title(),
        "fiscal_year": convert.integer("fiscal_year"),
        "entitlement": convert.integer("entitlement"),
        **{name: _blank_is_null(convert, rows, name) for name in PORTIONS},
        SOURCE_ID: SOURCE_ID_ECS,
        LINE: rows[LINE],
        "_file": str(path),
    })
    convert.raise_if_any()
    mismatched = frame.index[frame["district_code"] != frame["town_code"]]
    if len(mismatched):
        raise DataError([Problem(str(path), int(frame.at[i, LINE]), "district_code",
                                 f"district_code {frame.at[i, 'district_code']} is not the town code "
                                 f"{frame.at[i, 'town_code']}") for i in mismatched])
    frame = frame.drop(columns=["district_code"])
    return validate(frame, ENTITLEMENT_SCHEMA, path)


def _blank_is_null(convert: Converter, rows: pd.DataFrame, column: str) -> pd.Series:
    """Whole dollars where given; a blank cell (no breakout that year) stays NULL, not zero."""
    given = rows[column].str.strip() != ""
    part = Converter(convert.path, rows.loc[given])
    values = part.integer(column).reindex(rows.index).astype("Int64")
    convert.problems.extend(part.problems)
    return values


def check_one_name_per_town(frame: pd.DataFrame, folder: Path) -> pd.DataFrame:
    names = frame.groupby("town_code")["town"].nunique()
    clashing = names[names > 1].index.tolist()
    if clashing:
        raise DataError([Problem(str(folder), None, "town",
                                 f"town code {code} has several names: "
                                 f"{sorted(frame.loc[frame['town_code'] == code, 'town'].unique())}")
                         for code in clashing])
    return frame.sort_values(["fiscal_year", "town_code"], ignore_index=True)


def portion_discrepancies(frame: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """Rows whose portions do not add up to the entitlement: known ones listed, others refused."""
    has_portions = frame[list(PORTIONS)].notna().any(axis=1)
    total = frame[list(PORTIONS)].fillna(0).sum(axis=1)
    difference = (frame["entitlement"] - total).where(has_portions, 0)
    rows, problems = [], []
    for index in frame.index[difference != 0]:
        key = (int(frame.at[index, "fiscal_year"]), int(frame.at[index, "town_code"]))
        gap = int(difference[index])
        known = KNOWN_DISCREPANCIES.get(key)
        if known is None or known[0] != gap:
            problems.append(Problem(str(frame.at[index, "_file"]), int(frame.at[index, LINE]),
                                    "entitlement", f"portions add up to {int(total[index])}, not to the "
                                    f"entitlement {int(frame.at[index, 'entitlement'])} (difference {gap})"))
            continue
        rows.append({"town_code": key[1], "town": frame.at[index, "town"], "fiscal_year": key[0],
                     "entitlement": int(frame.at[index, "entitlement"]),
                     "portions_total": int(total[index]), "difference": gap, "note": known[1],
                     "file": Path(str(frame.at[index, "_file"])).name,
                     "line": int(frame.at[index, LINE]), SOURCE_ID: SOURCE_ID_ECS})
    if problems:
        raise DataError(problems)
    columns = ["town_code", "town", "fiscal_year", "entitlement", "portions_total", "difference",
               "note", "file", "line", SOURCE_ID]
    return pd.DataFrame(rows, columns=columns)


def towns_table(entitlement: pd.DataFrame) -> pd.DataFrame:
    towns = entitlement.drop_duplicates("town_code")[["town_code", "town"]].sort_values("town_code")
    towns = towns.assign(district_code=towns["town_code"].map(lambda code: local_district_code(int(code))),
                         source_id=SOURCE_ID_ECS)
    return towns.reset_index(drop=True)


def read_inputs_file(path: Path) -> pd.DataFrame:
    """The formula worksheet rows: text kept as text, counts and dollars as numbers."""
    rows = read_rows(path, required=["town_code", "town", "fiscal_year", "resident_students",
                                     "frpl_count", "ell_count", "engl_per_capita", "mhi",
                                     "alliance_flag", "psd_flag", "pic_rank_raw", "rsd_students",
                                     "rsd_grades", "endowed_students", "endowed_grades",
                                     "fy2017_actual", "prior_year_entitlement", "entitlement"])
    convert = Converter(path, rows)
    typed = {}
    for column in rows.columns:
        if column == LINE:
            typed[column] = rows[column]
        elif column in _TEXT:
            typed[column] = rows[column].str.strip()
        elif column in _WHOLE:
            typed[column] = convert.integer(column)
        elif column in _FLAGS:
            typed[column] = rows[column].str.strip().str.lower().map({"true": True, "false": False})
        else:
            typed[column] = convert.value(column)
    convert.raise_if_any()
    frame = pd.DataFrame(typed).rename(columns=_RENAMED)
    frame[SOURCE_ID] = SOURCE_ID_ECS
    return validate(frame, INPUTS_SCHEMA, path)


SOURCE = Source(
    id=SOURCE_ID_ECS,
    folder="edbot317-public-ct-ed-data",
    title="ECS entitlements with the Alliance breakout (FY2012-FY2027) and ECS formula inputs "
          "(FY2024-FY2026), by town",
    publisher="CT State Department of Education, Bureau of Fiscal Services; CT Office of Fiscal "
              "Analysis ECS shells (via edbot317-source/public-CT-ed-data)",
    licence="CC-BY-4.0",
    years="FY2012-FY2027 (entitlements); FY2024-FY2026 (formula inputs)",
    as_of="commits 26bafe83 (entitlements), 73a6fc46 (inputs)",
    read=read,
    files=(*ENTITLEMENT_FILES, INPUTS_FILE),
)
