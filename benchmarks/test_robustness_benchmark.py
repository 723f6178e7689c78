"""Resampling throughput: the vectorised designation probability against a plain Python loop.

Both count, for a 200-district state and the 30 lowest, how often each district is selected when
each index carries normal error (SD 2 points). The vectorised run does 10,000 resamples; the loop
does 500 (it is far slower). Compare resamples per second: the ratio is in the report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.rules.robustness import ErrorModel, designation_probability, loop_selected_counts
from alliance.rules.selection import SelectionRule

DISTRICTS, COUNT, SD = 200, 30, 2.0
RULE = SelectionRule("lowest_count", COUNT, 0.0, 0.0)


def state(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"district_code": [f"{n:05d}11" for n in range(DISTRICTS)],
                         "index": rng.uniform(50, 95, DISTRICTS)})


@pytest.mark.benchmark(group="robustness-resampling")
def test_vectorised_10000_resamples(benchmark):
    frame = state()
    error = ErrorModel("normal", SD)
    result = benchmark.pedantic(designation_probability, args=(frame, RULE, error, 10_000, 1), rounds=5,
                                iterations=1)
    assert result["probability"].sum() == pytest.approx(COUNT)  # exactly 30 chosen per resample
    benchmark.extra_info["resamples"] = 10_000


@pytest.mark.benchmark(group="robustness-resampling")
def test_plain_loop_500_resamples(benchmark):
    frame = state().sort_values(["index", "district_code"])
    values = frame["index"].tolist()
    counts = benchmark.pedantic(loop_selected_counts, args=(values, COUNT, SD, 500, 1), rounds=3,
                                iterations=1)
    assert sum(counts) == COUNT * 500
    benchmark.extra_info["resamples"] = 500
