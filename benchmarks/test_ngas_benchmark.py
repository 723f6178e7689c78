"""NGAS speed: every published entity-year (1,813) rescored, vectorised vs a plain row-by-row baseline.

Both read the same rates and published possible cells with the same parameters; the baseline walks
the rows with ``iterrows`` and scores each indicator in Python, the way one would write it first.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from alliance.data.readers import accountability
from alliance.parameters import load_parameters
from alliance.rules import ngas
from alliance.rules.ngas import NgasRules

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "raw" / "crosseye-accountability"


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return accountability.read_crosseye(DATA)["accountability"]


def _row_points(row: pd.Series, indicator: str, rules: NgasRules) -> float:
    rate, maximum = row[f"{indicator}_rate"], row[f"{indicator}_possible"]
    maximum = 0.0 if math.isnan(maximum) else maximum
    if math.isnan(rate):
        return 0.0
    if indicator in ngas.CHRONIC_ABSENCE:
        scale = rules.chronic_absence_scale
        full, zero = scale["full_points_at"], scale["zero_points_at"]
        return maximum * min(max((zero - rate) / (zero - full), 0.0), 1.0)
    points = min(rate / rules.targets[indicator], 1.0) * maximum
    if indicator == ngas.FITNESS:
        participation = row["fitness_participation_rate"]
        if not math.isnan(participation):
            share = 0.0
            for minimum, kept in sorted(rules.fitness_participation_factors, reverse=True):
                if participation >= minimum:
                    share = kept
                    break
            points *= share
    return points


def row_by_row(frame: pd.DataFrame, params) -> list[float]:
    """The baseline: one Python loop over rows and indicators (published possible cells)."""
    indices = []
    for _, row in frame.iterrows():
        rules = NgasRules.for_year(params, int(row["fiscal_year"]))
        earned = sum(_row_points(row, i, rules) for i in ngas.INDICATORS)
        possible = sum(0.0 if math.isnan(row[f"{i}_possible"]) else row[f"{i}_possible"]
                       for i in ngas.INDICATORS)
        indices.append(100 * earned / possible if possible else math.nan)
    return indices


@pytest.mark.benchmark(group="ngas-all-district-years")
def test_vectorised_engine(benchmark, published):
    params = load_parameters()
    scored = benchmark(ngas.compute_index, published, params)
    assert len(scored) == 1813
    baseline = pd.Series(row_by_row(published, params), index=published.index)
    assert (scored["index"] - baseline).abs().max() < 1e-9


@pytest.mark.benchmark(group="ngas-all-district-years")
def test_row_by_row_baseline(benchmark, published):
    params = load_parameters()
    indices = benchmark.pedantic(row_by_row, args=(published, params), rounds=3, iterations=1)
    assert len(indices) == 1813
