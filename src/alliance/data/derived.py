"""Tables the warehouse derives from imported ones, in order. Each step takes a connection."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from alliance.data import district_tables

STEPS: list[Callable[[duckdb.DuckDBPyConnection], None]] = []
STEPS.append(district_tables.districts)
STEPS.append(district_tables.district_enrollment)

from alliance.reference.crosswalk import derive_regional_member_towns  # noqa: E402

STEPS.append(derive_regional_member_towns)

from alliance.data.accountability_tables import build_accountability_tables  # noqa: E402

STEPS.append(build_accountability_tables)
