"""The derivation of one district's designation, step by step, each with its data and parameter."""

from __future__ import annotations

from collections.abc import Sequence

from alliance.errors import UnknownEntityError
from alliance.rules.designation import (
    BY_RANK,
    GRANDFATHERED,
    NOT_DESIGNATED,
    OPPORTUNITY,
    Designation,
    RoundResult,
    Step,
)
from alliance.rules.designation_rounds import GIVEN, RoundRules


def explain(results: Sequence[RoundResult], in_force: RoundRules, fiscal_year: int,
            district_code: str) -> list[Step]:
    """Every step behind ``district_code``'s status in ``fiscal_year``: earlier rounds first."""
    current = next(r for r in results if r.rules.cohort_fy == in_force.cohort_fy)
    found = current.find(district_code)
    if found is None:
        raise UnknownEntityError(
            f"district {district_code} is not in the FY{in_force.cohort_fy} round's data "
            "(check the 7-digit code, e.g. 0640011 for Hartford)")
    steps = [_round_step(in_force, fiscal_year)]
    steps += [_history_step(r, district_code) for r in results if r.rules.cohort_fy < in_force.cohort_fy]
    if in_force.source == GIVEN:
        steps.append(_given_step(found, in_force))
    else:
        steps += _ranked_steps(found, in_force)
    steps.append(_result_step(found, in_force))
    return steps


def _round_step(rules: RoundRules, fiscal_year: int) -> Step:
    return Step("round in force", f"FY{fiscal_year}",
                f"latest round starting on or before FY{fiscal_year} whose {rules.term_years}-year term "
                f"covers it: FY{rules.cohort_fy} ({rules.term})",
                rules.cite("round_fiscal_years") + " | " + rules.cite("term_years"),
                f"FY{rules.cohort_fy} round")


def _history_step(result: RoundResult, code: str) -> Step:
    found = result.find(code)
    outcome = f"{found.status} ({found.basis})" if found and found.designated else NOT_DESIGNATED
    reason = found.reason if found else "not in that round's data"
    return Step(f"earlier round FY{result.rules.cohort_fy}", reason,
                f"members are remembered for grandfathering ({result.rules.term})",
                result.rules.cite("cohort_source"), outcome)


def _given_step(found: Designation, rules: RoundRules) -> Step:
    return Step("published list", found.reason, "the FY2013 cohort is read as data (designation_given)",
                rules.cite("cohort_source"), found.status)


def _ranked_steps(found: Designation, rules: RoundRules) -> list[Step]:
    eligible_type = found.org_type in rules.eligible_org_types
    steps = [
        Step("organisation type", f"{found.org_type} (district code suffix {found.district_code[-2:]})",
             f"eligible: {', '.join(rules.eligible_org_types)}", rules.cite("eligible_org_types"),
             "pass" if eligible_type else "fail"),
        Step("accountability index", _value(found.index, f"index {rules.index_school_year}", ".1f"),
             f"an index for {rules.index_school_year} is required", rules.cite("index_school_year"),
             "pass" if found.index is not None else "fail"),
        Step("enrollment", _value(found.enrollment, f"students {rules.enrollment_school_year}", ",.0f"),
             f"at least {rules.min_enrollment:,} students in {rules.enrollment_school_year} "
             f"(all-students October count)",
             rules.cite("min_enrollment") + " | " + rules.cite("enrollment_school_year"),
             "pass" if found.enrollment is not None and found.enrollment >= rules.min_enrollment else "fail"),
    ]
    rank = (f"rank {found.rank} of {found.ranked_of} (1 = lowest index)" if found.rank
            else "not ranked (excluded above)")
    cutoff = f"{rules.selected_lowest} are designated; ties: {rules.cutoff_ties}"
    steps.append(Step("rank", rank, cutoff, rules.cite("lowest_count") + " | " + rules.cite("cutoff_ties"),
                      "designated by rank" if found.basis == BY_RANK else "not by rank"))
    window = (f"FY{rules.grandfather_first_fy}-FY{rules.grandfather_last_fy}"
              if rules.grandfather_first_fy else "none")
    steps.append(Step("grandfathering", f"first designated FY{found.first_fy}" if found.first_fy
                      and found.first_fy < rules.cohort_fy else "no earlier designation",
                      f"districts designated in {window} keep the status", rules.cite("grandfather_window"),
                      "kept" if found.basis == GRANDFATHERED else "not applicable"))
    steps.append(Step("opportunity", f"index {found.index:.1f}" if found.index is not None else "no index",
                      f"the {rules.opportunity_count} lowest Alliance Districts "
                      f"(pool: {rules.opportunity_pool})",
                      rules.cite("opportunity_count") + " | " + rules.cite("opportunity_pool"),
                      "Opportunity District" if found.status == OPPORTUNITY else "no"))
    return steps


def _result_step(found: Designation, rules: RoundRules) -> Step:
    data = f"status {found.status}" + (f", basis {found.basis}, first FY{found.first_fy}"
                                        if found.designated else "")
    return Step("result", data, f"term {rules.term}", rules.cite("cohort_size"), found.reason)


def _value(value: float | None, label: str, fmt: str) -> str:
    return f"{label}: {value:{fmt}}" if value is not None else f"{label}: missing"
