"""Builders for hand-made entity-years (imported by the NGAS tests)."""

from __future__ import annotations

import math

import pandas as pd

from alliance.rules import ngas


def entity(fiscal_year: int, **values) -> dict:
    """One entity-year with the given rates/possible cells; every other cell missing."""
    row = {"district_code": "9999911", "district_name": "Fixture", "fiscal_year": fiscal_year}
    for indicator in ngas.INDICATORS:
        row[f"{indicator}_rate"] = math.nan
    row.update(values)
    return row


def score(params, *rows: dict) -> pd.DataFrame:
    return ngas.compute_index(pd.DataFrame(list(rows)), params)
