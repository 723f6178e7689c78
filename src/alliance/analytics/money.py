"""Money: the ECS dollars withheld for Alliance District plans, by fiscal year.

Withheld = the published Alliance portion of each town's ECS entitlement (CSDE breakout, warehouse
table ``ecs_entitlement``), summed over towns. Released = approved plans' releases, which only the
plan records can tell; until they exist the figure is missing, not assumed equal to the withheld.
"""

from __future__ import annotations

import duckdb


def alliance_money(con: duckdb.DuckDBPyConnection, first_fy: int, last_fy: int) -> dict:
    rows = con.execute("""
        SELECT fiscal_year,
               count(*) FILTER (WHERE alliance_portion > 0) AS towns_with_withholding,
               sum(alliance_portion)::BIGINT AS withheld,
               sum(entitlement)::BIGINT AS entitlement,
               count(*) FILTER (WHERE alliance_portion IS NULL) AS towns_without_breakout
        FROM ecs_entitlement WHERE fiscal_year BETWEEN ? AND ?
        GROUP BY fiscal_year ORDER BY fiscal_year""", [first_fy, last_fy]).fetchall()
    by_year = [{"fiscal_year": fy, "towns_with_withholding": towns, "withheld": withheld,
                "released": None, "ecs_entitlement": entitlement, "towns_without_breakout": blank}
               for fy, towns, withheld, entitlement, blank in rows]
    return {
        "basis": "published Alliance portion of the ECS entitlement (CSDE breakout), integer dollars",
        "released_note": "releases follow plan approvals; no plan records exist yet, so released is missing",
        "by_year": by_year,
    }
