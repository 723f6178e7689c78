"""Results over time: district, group and state series, change between years, and counts against the state.

Every figure comes from the warehouse table ``accountability`` (the published NGAS export): the
Accountability Index and the indicator rates of each district and of the state row ('0000000').
Years without results (2019-20, 2020-21) have no rows, so they are missing, never zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from alliance.codes import STATE_CODE
from alliance.errors import UnknownEntityError
from alliance.years import SchoolYear


@dataclass(frozen=True)
class Measure:
    name: str
    column: str
    label: str
    unit: str
    higher_is_better: bool


MEASURES: dict[str, Measure] = {m.name: m for m in (
    Measure("index", "index", "Accountability Index", "percent of points", True),
    Measure("ela_all", "pi_ela_all_rate", "ELA performance index, all students", "index 0-100", True),
    Measure("ela_high_needs", "pi_ela_hn_rate", "ELA performance index, high-needs students",
            "index 0-100", True),
    Measure("math_all", "pi_math_all_rate", "Math performance index, all students", "index 0-100", True),
    Measure("math_high_needs", "pi_math_hn_rate", "Math performance index, high-needs students",
            "index 0-100", True),
    Measure("chronic_absenteeism", "chronic_absence_all_rate", "Chronic absenteeism, all students",
            "share 0-1", False),
    Measure("chronic_absenteeism_high_needs", "chronic_absence_hn_rate",
            "Chronic absenteeism, high-needs students", "share 0-1", False),
    Measure("graduation_4yr", "grad_4yr_rate", "Four-year graduation rate, all students", "share 0-1", True),
    Measure("postsecondary_entrance", "postsecondary_entrance_rate", "Postsecondary entrance rate",
            "share 0-1", True),
)}


def measure(name: str) -> Measure:
    try:
        return MEASURES[name]
    except KeyError:
        raise UnknownEntityError(f"unknown measure {name!r} (known: {', '.join(MEASURES)})") from None


def results_years(con: duckdb.DuckDBPyConnection, start: SchoolYear, end: SchoolYear) -> list[str]:
    """The school years with published results between two years (inclusive), oldest first."""
    rows = con.execute(
        "SELECT DISTINCT school_year, fall_year FROM accountability WHERE fall_year BETWEEN ? AND ? "
        "ORDER BY fall_year", [start.fall_year, end.fall_year]).fetchall()
    return [year for year, _ in rows]


def check_results_year(con: duckdb.DuckDBPyConnection, year: SchoolYear) -> str:
    known = results_years(con, SchoolYear(1900), SchoolYear(3000))
    if year.label not in known:
        raise UnknownEntityError(
            f"no accountability results for {year.label} (years with results: {', '.join(known)})")
    return year.label


def district_values(con: duckdb.DuckDBPyConnection, name: str, years: Sequence[str],
                    codes: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per district × year: district_code, district_name, school_year, value (NaN when missing)."""
    column = measure(name).column
    sql = f"""
        SELECT district_code, district_name, school_year, fall_year, "{column}" AS value
        FROM accountability
        WHERE school_year IN (SELECT unnest(?)) AND district_code <> '{STATE_CODE}'
          AND (? IS NULL OR district_code IN (SELECT unnest(?)))
        ORDER BY district_code, fall_year"""
    chosen = list(codes) if codes is not None else None
    return con.execute(sql, [list(years), chosen, chosen]).df()


def state_values(con: duckdb.DuckDBPyConnection, name: str, years: Sequence[str]) -> dict[str, float | None]:
    """The published state row's value by school year (None where the state row has none)."""
    column = measure(name).column
    rows = con.execute(
        f"""SELECT school_year, "{column}" FROM accountability
            WHERE district_code = '{STATE_CODE}' AND school_year IN (SELECT unnest(?))""",
        [list(years)]).fetchall()
    found = dict(rows)
    return {year: _number(found.get(year)) for year in years}


def group_series(con: duckdb.DuckDBPyConnection, name: str, years: Sequence[str],
                 groups: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Per group and year: districts with a value, their unweighted mean and median; plus the state row.

    Group figures are averages of district values (each district counts once), not pooled student
    rates; the state figure is the published state row.
    """
    column = measure(name).column
    membership = pd.DataFrame(
        [(group, code) for group, codes in groups.items() for code in codes],
        columns=["group_name", "district_code"])
    con.register("group_membership", membership)
    try:
        frame = con.execute(f"""
            SELECT g.group_name AS "group", a.school_year, a.fall_year,
                   count(a."{column}") AS districts, avg(a."{column}") AS mean,
                   median(a."{column}") AS median
            FROM group_membership g JOIN accountability a USING (district_code)
            WHERE a.school_year IN (SELECT unnest(?))
            GROUP BY ALL ORDER BY "group", a.fall_year""", [list(years)]).df()
    finally:
        con.unregister("group_membership")
    state = pd.DataFrame([
        {"group": "state", "school_year": year, "fall_year": SchoolYear.parse(year).fall_year,
         "districts": None, "mean": value, "median": value}
        for year, value in state_values(con, name, years).items()])
    return pd.concat([frame, state], ignore_index=True)


@dataclass(frozen=True)
class Change:
    """Change of one measure for a set of districts; ``by_district`` keeps every district asked about."""

    measure: str
    start: str
    end: str
    by_district: pd.DataFrame

    @property
    def measured(self) -> pd.DataFrame:
        return self.by_district.dropna(subset=["change"])

    @property
    def increased(self) -> int:
        return int((self.measured["change"] > 0).sum())

    @property
    def decreased(self) -> int:
        return int((self.measured["change"] < 0).sum())

    @property
    def unchanged(self) -> int:
        return int((self.measured["change"] == 0).sum())

    @property
    def missing(self) -> list[str]:
        return sorted(self.by_district.loc[self.by_district["change"].isna(), "district_code"])

    @property
    def min_change(self) -> float | None:
        return _number(self.measured["change"].min()) if len(self.measured) else None

    @property
    def max_change(self) -> float | None:
        return _number(self.measured["change"].max()) if len(self.measured) else None

    def share(self, count: int) -> float | None:
        return count / len(self.measured) if len(self.measured) else None

    @property
    def improved(self) -> int:
        return self.increased if MEASURES[self.measure].higher_is_better else self.decreased

    @property
    def declined(self) -> int:
        return self.decreased if MEASURES[self.measure].higher_is_better else self.increased


def change(con: duckdb.DuckDBPyConnection, name: str, years: Sequence[str], codes: Sequence[str],
           exact: bool = True) -> Change:
    """Change from the first to the last of ``years`` for each district in ``codes``.

    ``exact``: both end years must carry a value (else the change is missing). Otherwise each
    district's first and latest years with a value inside ``years`` are compared.
    """
    column = measure(name).column
    frame = con.execute(f"""
        WITH asked AS (SELECT unnest(?) AS district_code),
        v AS (SELECT district_code, district_name, school_year, fall_year, "{column}" AS value
              FROM accountability
              WHERE school_year IN (SELECT unnest(?)) AND "{column}" IS NOT NULL),
        ends AS (SELECT district_code, arg_max(district_name, fall_year) AS district_name,
                        arg_min(school_year, fall_year) AS from_year, arg_min(value, fall_year) AS from_value,
                        arg_max(school_year, fall_year) AS to_year, arg_max(value, fall_year) AS to_value,
                        count(*) AS years_with_value
                 FROM v GROUP BY district_code)
        SELECT asked.district_code, ends.district_name, from_year, from_value, to_year, to_value,
               CASE WHEN years_with_value >= 2 THEN to_value - from_value END AS change
        FROM asked LEFT JOIN ends USING (district_code)
        ORDER BY asked.district_code""", [list(codes), list(years)]).df()
    if exact and len(years):
        wrong_ends = (frame["from_year"] != years[0]) | (frame["to_year"] != years[-1])
        frame.loc[wrong_ends, "change"] = float("nan")
    return Change(name, years[0], years[-1], frame)


def position_against_state(con: duckdb.DuckDBPyConnection, name: str, year: str,
                           codes: Sequence[str]) -> dict:
    """How many of ``codes`` sit above, below or at the state row's value in one year."""
    column = measure(name).column
    row = con.execute(f"""
        WITH s AS (SELECT "{column}" AS state FROM accountability
                   WHERE district_code = '{STATE_CODE}' AND school_year = ?)
        SELECT count(*) FILTER (WHERE a."{column}" > s.state) AS above,
               count(*) FILTER (WHERE a."{column}" < s.state) AS below,
               count(*) FILTER (WHERE a."{column}" = s.state) AS equal,
               any_value(s.state) AS state
        FROM accountability a, s
        WHERE a.school_year = ? AND a.district_code IN (SELECT unnest(?))""",
        [year, year, list(codes)]).fetchone()
    above, below, equal, state = row
    return {"year": year, "state": _number(state), "above": above, "below": below, "equal": equal,
            "missing": len(codes) - above - below - equal}


def _number(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)
