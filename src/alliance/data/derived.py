"""Tables the warehouse derives from imported ones, in order. Each step takes a connection."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

STEPS: list[Callable[[duckdb.DuckDBPyConnection], None]] = []
