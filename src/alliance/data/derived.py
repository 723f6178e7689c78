"""Tables the warehouse derives from imported ones, in order. Each step takes a connection."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from alliance.data import district_tables
from alliance.data.accountability_tables import build_accountability_tables
from alliance.reference.crosswalk import derive_regional_member_towns

STEPS: list[Callable[[duckdb.DuckDBPyConnection], None]] = [
    district_tables.districts,
    district_tables.district_enrollment,
    derive_regional_member_towns,
    build_accountability_tables,
]
