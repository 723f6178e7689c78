"""Fixtures for the evaluation tests: the session warehouse, opened read-only."""

from __future__ import annotations

import duckdb
import pytest

NEEDED = {"accountability", "enrollment", "district_enrollment", "districts", "designation_given",
          "ecs_entitlement", "sources"}


@pytest.fixture(scope="session")
def evaluation_warehouse(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    missing = NEEDED - tables
    if missing:
        pytest.skip(f"warehouse lacks {sorted(missing)}: register their readers in data/registry.py")
    return warehouse


@pytest.fixture()
def con(evaluation_warehouse):
    connection = duckdb.connect(str(evaluation_warehouse), read_only=True)
    yield connection
    connection.close()
