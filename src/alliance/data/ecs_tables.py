"""Reading the ECS tables of the warehouse into the shapes the ECS and withholding rules take.

Alliance membership comes from the designation engine (``membership_for``): member local
districts are mapped to their towns, the ECS grantees.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from alliance.codes import org_type_of
from alliance.data import warehouse as wh
from alliance.designations import members_for_fiscal_year
from alliance.errors import UnknownEntityError
from alliance.parameters import Parameters
from alliance.rules.ecs import INPUT_COLUMNS

MEMBERSHIP_SOURCE = (
    "designation engine (alliance.designations.members_for_fiscal_year: the rounds of C.G.S. § 10-262u "
    "on the accountability and enrollment tables, parameters designation.*); member local districts "
    "mapped to towns by the towns table; regional districts receive no ECS grant; withholding base "
    "year by cohort of first designation (withholding.base_year, withholding.base_year_exceptions)"
)
MEMBERSHIP_COLUMNS = ["town_code", "district_code", "district_name", "cohort_fy", "basis"]


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


def membership_for(fiscal_year: int, warehouse: Path, base_years: Mapping[int, int] | None = None,
                   params: Parameters | None = None) -> pd.DataFrame:
    """Alliance member towns in a year, from the designation engine (alliance.designations).

    Columns: town_code, district_code, district_name, cohort_fy (the cohort of FIRST designation,
    which sets the withholding base year), basis (why the town is a member). ``base_years`` is
    not needed any more (the withholding rule applies it) and is accepted for older callers.
    """
    members = members_for_fiscal_year(fiscal_year, warehouse, params)
    return towns_of_members(members, towns(warehouse), fiscal_year)


def towns_of_members(members: pd.DataFrame, town_table: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    """Member districts → the towns whose ECS grant is withheld: a local district's town (towns
    table). Regional districts receive no ECS grant, so they bring no town; an unknown local
    district is an error, never dropped."""
    town_of = dict(zip(town_table["district_code"], town_table["town_code"].astype(int), strict=True))
    local = members[members["district_code"].map(org_type_of) == "local"]
    unknown = sorted(set(local["district_code"]) - set(town_of))
    if unknown:
        raise UnknownEntityError(f"FY{fiscal_year} Alliance District(s) {', '.join(unknown)} have no town in "
                                 "the warehouse table towns: their ECS grant cannot be found")
    rows = [{"town_code": town_of[m["district_code"]], "district_code": m["district_code"],
             "district_name": m["district_name"], "cohort_fy": int(m["first_fy"]),
             "basis": _basis(m, fiscal_year)} for m in local.to_dict("records")]
    return pd.DataFrame(rows, columns=MEMBERSHIP_COLUMNS).astype({"cohort_fy": "Int64"})


def regional_members(members: pd.DataFrame) -> list[str]:
    """Names of member regional districts: members without an ECS grant of their own."""
    return sorted(members.loc[members["district_code"].map(org_type_of) == "regional", "district_name"])


def _basis(member: dict, fiscal_year: int) -> str:
    how = {"rank": "by rank", "grandfathered": "grandfathered", "given": "on the published list"}
    return (f"{member['status'].capitalize()} District in FY{fiscal_year} (round FY{member['cohort_fy']}, "
            f"{how.get(member['basis'], member['basis'])}); first designated FY{member['first_fy']}")


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
