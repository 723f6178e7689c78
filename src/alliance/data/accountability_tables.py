"""The computed Accountability Index in the warehouse: ``accountability_computed`` and ``_by_area``.

A derived step (registered in data/derived.py): it scores every row of ``accountability`` with
the NGAS rules and the parameters in force for its year, beside the published figures, and
writes the index by area with the state figure of the same year beside each district's.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from alliance.codes import STATE_CODE
from alliance.parameters import Parameters, load_parameters
from alliance.rules import ngas

IDENTITY = ["district_code", "district_name", "org_type", "level", "school_year", "fall_year", "fiscal_year"]
SOURCE_TABLE = "accountability"
COMPUTED_TABLE = "accountability_computed"
AREA_TABLE = "accountability_by_area"


def score(frame: pd.DataFrame, params: Parameters | None = None) -> pd.DataFrame:
    """Identity, computed index, indicator points, areas, flags and the comparison with published."""
    params = params or load_parameters()
    scored = ngas.compute_index(frame, params)
    comparison = ngas.compare_with_published(frame, scored)
    return pd.concat([frame[IDENTITY], scored, comparison], axis=1).reset_index(drop=True)


def by_area(scored: pd.DataFrame) -> pd.DataFrame:
    """Long table: entity × year × area, with the state's figure of the same year and area."""
    long = []
    for area in ngas.AREAS:
        part = scored[IDENTITY].copy()
        part["area"] = area
        part["points"] = scored[f"{area}_points"]
        part["possible"] = scored[f"{area}_possible"]
        part["area_index"] = scored[f"{area}_index"]
        long.append(part)
    table = pd.concat(long, ignore_index=True)
    state = table.loc[table["district_code"] == STATE_CODE, ["school_year", "area", "area_index"]]
    state = state.rename(columns={"area_index": "state_area_index"})
    return table.merge(state, on=["school_year", "area"], how="left")


def build_accountability_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Derived step: skip quietly when the warehouse has no accountability results."""
    tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if SOURCE_TABLE not in tables:
        return
    frame = con.execute(f'SELECT * FROM "{SOURCE_TABLE}"').df()
    scored = score(frame)
    for name, table in ((COMPUTED_TABLE, scored), (AREA_TABLE, by_area(scored))):
        con.register("incoming", table)
        con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM incoming')
        con.unregister("incoming")
