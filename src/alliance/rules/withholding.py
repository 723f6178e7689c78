"""The Alliance withholding (C.G.S. § 10-262u(c)): the ECS increase above a member's base-year grant.

    alliance portion     = max(0, entitlement − base-year grant − education-diversity portion)
    non-Alliance portion = entitlement − alliance portion − education-diversity portion

The base year depends on the cohort that first designated the town (``withholding.base_year``),
unless a dated exception names the town (``withholding.base_year_exceptions``: the published record
moved Enfield's base, see docs/methodology.md). The education-diversity portion is a published
carve-out (FY2024-FY2025 breakouts), taken as data.
A member whose cohort is unknown gets the portion only when every base year in force gives the
same one; otherwise the rule refuses to guess. Money is released when the commissioner approves a
plan; no plan records exist yet, so for a positive portion ``released`` and ``still_withheld`` are
None (unknown, never guessed as 0 or as the whole portion). Members with no increase above their
base have nothing withheld (released 0, still withheld 0) and therefore no plan obligation: the
status says so.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from alliance.errors import ParameterError, UnknownEntityError

WITHHELD = "withheld; release unknown: no plan records"
NOTHING_WITHHELD = "member, nothing withheld: no plan obligation"
NOT_MEMBER = "not a member"

COLUMNS = ["town_code", "town", "fiscal_year", "member", "cohort_fy", "base_fy", "base_grant",
           "entitlement", "increase_over_base", "education_diversity_portion", "alliance_portion",
           "non_alliance_portion", "released", "still_withheld", "status", "reason"]


def base_years_in_force(params, fiscal_year: int) -> tuple[dict[int, int], dict[int, int]]:
    """(cohort → base fiscal year, town → base fiscal year by exception) in force in a fiscal year."""
    by_cohort = params.get("withholding.base_year", fiscal_year)
    exceptions = params.get("withholding.base_year_exceptions", fiscal_year) or {}
    return ({int(k): int(v) for k, v in by_cohort.items()}, {int(k): int(v) for k, v in exceptions.items()})


def alliance_withholding(entitlements: pd.DataFrame, membership: pd.DataFrame,
                         base_years: Mapping[int, int], fiscal_year: int,
                         exceptions: Mapping[int, int] | None = None) -> pd.DataFrame:
    """One row per town of ``fiscal_year``: its portions and why.

    ``entitlements``: town_code, town, fiscal_year, entitlement, education_diversity_portion (NULL
    = none), for the year and the base years. ``membership``: town_code, cohort_fy (the cohort of
    first designation; NULL = unknown). ``base_years``: cohort fiscal year → base fiscal year.
    ``exceptions``: town code → base fiscal year, overriding its cohort's (a member's only).
    """
    grants = entitlements.set_index(["fiscal_year", "town_code"])["entitlement"]
    cohorts = dict(zip(membership["town_code"].astype(int), membership["cohort_fy"], strict=True))
    year = entitlements[entitlements["fiscal_year"] == fiscal_year].sort_values("town_code")
    rows = [_town_row(row, cohorts, grants, base_years, fiscal_year, exceptions or {})
            for row in year.itertuples()]
    return pd.DataFrame(rows, columns=COLUMNS, dtype=object)


def _town_row(row, cohorts: dict, grants: pd.Series, base_years: Mapping[int, int], fiscal_year: int,
              exceptions: Mapping[int, int]) -> dict:
    town = int(row.town_code)
    entitlement = int(row.entitlement)
    diversity = 0 if pd.isna(row.education_diversity_portion) else int(row.education_diversity_portion)
    result = {"town_code": town, "town": row.town, "fiscal_year": fiscal_year, "member": town in cohorts,
              "cohort_fy": None, "base_fy": None, "base_grant": None, "entitlement": entitlement,
              "increase_over_base": None, "education_diversity_portion": diversity}
    if town not in cohorts:
        return _finish(result, 0, NOT_MEMBER, "not a member this year")
    cohort = cohorts[town]
    if pd.isna(cohort) and town not in exceptions:
        return _unknown_cohort(result, town, grants, base_years)
    cohort = None if pd.isna(cohort) else int(cohort)
    base_fy, why = _base_year(town, cohort, base_years, exceptions)
    base_grant = _base_grant(grants, base_fy, town)
    increase = entitlement - base_grant
    portion = max(0, increase - diversity)
    result.update(cohort_fy=cohort, base_fy=base_fy, base_grant=base_grant, increase_over_base=increase)
    reason = (f"entitlement {entitlement:,} − FY{base_fy} grant {base_grant:,}"
              + (f" − education-diversity portion {diversity:,}" if diversity else "")
              + f" = {increase - diversity:,}, floored at 0 ({why})")
    return _finish(result, portion, WITHHELD if portion > 0 else NOTHING_WITHHELD, reason)


def _base_year(town: int, cohort: int | None, base_years: Mapping[int, int],
               exceptions: Mapping[int, int]) -> tuple[int, str]:
    """The base fiscal year and why: the town's dated exception, else its cohort's base year."""
    first = f"first designated FY{cohort}" if cohort is not None else "cohort unknown"
    if town in exceptions:
        return exceptions[town], (f"{first}; base FY{exceptions[town]} by exception "
                                  "withholding.base_year_exceptions")
    if cohort not in base_years:
        raise ParameterError(f"town {town}: cohort FY{cohort} has no base year in withholding.base_year "
                             f"(known cohorts: {sorted(base_years)})")
    return base_years[cohort], f"{first}: base FY{base_years[cohort]}"


def _unknown_cohort(result: dict, town: int, grants: pd.Series, base_years: Mapping[int, int]) -> dict:
    entitlement, diversity = result["entitlement"], result["education_diversity_portion"]
    candidates = sorted(set(base_years.values()))
    portions = {base: max(0, entitlement - _base_grant(grants, base, town) - diversity)
                for base in candidates}
    if len(set(portions.values())) != 1:
        raise UnknownEntityError(f"town {town}: cohort unknown and the Alliance portion depends on it "
                         f"({', '.join(f'FY{b} base: {p:,}' for b, p in portions.items())})")
    portion = portions[candidates[0]]
    reason = ("cohort unknown; every base year in force gives the same portion ("
              + ", ".join(f"FY{b} grant {_base_grant(grants, b, town):,}" for b in candidates) + ")")
    return _finish(result, portion, WITHHELD if portion > 0 else NOTHING_WITHHELD, reason)


def _base_grant(grants: pd.Series, base_fy: int, town: int) -> int:
    try:
        return int(grants[(base_fy, town)])
    except KeyError:
        raise UnknownEntityError(f"no FY{base_fy} ECS grant for town {town}: "
                                 "the base year is missing") from None


def _finish(result: dict, portion: int, status: str, reason: str) -> dict:
    """Add the portions; a positive portion's release is unknown until plan records exist."""
    non_alliance = result["entitlement"] - portion - result["education_diversity_portion"]
    released, still_withheld = (None, None) if portion > 0 else (0, 0)
    return {**result, "alliance_portion": portion, "non_alliance_portion": non_alliance,
            "released": released, "still_withheld": still_withheld, "status": status, "reason": reason}
