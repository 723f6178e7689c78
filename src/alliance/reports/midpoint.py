"""The three-year midpoint review of one district: its milestone goals, its results against them and
against the state, its trend, and its support tier and distance to exit (the policy lab's rules).

Goals are the parameters ``evaluation.midpoint.milestone_goals`` (program-design values) until plan
records carry each district's own targets. The review window counts results years only, so a window
ending 2022-23 starts 2017-18 (2019-20 and 2020-21 have no results).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from alliance.analytics import series
from alliance.analytics.membership import members_for_fiscal_year
from alliance.analytics.policy_standing import standing_in_policy_lab
from alliance.codes import STATE_CODE, normalize_district_code
from alliance.data import warehouse
from alliance.errors import UnknownEntityError
from alliance.parameters import Parameters, load_parameters
from alliance.reports.sources import source_line
from alliance.years import SchoolYear


def build_midpoint(warehouse_path: Path, district: str, end: SchoolYear,
                   params: Parameters | None = None) -> dict:
    params = params or load_parameters()
    code = _district_code(district)
    fiscal_year = end.fiscal_year
    interval = params.get("evaluation.midpoint.interval_years", fiscal_year)
    goals = params.get("evaluation.midpoint.milestone_goals", fiscal_year)
    membership = members_for_fiscal_year(fiscal_year, warehouse_path)
    with warehouse.connect(warehouse_path) as con:
        name = _district_name(con, code)
        last = series.check_results_year(con, end)
        years = series.results_years(con, SchoolYear(0), end)
        if len(years) <= interval:
            raise UnknownEntityError(
                f"a {interval}-year review needs {interval + 1} results years up to {last}")
        baseline = years[-1 - interval]
        member = membership.members[membership.members["district_code"] == code]
        return {
            "title": f"Midpoint review: {name}",
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "district_code": code, "district_name": name,
            "member": not member.empty,
            "membership": member.drop(columns=["town_codes"], errors="ignore").to_dict("records"),
            "membership_basis": membership.basis,
            "window": {"from": baseline, "to": last, "results_years": interval},
            "goals_basis": _goals_basis(params, fiscal_year),
            "goals": [_goal_row(con, code, measure, goal, baseline, last) for measure, goal in goals.items()],
            "trend": _trend(con, code, years),
            "source": source_line(con, "accountability"),
        } | standing_in_policy_lab(warehouse_path, params, code, end)


def _district_code(raw: str) -> str:
    try:
        return normalize_district_code(raw)
    except ValueError as exc:
        raise UnknownEntityError(str(exc)) from None


def _district_name(con: duckdb.DuckDBPyConnection, code: str) -> str:
    row = con.execute("SELECT arg_max(district_name, fall_year) FROM accountability WHERE district_code = ?",
                      [code]).fetchone()
    if code == STATE_CODE or row is None or row[0] is None:
        raise UnknownEntityError(f"no accountability results for district {code}")
    return row[0]


def _goals_basis(params: Parameters, fiscal_year: int) -> dict:
    parameter = params.parameter("evaluation.midpoint.milestone_goals")
    return {"parameter": parameter.name, "confidence": parameter.confidence, "note": parameter.note,
            "reference": parameter.citation(), "fiscal_year": fiscal_year}


def _goal_row(con: duckdb.DuckDBPyConnection, code: str, measure: str, goal: float, baseline: str,
              last: str) -> dict:
    result = series.change(con, measure, [baseline, last], [code]).by_district.iloc[0]
    state = series.state_values(con, measure, [baseline, last])
    change = None if result["change"] != result["change"] else float(result["change"])
    met = None if change is None else (change >= goal if goal >= 0 else change <= goal)
    now = _value(result["to_value"])
    return {"measure": measure, "label": series.measure(measure).label, "goal_change": goal,
            "baseline": _value(result["from_value"]), "current": now, "change": change, "met": met,
            "state_baseline": state[baseline], "state_current": state[last],
            "gap_to_state": None if now is None or state[last] is None else now - state[last]}


def _trend(con: duckdb.DuckDBPyConnection, code: str, years: list[str]) -> list[dict]:
    rows = []
    for measure in ("index", "ela_all", "math_all", "chronic_absenteeism", "graduation_4yr"):
        values = series.district_values(con, measure, years, [code])
        known = dict(zip(values["school_year"], values["value"], strict=True))
        state = series.state_values(con, measure, years)
        rows += [{"measure": measure, "school_year": y, "district": _value(known.get(y)), "state": state[y]}
                 for y in years]
    return rows


def _value(value) -> float | None:
    return None if value is None or value != value else float(value)


def to_html(doc: dict) -> str:
    from alliance.reports import charts, render

    return render.to_html(doc, "midpoint.html", chart=charts.svg_data_uri(charts.district_trend(doc)))


def sheets(doc: dict) -> dict[str, list[dict]]:
    standing = []
    if doc["tier"]:
        standing = [{"item": f"tier.{key}", "value": value} for key, value in doc["tier"].items()]
        standing += [{"item": f"distance_to_exit.{key}", "value": value}
                     for key, value in doc["distance_to_exit"].items()]
    else:
        standing = [{"item": "tier_note", "value": doc["tier_note"]}]
    return {"goals": doc["goals"], "trend": doc["trend"], "tier_and_exit": standing}
