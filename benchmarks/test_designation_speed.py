"""Designation speed: one ranked round for a state-sized district list, against a plain sort baseline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.rules.designation import PriorMember, designate_round
from alliance.rules.designation_rounds import RoundRules

RULES = RoundRules(cohort_fy=2023, source="ranked", term_years=5, index_school_year="2018-19",
                   enrollment_school_year="2018-19", lowest_count=30, min_enrollment=1000,
                   eligible_org_types=("local", "regional"), opportunity_count=10,
                   grandfather_first_fy=2013, grandfather_last_fy=2022, statutory_size=36)


def state(size: int = 200, seed: int = 1) -> tuple[pd.DataFrame, dict[str, PriorMember]]:
    rng = np.random.default_rng(seed)
    codes = [f"{n:03d}00{'11' if n % 10 else '12'}" for n in range(1, size + 1)]
    frame = pd.DataFrame({"district_code": codes, "district_name": codes,
                          "org_type": ["local" if c.endswith("11") else "regional" for c in codes],
                          "index": rng.uniform(50, 95, size), "enrollment": rng.integers(200, 20000, size)})
    prior = {c: PriorMember(c, c, 2013, (2013,)) for c in codes[:33]}
    return frame, prior


def plain_baseline(frame: pd.DataFrame, prior: dict) -> set[str]:
    eligible = frame[frame["org_type"].isin(["local", "regional"]) & (frame["enrollment"] >= 1000)]
    return set(eligible.nsmallest(30, "index")["district_code"]) | set(prior)


@pytest.mark.benchmark(group="designation-round")
def test_designate_round(benchmark):
    frame, prior = state()
    result = benchmark(designate_round, frame, prior, RULES)
    assert {d.district_code for d in result.members} == plain_baseline(frame, prior)


@pytest.mark.benchmark(group="designation-round")
def test_plain_sort_baseline(benchmark):
    frame, prior = state()
    benchmark(plain_baseline, frame, prior)
