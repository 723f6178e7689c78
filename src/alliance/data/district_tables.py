"""Derived tables about districts: the directory of every district, and one enrollment per year.

``districts``: every district code any imported table names (the state row excluded), its
latest name, organisation type from the code suffix, and town for local districts.
``district_enrollment``: the all-students October count per district and school year, taken
from the preferred source that has a value (edbot317 over the EdSight scrape where both cover a
year); ``source_id`` says which one it came from.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from alliance.codes import STATE_CODE, org_type_of, town_code_of_local_district
from alliance.errors import DataError, Problem

NAMED_TABLES = ("accountability", "enrollment", "chronic_absenteeism", "graduation_rate", "college_entrance")
ENROLLMENT_PREFERENCE = ("edbot317-enrollment", "ctdata-edsight-2017")


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def districts(con: duckdb.DuckDBPyConnection) -> None:
    present = [t for t in NAMED_TABLES if t in _tables(con)]
    if not present:
        return
    union = " UNION ALL ".join(
        f'SELECT DISTINCT district_code, district_name, school_year FROM "{t}"' for t in present)
    names = con.execute(f"""
        SELECT district_code,
               arg_max(district_name, school_year || district_name) AS district_name,
               min(school_year) AS first_school_year,
               max(school_year) AS last_school_year
        FROM ({union}) WHERE district_code <> ? GROUP BY district_code ORDER BY district_code
    """, [STATE_CODE]).df()
    problems = []
    org_types, towns = [], []
    for code in names["district_code"]:
        try:
            org_types.append(org_type_of(code))
            towns.append(town_code_of_local_district(code))
        except ValueError as exc:
            where = f"warehouse tables {', '.join(present)}"
            problems.append(Problem(where, None, "district_code", str(exc)))
    if problems:
        raise DataError(problems)
    frame = names.assign(org_type=org_types, town_code=pd.array(towns, dtype="Int64"))
    con.register("incoming", frame[["district_code", "district_name", "org_type", "town_code",
                                    "first_school_year", "last_school_year"]])
    con.execute("CREATE TABLE districts AS SELECT * FROM incoming")
    con.unregister("incoming")


def district_enrollment(con: duckdb.DuckDBPyConnection) -> None:
    if "enrollment" not in _tables(con):
        return
    preference = pd.DataFrame({"source_id": list(ENROLLMENT_PREFERENCE),
                               "preference": range(len(ENROLLMENT_PREFERENCE))})
    con.register("preference", preference)
    con.execute("""
        CREATE TABLE district_enrollment AS
        SELECT district_code, district_name, school_year, fiscal_year,
               CAST(count AS BIGINT) AS enrollment, source_id
        FROM (
            SELECT e.*, row_number() OVER (
                       PARTITION BY e.district_code, e.school_year
                       ORDER BY e.count IS NULL, coalesce(p.preference, 999), e.source_id) AS pick
            FROM enrollment e LEFT JOIN preference p USING (source_id)
            WHERE e.student_group = 'all' AND e.district_code <> ?
        )
        WHERE pick = 1
        ORDER BY school_year, district_code
    """, [STATE_CODE])
    con.unregister("preference")
