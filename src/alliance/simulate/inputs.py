"""What the policy lab reads from the warehouse: results history, enrollment, high-needs proxy
and ECS amounts. The only module of the lab that does I/O; the rules get plain frames.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from alliance import designations
from alliance.codes import STATE_CODE, town_code_of_local_district
from alliance.data import warehouse
from alliance.designations import RoundInputs
from alliance.parameters import Parameters
from alliance.rules.tiers import far_below_target_counts

Withholding = Callable[[pd.DataFrame, list[int]], pd.DataFrame]

POINTS, POSSIBLE = "_points", "_possible"
HIGH_NEEDS_GROUPS = ("frpl", "ell", "sped")
HIGH_NEEDS_LABEL = ("high-needs proxy: the largest of FRPL, English-learner and special-education "
                    "counts, a lower bound of the unduplicated high-needs count (the data has no "
                    "unduplicated high-needs count)")


def indicator_columns(columns: list[str]) -> tuple[list[str], list[str]]:
    """The (points, possible) column pairs of the NGAS indicators, in the same order."""
    stems = [c[: -len(POSSIBLE)] for c in columns if c.endswith(POSSIBLE)]
    stems = [s for s in stems if f"{s}{POINTS}" in columns]
    return [f"{s}{POINTS}" for s in stems], [f"{s}{POSSIBLE}" for s in stems]


def accountability(warehouse_path: Path) -> pd.DataFrame:
    """Every district row of the ``accountability`` table (the state row left out)."""
    return warehouse.query(warehouse_path, "SELECT * FROM accountability WHERE district_code <> ? "
                           "ORDER BY fiscal_year, district_code", [STATE_CODE])


def results_history_from(frame: pd.DataFrame, far_below_ratio: float) -> pd.DataFrame:
    """District × results year: index and indicator standing.

    Columns: district_code, district_name, org_type, school_year, fiscal_year, index, scored,
    far_below_count, not_far_below.
    """
    points, possible = indicator_columns(list(frame.columns))
    scored = (frame[possible].fillna(0) > 0).sum(axis=1).astype("int64")
    far = far_below_target_counts(frame[points], frame[possible], far_below_ratio)
    out = frame[["district_code", "district_name", "org_type", "school_year", "fiscal_year", "index"]]
    return out.assign(scored=scored, far_below_count=far, not_far_below=scored - far)


def results_years(history: pd.DataFrame) -> list[str]:
    return sorted(history["school_year"].unique())


def latest_results_year(history: pd.DataFrame, fiscal_year: int, lag_years: int) -> str | None:
    """The latest results year whose fiscal year is at most ``fiscal_year - lag_years``."""
    years = history.loc[history["fiscal_year"] <= fiscal_year - lag_years, "school_year"]
    return None if years.empty else str(years.max())


def enrollment(warehouse_path: Path) -> pd.DataFrame:
    """district_code, fiscal_year, students (all-students October count)."""
    frame = warehouse.query(warehouse_path, "SELECT district_code, fiscal_year, enrollment AS students "
                            "FROM district_enrollment")
    return frame.dropna(subset=["students"])


def high_needs_proxy(warehouse_path: Path) -> pd.DataFrame:
    """district_code, fiscal_year, high_needs_proxy (see HIGH_NEEDS_LABEL)."""
    groups = ", ".join(f"'{g}'" for g in HIGH_NEEDS_GROUPS)
    return warehouse.query(warehouse_path, f"""
        SELECT district_code, fiscal_year, max(count) AS high_needs_proxy
        FROM enrollment WHERE student_group IN ({groups}) AND count IS NOT NULL
        GROUP BY district_code, fiscal_year""")


def ecs_amounts(warehouse_path: Path) -> pd.DataFrame:
    """town_code, fiscal_year, entitlement, alliance_portion (whole dollars; NULL where blank)."""
    return warehouse.query(warehouse_path, "SELECT town_code, town, fiscal_year, entitlement, "
                           "alliance_portion, education_diversity_portion FROM ecs_entitlement "
                           "ORDER BY fiscal_year, town_code")


def round_inputs(warehouse_path: Path, params: Parameters, fiscal_year: int) -> RoundInputs:
    """Each round's district frame (index, enrollment) and the FY2013 list, as the designation
    engine reads them, for every round started by ``fiscal_year`` (alliance.designations.round_inputs)."""
    return designations.round_inputs(fiscal_year, warehouse_path, params)


WITHHOLDING_NOTE = ("withholding per member = the withholding rule (rules/withholding.py): its town's ECS "
                    "entitlement above the grant of the base year of the cohort that first designated it "
                    "(withholding.base_year; dated town exceptions in withholding.base_year_exceptions), "
                    "floored at 0; regional districts receive no ECS, so none")


def engine_withholding(ecs: pd.DataFrame, params: Parameters) -> Withholding:
    """Withholding by the ECS engine's rule for any set of members (entrants included)."""
    from alliance.rules.withholding import alliance_withholding, base_years_in_force

    def amounts(members: pd.DataFrame, fiscal_years: list[int]) -> pd.DataFrame:
        town_codes = [town_code_of_local_district(code) for code in members["district_code"]]
        towns = pd.DataFrame({"district_code": members["district_code"], "town_code": town_codes,
                              "cohort_fy": members["first_fy"]}).dropna(subset=["town_code"])
        towns = towns.astype({"town_code": "int64"})
        frames = []
        for year in fiscal_years:
            base_years, exceptions = base_years_in_force(params, year)
            rows = alliance_withholding(ecs, towns[["town_code", "cohort_fy"]], base_years, year, exceptions)
            rows = rows[rows["member"].astype(bool)].astype({"town_code": "int64"})
            frames.append(towns.merge(rows[["town_code", "fiscal_year", "alliance_portion"]], on="town_code"))
        out = pd.concat(frames, ignore_index=True)[["district_code", "fiscal_year", "alliance_portion"]]
        return out.rename(columns={"alliance_portion": "amount"}).astype({"amount": "int64",
                                                                          "fiscal_year": "int64"})

    return amounts
