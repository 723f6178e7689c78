"""Who is an Alliance District in a fiscal year: the one door every analysis goes through.

The designation engine (``alliance.designations.members_for_fiscal_year``) answers when it is
installed. Until then only the published FY2013 originals (warehouse table ``designation_given``)
are known; later cohorts are then absent and the answer says so in ``basis``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from alliance.data import warehouse
from alliance.parameters import Parameters

COLUMNS = ["district_code", "district_name", "town_codes", "cohort_fy", "first_fy", "status"]


@dataclass(frozen=True)
class Membership:
    """Members for one fiscal year and where the list came from."""

    fiscal_year: int
    members: pd.DataFrame
    basis: str

    @property
    def codes(self) -> list[str]:
        return sorted(self.members["district_code"])

    def cohort(self, first_fy: int) -> list[str]:
        """Members first designated for ``first_fy`` (the FY2013 originals, the FY2018 additions ...)."""
        return sorted(self.members.loc[self.members["first_fy"] == first_fy, "district_code"])

    def cohorts(self) -> list[int]:
        """The fiscal years in which current members were first designated."""
        return sorted(int(c) for c in self.members["first_fy"].dropna().unique())


def _designation_engine():
    try:
        module = importlib.import_module("alliance.designations")
    except ImportError:
        return None
    return getattr(module, "members_for_fiscal_year", None)


def members_for_fiscal_year(fiscal_year: int, warehouse_path: Path,
                            params: Parameters | None = None) -> Membership:
    """``params``: the designation parameters (default: current law, as the engine loads them)."""
    engine = _designation_engine()
    if engine is not None:
        frame = engine(fiscal_year, warehouse_path, params)
        return Membership(fiscal_year, _with_names(frame, warehouse_path),
                          "designation engine (alliance.designations: every round, computed from the data)")
    return Membership(fiscal_year, _published_originals(warehouse_path),
                      "published FY2013 Alliance Districts only (designation engine not installed): "
                      "FY2018 and FY2023 additions are missing")


def _published_originals(warehouse_path: Path) -> pd.DataFrame:
    frame = warehouse.query(warehouse_path, """
        SELECT g.district_code, coalesce(d.district_name, g.town) AS district_name,
               [g.town_code] AS town_codes, g.cohort_fy, g.cohort_fy AS first_fy, 'alliance' AS status
        FROM designation_given g LEFT JOIN districts d USING (district_code)
        WHERE lower(g.status) = 'alliance' ORDER BY g.district_code""")
    return frame[COLUMNS]


def _with_names(frame: pd.DataFrame, warehouse_path: Path) -> pd.DataFrame:
    if "district_name" in frame.columns:
        return frame
    names = warehouse.query(warehouse_path, "SELECT district_code, district_name FROM districts")
    return frame.merge(names, on="district_code", how="left")
