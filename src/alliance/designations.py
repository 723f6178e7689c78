"""Designation over the warehouse: gather each round's data, run the rounds in order, answer by fiscal year.

The rule itself (rules/designation.py) is pure; this module is the I/O around it. Tables read:
``accountability`` (index by school year), ``district_enrollment`` (October count by school year),
``districts`` (names, for the FY2013 round's universe) and ``designation_given`` (the FY2013 list).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pandas as pd

from alliance.codes import STATE_CODE, org_type_of
from alliance.data import warehouse
from alliance.errors import DataError, Problem, UnknownEntityError
from alliance.parameters import Parameters, load_parameters
from alliance.reference.crosswalk import Succession, member_towns, read_regional_member_towns, successions
from alliance.rules.designation import RoundResult, compose_rounds
from alliance.rules.designation_rounds import GIVEN, RoundRules, all_rounds, round_in_force
from alliance.years import SchoolYear


@dataclass(frozen=True)
class Standing:
    """The designation history up to a fiscal year and the round in force in it."""

    fiscal_year: int
    rounds: list[RoundRules]
    results: list[RoundResult]
    in_force: RoundRules

    @property
    def current(self) -> RoundResult:
        return next(r for r in self.results if r.rules.cohort_fy == self.in_force.cohort_fy)


@dataclass(frozen=True)
class RoundInputs:
    """What the designation rounds read from the warehouse.

    ``frames``: per cohort fiscal year, one row per district (district_code, district_name,
    org_type, index, enrollment; NaN where the data has none) for a ranked round, or the universe
    of districts to report (district_code, district_name, org_type) for the given FY2013 round.
    ``given_codes``: the district codes of the published FY2013 list.
    """

    frames: Mapping[int, pd.DataFrame]
    given_codes: Sequence[str]


def round_inputs(fiscal_year: int, warehouse_path: Path, params: Parameters | None = None) -> RoundInputs:
    """The data of every round started by ``fiscal_year``, exactly as the engine reads it.

    The public entry for callers that run the pure rule (``rules.designation.compose_rounds``)
    under other parameters, e.g. the policy lab: each round's index and enrollment years come from
    ``params`` (default: current law), so a scenario that moves them reads the years it names.
    """
    params = params or load_parameters()
    rounds = all_rounds(params, fiscal_year)
    with warehouse.connect(warehouse_path) as con:
        frames = {r.cohort_fy: _round_frame(con, r) for r in rounds}
        given = _given_codes(con) if any(r.source == GIVEN for r in rounds) else []
    return RoundInputs(frames, given)


def standing(fiscal_year: int, warehouse_path: Path, params: Parameters | None = None) -> Standing:
    """Run every round up to the one in force in ``fiscal_year`` on the warehouse data."""
    params = params or load_parameters()
    rounds = all_rounds(params, fiscal_year)
    in_force = round_in_force(rounds, fiscal_year)
    inputs = round_inputs(fiscal_year, warehouse_path, params)
    results = compose_rounds(rounds, inputs.frames, inputs.given_codes)
    changes = successions(read_regional_member_towns())
    results = [with_successions(r, fiscal_year, changes) if r.rules.cohort_fy == in_force.cohort_fy else r
               for r in results]
    return Standing(fiscal_year, rounds, results, in_force)


def with_successions(result: RoundResult, fiscal_year: int, changes: Sequence[Succession]) -> RoundResult:
    """The round as seen in ``fiscal_year``: a district that has since merged into another says so.

    The round ranks the districts of its data year; one that no longer exists in ``fiscal_year``
    keeps its row (its status stands as decided), with the merger in its reason and in the notes.
    """
    school_year = SchoolYear.of_fiscal_year(fiscal_year).label
    in_effect = {c.old_code: c for c in changes if c.from_school_year <= school_year
                 and result.find(c.old_code) is not None}
    if not in_effect:
        return result
    designations = tuple(
        replace(d, reason=f"{d.reason}; since {in_effect[d.district_code].from_school_year} part of "
                          f"{in_effect[d.district_code].new_name} ({in_effect[d.district_code].new_code})")
        if d.district_code in in_effect else d
        for d in result.designations)
    data_year = result.rules.index_school_year or f"FY{result.rules.cohort_fy}"
    notes = tuple(f"{c.describe()}: the FY{result.rules.cohort_fy} round ranks the districts of "
                  f"{data_year}, so {c.old_name} stands for its towns until a round uses later data"
                  for c in in_effect.values())
    return replace(result, designations=designations, notes=result.notes + notes)


def members_for_fiscal_year(fiscal_year: int, warehouse_path: Path,
                            params: Parameters | None = None) -> pd.DataFrame:
    """Alliance Districts in force in a fiscal year, with the towns whose ECS grant they concern.

    Columns: district_code, district_name, town_codes (list of ints; member towns of a regional
    district), cohort_fy (the round in force), first_fy (first designation: it sets the ECS base
    year), status (alliance | opportunity), basis (rank | grandfathered | given).
    """
    crosswalk = read_regional_member_towns()
    members = standing(fiscal_year, warehouse_path, params).current.members
    return pd.DataFrame(
        [{"district_code": d.district_code, "district_name": d.district_name,
          "town_codes": member_towns(crosswalk, d.district_code, fiscal_year),
          "cohort_fy": d.cohort_fy, "first_fy": d.first_fy, "status": d.status, "basis": d.basis}
         for d in members],
        columns=["district_code", "district_name", "town_codes", "cohort_fy", "first_fy", "status", "basis"],
    )


# ---------------------------------------------------------------- reading the warehouse

def _round_frame(con: duckdb.DuckDBPyConnection, rules: RoundRules) -> pd.DataFrame:
    if rules.source == GIVEN:
        return _universe(con)
    index = _index_for(con, rules)
    enrollment = _enrollment_for(con, rules)
    frame = index.merge(enrollment, on="district_code", how="outer", suffixes=("", "_enrolment"))
    frame["district_name"] = frame["district_name"].fillna(frame.pop("district_name_enrolment"))
    frame["org_type"] = frame["district_code"].map(org_type_of)
    return frame[["district_code", "district_name", "org_type", "index", "enrollment"]]


def _index_for(con, rules: RoundRules) -> pd.DataFrame:
    frame = con.execute(
        """SELECT district_code, any_value(district_name) AS district_name, any_value("index") AS "index",
                  count(*) AS rows
           FROM accountability WHERE school_year = ? AND level = 'district'
           GROUP BY district_code""", [rules.index_school_year]).df()
    if frame.empty:
        raise _missing_year(con, "accountability", "index", rules.index_school_year, rules)
    _refuse_duplicates(frame, "accountability", rules.index_school_year)
    return frame.drop(columns="rows")


def _enrollment_for(con, rules: RoundRules) -> pd.DataFrame:
    frame = con.execute(
        """SELECT district_code, any_value(district_name) AS district_name,
                  any_value(enrollment) AS enrollment, count(*) AS rows
           FROM district_enrollment WHERE school_year = ? GROUP BY district_code""",
        [rules.enrollment_school_year]).df()
    if frame.empty:
        raise _missing_year(con, "district_enrollment", "enrollment", rules.enrollment_school_year, rules)
    _refuse_duplicates(frame, "district_enrollment", rules.enrollment_school_year)
    return frame.drop(columns="rows")


def _universe(con) -> pd.DataFrame:
    frame = con.execute("SELECT district_code, district_name FROM districts WHERE district_code <> ?",
                        [STATE_CODE]).df()
    frame["org_type"] = frame["district_code"].map(org_type_of)
    return frame


def _given_codes(con) -> list[str]:
    frame = con.execute("SELECT district_code FROM designation_given WHERE status = 'Alliance'").df()
    return sorted(frame["district_code"])


def _refuse_duplicates(frame: pd.DataFrame, table: str, school_year: str) -> None:
    doubled = frame[frame["rows"] > 1]["district_code"].tolist()
    if doubled:
        raise DataError([Problem(f"warehouse table {table}", None, "district_code",
                                 f"more than one {school_year} row for {', '.join(doubled[:10])}")])


def _missing_year(con, table: str, what: str, school_year: str, rules: RoundRules) -> UnknownEntityError:
    """The round needs a school year the data does not have yet: say which, what is there, what to do."""
    latest = con.execute(f"SELECT max(school_year) FROM {table}").fetchone()[0]
    parameter = f"designation.{what}_school_year"
    return UnknownEntityError(
        f"the FY{rules.cohort_fy} round ranks the {school_year} {what} (parameter {parameter}), but "
        f"warehouse table {table} has no {school_year} rows yet (latest: {latest}). The previous "
        f"round stays in force through FY{rules.cohort_fy - 1} (alliance designate --fy "
        f"{rules.cohort_fy - 1}); to project the FY{rules.cohort_fy} round on {latest} data, override "
        "designation.index_school_year and designation.enrollment_school_year in a scenario")
