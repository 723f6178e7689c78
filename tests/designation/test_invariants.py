"""Invariants of designation over random districts (hypothesis)."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.rules.designation import PriorMember, designate_round, eligible_codes
from alliance.rules.designation_rounds import RoundRules

SUFFIXES = ["11", "11", "11", "12", "13", "16"]
KINDS = {"11": "local", "12": "regional", "13": "charter", "16": "technical"}


@st.composite
def districts(draw) -> pd.DataFrame:
    count = draw(st.integers(min_value=1, max_value=40))
    rows = []
    for number in range(count):
        suffix = draw(st.sampled_from(SUFFIXES))
        index = draw(st.one_of(st.just(math.nan), st.sampled_from([50.0, 60.0, 70.0]),
                               st.floats(min_value=30, max_value=95, allow_nan=False)))
        enrollment = draw(st.one_of(st.just(math.nan), st.integers(min_value=50, max_value=20000)))
        rows.append({"district_code": f"{number + 1:03d}00{suffix}", "district_name": f"D{number}",
                     "org_type": KINDS[suffix],
                     "index": index, "enrollment": float(enrollment)})
    return pd.DataFrame(rows)


def round_rules(lowest_count: int, min_enrollment: int = 1000, ties: str = "include_all") -> RoundRules:
    return RoundRules(cohort_fy=2018, source="ranked", term_years=5, index_school_year="2015-16",
                      enrollment_school_year="2015-16", lowest_count=lowest_count,
                      min_enrollment=min_enrollment, eligible_org_types=("local", "regional"),
                      opportunity_count=10, cutoff_ties=ties, grandfather_first_fy=2013,
                      grandfather_last_fy=2017)


def priors(frame: pd.DataFrame, picks: list[bool]) -> dict[str, PriorMember]:
    codes = [c for c, keep in zip(frame["district_code"], picks, strict=False) if keep]
    return {c: PriorMember(c, c, 2013, (2013,)) for c in codes}


@settings(max_examples=150, deadline=None)
@given(districts(), st.integers(min_value=0, max_value=30), st.integers(min_value=1, max_value=10),
       st.lists(st.booleans(), max_size=40), st.sampled_from(["include_all", "exclude_all"]))
def test_raising_the_count_never_removes_a_member(frame, count, extra, picks, ties):
    prior = priors(frame, picks)
    fewer = {d.district_code for d in designate_round(frame, prior, round_rules(count, ties=ties)).members}
    more = designate_round(frame, prior, round_rules(count + extra, ties=ties)).members
    assert fewer <= {d.district_code for d in more}


@settings(max_examples=150, deadline=None)
@given(districts(), st.integers(min_value=1, max_value=20000))
def test_removing_the_size_rule_never_shrinks_the_eligible_set(frame, minimum):
    with_rule = eligible_codes(frame, round_rules(30, min_enrollment=minimum))
    without = eligible_codes(frame, dataclasses.replace(round_rules(30), min_enrollment=0))
    assert with_rule <= without


@settings(max_examples=100, deadline=None)
@given(districts(), st.integers(min_value=0, max_value=30), st.lists(st.booleans(), max_size=40))
def test_every_district_gets_one_designation_and_every_kept_prior_is_a_member(frame, count, picks):
    prior = priors(frame, picks)
    result = designate_round(frame, prior, round_rules(count))
    codes = [d.district_code for d in result.designations]
    assert sorted(codes) == sorted(set(frame["district_code"]) | set(prior))
    assert set(prior) <= {d.district_code for d in result.members}
