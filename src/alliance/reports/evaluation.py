"""The program evaluation report as one JSON-ready document.

``build_evaluation`` reads the warehouse once and returns a dict whose keys name every statistic
(``members``, ``students.alliance``, ``index_change.original_cohort.improved`` ...); the HTML,
PDF and XLSX renderings (reports/render.py) are views of this same document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from alliance.analytics import demographics, eligibility, series
from alliance.analytics.membership import Membership, members_for_fiscal_year
from alliance.analytics.money import alliance_money
from alliance.codes import STATE_CODE
from alliance.data import warehouse
from alliance.errors import ParameterError, UnknownEntityError
from alliance.parameters import Parameters, load_parameters
from alliance.reports.recommendations import SCENARIOS_DIR, recommendations
from alliance.years import SchoolYear

MONITORED = ("index", "ela_all", "ela_high_needs", "math_all", "math_high_needs",
             "chronic_absenteeism", "chronic_absenteeism_high_needs", "graduation_4yr",
             "postsecondary_entrance")
PERFORMANCE = {("ela", "all"): "ela_all", ("ela", "high_needs"): "ela_high_needs",
               ("math", "all"): "math_all", ("math", "high_needs"): "math_high_needs"}


@dataclass(frozen=True)
class EvaluationRequest:
    start: SchoolYear = field(default_factory=lambda: SchoolYear.parse("2014-15"))
    end: SchoolYear = field(default_factory=lambda: SchoolYear.parse("2023-24"))
    enrollment_year: SchoolYear = field(default_factory=lambda: SchoolYear.parse("2023-24"))
    scenario_fiscal_year: int | None = None
    scenarios_dir: Path = SCENARIOS_DIR

    @property
    def membership_fiscal_year(self) -> int:
        """Members are those designated for the fiscal year of the last results year."""
        return self.end.fiscal_year

    @property
    def recommendations_fiscal_year(self) -> int:
        """The policy-lab scenarios run for the report's fiscal year unless another is asked for."""
        return self.scenario_fiscal_year or self.membership_fiscal_year


def build_evaluation(warehouse_path: Path, request: EvaluationRequest,
                     params: Parameters | None = None) -> dict:
    params = params or load_parameters()
    if request.end < request.start:
        raise UnknownEntityError(f"--from {request.start} is after --to {request.end}")
    membership = members_for_fiscal_year(request.membership_fiscal_year, warehouse_path, params)
    with warehouse.connect(warehouse_path) as con:
        doc = _document(con, request, membership, params)
    doc["money"] = alliance_money(warehouse_path, params)
    lab = recommendations(warehouse_path, request.recommendations_fiscal_year, request.scenarios_dir)
    doc["recommendations"], doc["recommendations_basis"] = lab["items"], lab["basis"]
    doc["method"] = _method_notes(doc)
    return doc


def _document(con: duckdb.DuckDBPyConnection, request: EvaluationRequest, membership: Membership,
              params: Parameters) -> dict:
    from alliance.reports.sources import catalogue, source_line

    start = series.check_results_year(con, request.start)
    end = series.check_results_year(con, request.end)
    years = series.results_years(con, request.start, request.end)
    pre_pandemic_end = params.get("evaluation.pre_pandemic_last_year", request.membership_fiscal_year)
    members = membership.codes
    originals = membership.cohort(min(membership.cohorts())) if membership.cohorts() else []
    groups = _comparison_groups(con, membership, end, params)
    people = demographics.students(con, request.enrollment_year.label, members)
    shares = demographics.group_rows(con, request.enrollment_year.label, members)
    doc = {
        "title": "Alliance District program evaluation",
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "period": {"from": start, "to": end, "results_years": years,
                   "enrollment_year": request.enrollment_year.label,
                   "membership_fiscal_year": request.membership_fiscal_year,
                   "pre_pandemic_last_year": pre_pandemic_end},
        "membership_basis": membership.basis,
        "members": len(members),
        "member_list": _member_list(membership),
        "comparison_groups": {name: len(codes) for name, codes in groups.items()},
        "students": {k: people[k] for k in ("alliance", "state", "alliance_share")}
        | {"school_year": people["school_year"], "districts_without_count": people["districts_without_count"],
           "members_not_in_enrollment": people["members_not_in_enrollment"]},
        "group_shares": {row["group"]: row["alliance_share"] for row in shares},
        "members_above_state_rate": {row["group"]: row["members_above_state_rate"] for row in shares},
        "demographics": shares,
        "index_change": _index_change(con, years, start, end, pre_pandemic_end, members, originals),
        "chronic_absenteeism": _absenteeism(con, years, start, end, pre_pandemic_end, members),
        "college_entrance": _college_entrance(con, years, originals),
        "performance_index": _performance_index(con, years, members),
        "series": {name: _records(series.group_series(con, name, years, groups)) for name in MONITORED},
        "against_state": {name: [series.position_against_state(con, name, y, members) for y in years]
                          for name in MONITORED},
        "below_highest_member": _eligibility(con, end, members, request.membership_fiscal_year, params),
        "sources": catalogue(con),
        "figure_sources": {
            "accountability": source_line(con, "accountability"),
            "enrollment": source_line(con, "enrollment"),
            "ecs": source_line(con, "ecs_entitlement"),
        },
    }
    return doc


def _comparison_groups(con: duckdb.DuckDBPyConnection, membership: Membership, year: str,
                       params: Parameters) -> dict[str, list[str]]:
    groups = {"members": membership.codes}
    for cohort in membership.cohorts():
        groups[f"cohort_fy{cohort}"] = membership.cohort(cohort)
    eligible = _designation_rule(params, "eligible_org_types", membership.fiscal_year)
    everyone = con.execute(
        f"SELECT DISTINCT district_code, org_type FROM accountability "
        f"WHERE school_year = ? AND district_code <> '{STATE_CODE}'", [year]).fetchall()
    groups["non_members"] = sorted(code for code, org in everyone
                                   if code not in set(membership.codes)
                                   and (eligible is None or org in eligible))
    return groups


def _designation_rule(params: Parameters, name: str, fiscal_year: int):
    """A designation parameter, or None while the designation rules have not defined it."""
    try:
        return params.get(f"designation.{name}", fiscal_year)
    except ParameterError:
        return None


def _member_list(membership: Membership) -> list[dict]:
    frame = membership.members[["district_code", "district_name", "cohort_fy", "first_fy", "status"]]
    return _records(frame.sort_values("district_name"))


def _change_summary(result: series.Change, higher_is_better_words: bool = True) -> dict:
    summary = {"from": result.start, "to": result.end, "districts": len(result.by_district),
               "measured": len(result.measured)}
    if higher_is_better_words:
        summary |= {"improved": result.improved, "declined": result.declined,
                    "min_gain": result.min_change, "max_gain": result.max_change}
    else:
        summary |= {"increased": result.increased, "decreased": result.decreased,
                    "min_change": result.min_change, "max_change": result.max_change}
    summary |= {"unchanged": result.unchanged, "missing": result.missing,
                "by_district": _records(result.by_district)}
    return summary


def _index_change(con, years: Sequence[str], start: str, end: str, pre_end: str,
                  members: list[str], originals: list[str]) -> dict:
    pre_years = [y for y in years if y <= pre_end]
    since = [pre_end, end] if pre_end in years and pre_end < end else []
    whole = _change_summary(series.change(con, "index", [start, end], originals))
    pre = (_change_summary(series.change(con, "index", [start, pre_years[-1]], originals))
           if len(pre_years) >= 2 else None)
    after = None
    if since:
        result = series.change(con, "index", since, members)
        after = _change_summary(result) | {"declined_share": result.share(result.declined)}
    return {"original_cohort": whole, "original_cohort_pre_pandemic": pre, "members_since_pandemic": after}


def _absenteeism(con, years: Sequence[str], start: str, end: str, pre_end: str, members: list[str]) -> dict:
    whole = series.change(con, "chronic_absenteeism", [start, end], members)
    doc = {"members_increased": whole.increased, "members_decreased_pre_pandemic_share": None,
           "change": _change_summary(whole, higher_is_better_words=False), "change_pre_pandemic": None}
    pre_years = [y for y in years if y <= pre_end]
    if len(pre_years) >= 2:
        pre = series.change(con, "chronic_absenteeism", [start, pre_years[-1]], members)
        doc["members_decreased_pre_pandemic_share"] = pre.share(pre.decreased)
        doc["change_pre_pandemic"] = _change_summary(pre, higher_is_better_words=False)
    return doc


def _college_entrance(con, years: Sequence[str], originals: list[str]) -> dict:
    result = series.change(con, "postsecondary_entrance", years, originals, exact=False)
    return {"original_cohort_declined": result.declined,
            "change": _change_summary(result) | {"basis": "each district's first to latest year with a rate"}}


def _performance_index(con, years: Sequence[str], members: list[str]) -> dict:
    doc: dict = {"ela": {}, "math": {}}
    for (subject, group), name in PERFORMANCE.items():
        frame = series.group_series(con, name, years, {"members": members})
        by_group = frame.pivot(index="school_year", columns="group", values="mean")
        doc[subject][group] = [
            {"school_year": year, "members": _float(by_group.at[year, "members"]),
             "state": _float(by_group.at[year, "state"])} for year in years]
    return doc


def _eligibility(con, year: str, members: list[str], fiscal_year: int, params: Parameters) -> dict:
    types = _designation_rule(params, "eligible_org_types", fiscal_year)
    minimum = _designation_rule(params, "min_enrollment", fiscal_year)
    if types is None or minimum is None:
        return {"school_year": year, "district": None, "index": None, "count": None, "too_small": None,
                "note": "designation parameters designation.eligible_org_types / designation.min_enrollment "
                        "are not defined yet, so the reasons cannot be assigned"}
    return eligibility.below_highest_member(con, year, members, types, minimum)


def _method_notes(doc: dict) -> list[str]:
    return [
        f"Members: {doc['members']} districts designated for FY{doc['period']['membership_fiscal_year']} "
        f"({doc['membership_basis']}).",
        "Results are the published Next Generation Accountability figures (district rows and the state row). "
        "No results exist for 2019-20 and 2020-21; those years are missing in every series, never zero.",
        "Group series (members, cohorts, non-members) are unweighted means and medians of district values; "
        "the state series is the published state row.",
        "Change between two years counts a district only if it has a value in both years; others are listed "
        "as missing. College entrance compares each district's first and latest year with a rate.",
        "Student counts are October enrollment; the state's students are the sum over every district in the "
        "enrollment file. A district without a count for a group is left out of that group's sums.",
        "High-needs students: " + demographics.GROUPS[0].unavailable_reason + ".",
        "Students of colour = all students minus White students; districts whose White count is suppressed "
        "are left out of that group's sums.",
        f"Money: {doc['money']['basis']}. Where CSDE published an Alliance breakout the published total "
        "stands beside the computed one, with the difference by town (sheet money_by_town). Released: "
        f"{doc['money']['released_status']}.",
        f"Recommendations: {doc['recommendations_basis']['note']} Scenario figures follow the simulator's "
        "definitions: students = latest October count at or before the fiscal year; high-needs students = "
        "a labelled proxy (the data has no unduplicated count); money moved = scenario minus current law.",
        "Every figure and table names its source and as-of date; the full list of sources is below.",
    ]


def _records(frame: pd.DataFrame) -> list[dict]:
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict("records")


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


NAMED_STATISTICS = ("members", "students", "group_shares", "members_above_state_rate", "index_change",
                    "chronic_absenteeism", "college_entrance", "below_highest_member")


def statistics(doc: dict) -> list[dict]:
    """Every named scalar statistic as (key, value), keys dotted as in the JSON (``students.alliance``)."""
    rows: list[dict] = []

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}", item)
        elif not isinstance(value, list):
            rows.append({"key": prefix, "value": value})

    for name in NAMED_STATISTICS:
        walk(name, doc[name])
    return rows


def sheets(doc: dict) -> dict[str, list[dict]]:
    """The document's tables, one per XLSX sheet; sheet names are the JSON keys they come from."""
    changes = []
    for section in ("index_change", "chronic_absenteeism", "college_entrance"):
        for name, change in doc[section].items():
            if isinstance(change, dict) and "by_district" in change:
                changes += [{"section": section, "comparison": name} | row for row in change["by_district"]]
    return {
        "statistics": statistics(doc),
        "member_list": doc["member_list"],
        "demographics": doc["demographics"],
        "by_district": changes,
        "performance_index": [{"subject": subject, "group": group} | point
                              for subject, groups in doc["performance_index"].items()
                              for group, points in groups.items() for point in points],
        "series": [{"measure": measure} | row for measure, rows in doc["series"].items() for row in rows],
        "against_state": [{"measure": measure} | row for measure, rows in doc["against_state"].items()
                          for row in rows],
        "below_highest_member": doc["below_highest_member"].get("districts", []),
        "money": doc["money"]["by_year"],
        "money_by_town": doc["money"]["by_town"],
        "recommendations": [_recommendation_row(item) for item in doc["recommendations"]],
        "recommendation_districts": [{"scenario": item["title"], "change": change} | person
                                     for item in doc["recommendations"]
                                     for change in ("entering", "leaving", "exits")
                                     for person in item.get(change, [])],
        "recommendation_money": [{"scenario": item["title"]} | row for item in doc["recommendations"]
                                 for row in item.get("money", [])],
        "sources": doc["sources"],
        "method": [{"note": note} for note in doc["method"]],
    }


def _recommendation_row(item: dict) -> dict:
    """One scenario as a flat row: nested counts become ``students.difference`` and the like."""
    row = {}
    for key, value in item.items():
        if key in ("entering", "leaving", "exits", "money", "notes"):
            continue
        if key == "references":
            row[key] = "; ".join(f"{r['title']} ({r['href']})" for r in value)
        elif isinstance(value, dict) and key != "overrides":
            row |= {f"{key}.{inner}": v for inner, v in value.items() if inner != "fiscal_year"}
        else:
            row[key] = value
    return row | {"entering": len(item.get("entering", [])), "leaving": len(item.get("leaving", []))}


def to_html(doc: dict) -> str:
    """The report as HTML (charts inline as SVG): the page the PDF is printed from."""
    from alliance.reports import charts, render

    return render.to_html(
        doc, "evaluation.html",
        charts={name: charts.svg_data_uri(chart) for name, chart in charts.evaluation_charts(doc).items()},
        measure_labels={name: series.MEASURES[name].label for name in MONITORED})
