"""Reading the ECS tables of the warehouse into the shapes the ECS and withholding rules take.

Also the stand-in for Alliance membership until the designation engine feeds the withholding:
``membership_for`` derives members and their cohorts from the published ECS records.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from alliance.data import warehouse as wh
from alliance.errors import UnknownEntityError
from alliance.rules.ecs import INPUT_COLUMNS

MEMBERSHIP_SOURCE = (
    "published ECS records (stand-in for the designation engine): alliance_flag = 1 in the ECS "
    "formula inputs of the year, plus every town with a positive published Alliance portion; cohort "
    "from the base grant its published non-Alliance portion equals"
)


def entitlements(warehouse: Path) -> pd.DataFrame:
    """CSDE's final entitlements and portions, every town and year."""
    return wh.query(warehouse, "SELECT * FROM ecs_entitlement ORDER BY fiscal_year, town_code")


def towns(warehouse: Path) -> pd.DataFrame:
    return wh.query(warehouse, "SELECT * FROM towns ORDER BY town_code")


def latest_year(warehouse: Path) -> int:
    return int(wh.query(warehouse, "SELECT max(fiscal_year) AS fy FROM ecs_entitlement")["fy"][0])


def input_years(warehouse: Path) -> list[int]:
    years = wh.query(warehouse, "SELECT DISTINCT fiscal_year FROM ecs_inputs ORDER BY 1")
    return [int(y) for y in years["fiscal_year"]]


def formula_inputs(warehouse: Path, fiscal_year: int) -> pd.DataFrame:
    """The formula's inputs for every town in a year, named as rules.ecs expects."""
    frame = wh.query(warehouse, "SELECT * FROM ecs_inputs WHERE fiscal_year = ? ORDER BY town_code",
                     [fiscal_year])
    if frame.empty:
        available = ", ".join(f"FY{y}" for y in input_years(warehouse))
        raise UnknownEntityError(f"no ECS formula inputs for FY{fiscal_year} (available: {available})")
    return inputs_from_worksheet(frame)


def inputs_from_worksheet(frame: pd.DataFrame) -> pd.DataFrame:
    """Map the worksheet's columns onto the formula's inputs."""
    mapped = frame.rename(columns={"pic_rank_raw": "pic_rank", "fy2017_actual": "fy2017_grant",
                                   "prior_year_entitlement": "prior_grant"})
    mapped["alliance"] = frame["alliance_flag"].astype(int) == 1
    mapped["priority"] = frame["psd_flag"].astype(int) == 1
    for column in ("endowed_grades", "endowed_students", "rsd_students", "rsd_grades"):
        mapped[column] = mapped[column].fillna(0)
    return mapped[list(INPUT_COLUMNS)].reset_index(drop=True)


def alliance_flags(warehouse: Path, fiscal_year: int) -> pd.DataFrame:
    return wh.query(warehouse, "SELECT town_code FROM ecs_inputs WHERE fiscal_year = ? AND alliance_flag = 1",
                    [fiscal_year])


def membership_for(fiscal_year: int, warehouse: Path, base_years: Mapping[int, int]) -> pd.DataFrame:
    """Alliance members in a year with their cohort, derived from the published ECS records.

    The one function to switch to the designation engine (rules/designation.py) once it exists.
    """
    flagged = set(alliance_flags(warehouse, fiscal_year)["town_code"].astype(int))
    return membership_from_records(entitlements(warehouse), flagged, fiscal_year, base_years)


def membership_from_records(records: pd.DataFrame, flagged: set[int], fiscal_year: int,
                            base_years: Mapping[int, int]) -> pd.DataFrame:
    """Members = flagged towns ∪ towns with a positive Alliance portion in the year.

    Only records up to ``fiscal_year`` are used. A member's base year is the candidate base year
    whose grant the year's published non-Alliance portion equals; its cohort is the latest cohort
    with that base year begun by the member's first year with an Alliance portion. A member with
    nothing withheld under every candidate base year gets no cohort (None): the records cannot
    tell, and the withholding does not depend on it.
    """
    known = records[records["fiscal_year"] <= fiscal_year]
    year = known[known["fiscal_year"] == fiscal_year].set_index("town_code")
    positive = set(year.index[year["alliance_portion"].fillna(0) > 0].astype(int))
    grants = known.set_index(["fiscal_year", "town_code"])["entitlement"]
    rows = []
    for town in sorted(flagged | positive):
        cohort, basis = _cohort_of(known, year.loc[town], grants, town, base_years)
        source = "alliance_flag" if town in flagged else "positive Alliance portion"
        rows.append({"town_code": town, "cohort_fy": cohort, "basis": f"{source}; {basis}"})
    return pd.DataFrame(rows, columns=["town_code", "cohort_fy", "basis"]).astype({"cohort_fy": "Int64"})


def _cohort_of(known: pd.DataFrame, record: pd.Series, grants: pd.Series, town: int,
               base_years: Mapping[int, int]) -> tuple[int | None, str]:
    bases = sorted(set(base_years.values()))
    base_grants = {base: grants.get((base, town)) for base in bases}
    carved = record["education_diversity_portion"]
    diversity = 0 if pd.isna(carved) else int(carved)
    increases = {base: int(record["entitlement"]) - diversity - grant
                 for base, grant in base_grants.items() if grant is not None}
    if all(increase <= 0 for increase in increases.values()):
        return None, ("cohort not determinable from the records: nothing withheld under any base year ("
                      + ", ".join(f"FY{b}" for b in bases) + ")")
    matches = [base for base, grant in base_grants.items() if grant == record["non_alliance_portion"]]
    if len(matches) != 1:
        return None, "cohort not determinable: the non-Alliance portion matches no single base-year grant"
    base = matches[0]
    fiscal_year = int(known["fiscal_year"].max())
    shown = known[(known["town_code"] == town) & (known["alliance_portion"].fillna(0) > 0)]
    first = int(shown["fiscal_year"].min()) if len(shown) else fiscal_year
    candidates = sorted(c for c, b in base_years.items() if b == base)
    begun = [c for c in candidates if c <= first]
    cohort = begun[-1] if begun else candidates[0]
    history = f"first Alliance portion FY{first}" if len(shown) else "no Alliance portion yet"
    return cohort, f"published non-Alliance portion FY{fiscal_year} = FY{base} grant; {history}"


def resolve_town(text: str, town_table: pd.DataFrame) -> int:
    """A town code from a code (1-169) or a name (any case); UnknownEntityError otherwise."""
    cleaned = " ".join(str(text).split())
    if cleaned.isdigit() and int(cleaned) in set(town_table["town_code"].astype(int)):
        return int(cleaned)
    by_name = {str(n).casefold(): int(c) for n, c in zip(town_table["town"], town_table["town_code"],
                                                          strict=True)}
    if cleaned.casefold() in by_name:
        return by_name[cleaned.casefold()]
    raise UnknownEntityError(f"unknown town {text!r}: give a Connecticut town name or a town code 1-169")
