"""Who the members teach: students in member districts and their share of the state's students by group.

Counts come from the warehouse table ``enrollment`` (October counts by student group). The state's
students are the sum over every district in the file (all organisation types), which has no state
row. A district whose count for a group is missing or suppressed is listed for that group and left
out of that group's sums on both sides; nothing is filled in. Where sources overlap, each
district-year uses the one source that ``district_enrollment`` chose for its all-students count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from alliance.codes import STATE_CODE
from alliance.errors import UnknownEntityError


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    sql: str | None          # count expression over the pivoted enrollment columns; None = no data
    unavailable_reason: str | None = None


GROUPS: tuple[Group, ...] = (
    Group("high_needs", "High-needs students", None,
          "the enrollment data has no unduplicated high-needs count (a student may be low-income, "
          "a multilingual learner and have a disability at once), so no share is computed"),
    Group("low_income", "Low-income (free or reduced-price lunch)", "frpl"),
    Group("disability", "Students with disabilities", "sped"),
    Group("multilingual", "Multilingual learners (English learners)", "ell"),
    Group("students_of_color", "Black, Indigenous, Latine and other students of colour",
          "\"all\" - white"),
)

_PIVOT_GROUPS = ("all", "white", "frpl", "sped", "ell")


def enrollment_years(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT DISTINCT school_year FROM enrollment ORDER BY school_year").fetchall()]


def _pivot(con: duckdb.DuckDBPyConnection, school_year: str) -> None:
    if school_year not in enrollment_years(con):
        raise UnknownEntityError(f"no enrollment counts for {school_year} "
                                 f"(years: {', '.join(enrollment_years(con))})")
    columns = ", ".join(
        f"max(count) FILTER (WHERE student_group = '{g}') AS \"{g}\"" for g in _PIVOT_GROUPS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE enrollment_wide AS
        SELECT e.district_code, any_value(e.district_name) AS district_name, {columns}
        FROM enrollment e
        JOIN district_enrollment d USING (district_code, school_year, source_id)
        WHERE e.school_year = ? AND e.district_code <> '{STATE_CODE}'
        GROUP BY e.district_code""", [school_year])


def students(con: duckdb.DuckDBPyConnection, school_year: str, members: Sequence[str]) -> dict:
    """All students in member districts, in the state, and the members' share."""
    _pivot(con, school_year)
    alliance, state, missing = con.execute("""
        SELECT sum("all") FILTER (WHERE district_code IN (SELECT unnest(?))), sum("all"),
               list(district_code ORDER BY district_code) FILTER (WHERE "all" IS NULL)
        FROM enrollment_wide""", [list(members)]).fetchone()
    absent = sorted(set(members) - _codes(con))
    return {"school_year": school_year, "alliance": _int(alliance), "state": _int(state),
            "alliance_share": alliance / state if state else None,
            "districts_without_count": missing or [], "members_not_in_enrollment": absent}


def group_rows(con: duckdb.DuckDBPyConnection, school_year: str, members: Sequence[str]) -> list[dict]:
    """Per group: members' and state's counts, the members' share, state rate, members above it."""
    _pivot(con, school_year)
    return [_group_row(con, group, list(members)) | {"school_year": school_year} for group in GROUPS]


def _group_row(con: duckdb.DuckDBPyConnection, group: Group, members: list[str]) -> dict:
    row = {"group": group.key, "label": group.label}
    if group.sql is None:
        return row | {"alliance": None, "state": None, "alliance_share": None, "state_rate": None,
                      "members_above_state_rate": None, "members_compared": None,
                      "districts_missing": [], "note": group.unavailable_reason}
    alliance, state, state_all, above, compared, missing = con.execute(f"""
        WITH g AS (SELECT district_code, "all", {group.sql} AS n,
                          district_code IN (SELECT unnest(?)) AS member
                   FROM enrollment_wide),
        s AS (SELECT sum(n) AS state, sum("all") AS state_all FROM g WHERE n IS NOT NULL AND "all" > 0)
        SELECT sum(n) FILTER (WHERE member AND "all" > 0), any_value(s.state), any_value(s.state_all),
               count(*) FILTER (WHERE member AND "all" > 0 AND n / "all" > s.state / s.state_all),
               count(*) FILTER (WHERE member AND "all" > 0 AND n IS NOT NULL),
               list(district_code ORDER BY district_code) FILTER (WHERE n IS NULL)
        FROM g, s""", [members]).fetchone()
    return row | {
        "alliance": _int(alliance), "state": _int(state),
        "alliance_share": alliance / state if state else None,
        "state_rate": state / state_all if state_all else None,
        "members_above_state_rate": above, "members_compared": compared,
        "districts_missing": missing or [],
        "note": _missing_note(missing or [], members),
    }


def _missing_note(missing: list[str], members: list[str]) -> str | None:
    if not missing:
        return None
    in_members = [code for code in missing if code in set(members)]
    return (f"{len(missing)} district(s) have no count for this group (missing or suppressed), "
            f"{len(in_members)} of them members; they are left out of both sums")


def _codes(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT district_code FROM enrollment_wide").fetchall()}


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(round(value))
