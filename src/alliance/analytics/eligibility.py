"""The eligibility picture: the highest index among members, and every non-member scoring below it.

A non-member below the best-scoring member is outside the program for one of three reasons,
checked in this order: its organisation **type** is not eligible (charters, RESCs, technical high
schools, endowed academies, unified districts ...), its **size** is under the minimum enrollment in
the same school year, or its **rank**: it is eligible but was not among the lowest designated.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from alliance.codes import STATE_CODE

REASONS = ("type", "size", "rank")


def below_highest_member(con: duckdb.DuckDBPyConnection, school_year: str, members: Sequence[str],
                         eligible_org_types: Sequence[str], min_enrollment: float) -> dict:
    """The best-scoring member in ``school_year`` and every non-member with a lower index."""
    highest = con.execute(f"""
        SELECT district_code, district_name, index FROM accountability
        WHERE school_year = ? AND district_code IN (SELECT unnest(?)) AND index IS NOT NULL
          AND district_code <> '{STATE_CODE}'
        ORDER BY index DESC LIMIT 1""", [school_year, list(members)]).fetchone()
    if highest is None:
        return {"school_year": school_year, "district": None, "district_name": None, "index": None,
                "count": 0, "too_small": 0, "wrong_type": 0, "outranked": 0, "districts": []}
    code, name, top = highest
    below = _non_members_below(con, school_year, list(members), top, list(eligible_org_types),
                               min_enrollment)
    counts = below["reason"].value_counts()
    return {
        "school_year": school_year, "district": code, "district_name": name, "index": float(top),
        "count": len(below), "too_small": int(counts.get("size", 0)),
        "wrong_type": int(counts.get("type", 0)), "outranked": int(counts.get("rank", 0)),
        "min_enrollment": min_enrollment, "eligible_org_types": list(eligible_org_types),
        "districts": below.to_dict("records"),
    }


def _non_members_below(con: duckdb.DuckDBPyConnection, school_year: str, members: list[str], top: float,
                       eligible_types: list[str], min_enrollment: float) -> pd.DataFrame:
    return con.execute(f"""
        WITH candidates AS (
            SELECT a.district_code, a.district_name, a.org_type, a.index, e.enrollment,
                   CASE WHEN a.org_type NOT IN (SELECT unnest(?)) THEN 'type'
                        WHEN e.enrollment IS NULL OR e.enrollment < ? THEN 'size'
                        ELSE 'rank' END AS reason
            FROM accountability a
            LEFT JOIN district_enrollment e USING (district_code, school_year)
            WHERE a.school_year = ? AND a.district_code <> '{STATE_CODE}' AND a.index IS NOT NULL),
        ranked AS (
            SELECT *, CASE WHEN reason <> 'type' AND enrollment >= ?
                           THEN rank() OVER (PARTITION BY reason <> 'type' AND enrollment >= ?
                                             ORDER BY index) END AS eligible_rank
            FROM candidates)
        SELECT district_code, district_name, org_type, index, enrollment, reason, eligible_rank
        FROM ranked
        WHERE index < ? AND district_code NOT IN (SELECT unnest(?))
        ORDER BY index""",
        [eligible_types, min_enrollment, school_year, min_enrollment, min_enrollment, top,
         members]).df()
