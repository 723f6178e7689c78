"""Run a scenario against the current law: both sides, and the difference.

Members are decided for the fiscal year asked (``--fy``); money is followed from that year through
the last fiscal year with ECS data, so a phase-down shows year by year.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from alliance.errors import UnknownEntityError
from alliance.parameters import Parameters, load_parameters
from alliance.simulate import inputs as io
from alliance.simulate.scenario import Scenario, load_scenario
from alliance.simulate.side import Side, World, run_side

MONEY_NOTE = ("withheld = ECS money conditioned on an approved plan (Alliance portion); released = "
              "money freed from conditions by exits (phase-down); added = new targeted grants")
PERSON = ["district_code", "district_name", "status", "tier", "index", "latest_index", "students",
          "high_needs_proxy"]


@dataclass(frozen=True)
class Tables:
    """The warehouse tables the lab reads whatever the parameters: read once, shared by every side."""

    accountability: pd.DataFrame
    enrollment: pd.DataFrame
    high_needs: pd.DataFrame
    ecs: pd.DataFrame

    @classmethod
    def read(cls, warehouse_path: Path) -> Tables:
        return cls(io.accountability(warehouse_path), io.enrollment(warehouse_path),
                   io.high_needs_proxy(warehouse_path), io.ecs_amounts(warehouse_path))


def load_world(warehouse_path: Path, params: Parameters, fiscal_year: int,
               tables: Tables | None = None) -> World:
    """The lab's world under ``params``; ``tables`` saves re-reading what no parameter changes."""
    tables = tables or Tables.read(warehouse_path)
    return World(inputs=io.round_inputs(warehouse_path, params, fiscal_year),
                 accountability=tables.accountability, enrollment=tables.enrollment,
                 high_needs=tables.high_needs, withholding=io.engine_withholding(tables.ecs, params))


def money_years(warehouse_path: Path, fiscal_year: int, through: int | None,
                ecs: pd.DataFrame | None = None) -> list[int]:
    known = sorted((io.ecs_amounts(warehouse_path) if ecs is None else ecs)["fiscal_year"].unique())
    last = through if through is not None else max(known)
    years = [int(y) for y in known if fiscal_year <= y <= last]
    if not years:
        raise UnknownEntityError(f"no ECS data for FY{fiscal_year}-FY{last} (the warehouse has "
                                 f"FY{min(known)}-FY{max(known)})")
    return years


class Simulator:
    """Scenarios against current law for one fiscal year. The warehouse is read and the current-law
    side computed once, however many scenarios are run (the evaluation report runs every file)."""

    def __init__(self, warehouse_path: Path, fiscal_year: int, through: int | None = None) -> None:
        self.warehouse_path, self.fiscal_year, self.through = warehouse_path, fiscal_year, through
        self.baseline_params = load_parameters()

    @cached_property
    def tables(self) -> Tables:
        return Tables.read(self.warehouse_path)

    @cached_property
    def years(self) -> list[int]:
        return money_years(self.warehouse_path, self.fiscal_year, self.through, self.tables.ecs)

    @cached_property
    def baseline_world(self) -> World:
        return self.world(self.baseline_params)

    @cached_property
    def baseline(self) -> Side:
        return run_side(self.baseline_world, self.baseline_params, self.fiscal_year, self.years)

    def world(self, params: Parameters) -> World:
        return load_world(self.warehouse_path, params, self.fiscal_year, self.tables)

    def side(self, params: Parameters) -> Side:
        return run_side(self.world(params), params, self.fiscal_year, self.years)

    def run(self, path: Path) -> dict:
        """The document ``alliance simulate`` prints: both sides and the difference."""
        scenario, scenario_params = load_scenario(path, self.baseline_params)
        return compare(scenario, self.baseline, self.side(scenario_params))


def simulate(path: Path, fiscal_year: int, warehouse_path: Path, through: int | None = None) -> dict:
    """The document ``alliance simulate`` prints: both sides and the difference."""
    return Simulator(warehouse_path, fiscal_year, through).run(path)


def compare(scenario: Scenario, baseline: Side, changed: Side) -> dict:
    before, after = baseline.remaining, changed.remaining
    entering = after[~after["district_code"].isin(set(before["district_code"]))]
    leaving = before[~before["district_code"].isin(set(after["district_code"]))]
    return {
        "fiscal_year": baseline.fiscal_year,
        "baseline": _side_document(baseline, "current law"),
        "scenario": {"title": scenario.title, "rationale": scenario.rationale, "file": scenario.source,
                     "references": [r.model_dump() for r in scenario.references],
                     "effective_fy": scenario.effective_fy, "overrides": scenario.overrides,
                     **_side_document(changed, scenario.title)},
        "entering": [_person(row, "enters: " + str(row["reason"])) for row in entering.to_dict("records")],
        "leaving": [_person(row, _leaving_reason(row, changed)) for row in leaving.to_dict("records")],
        "students": _students(before, after),
        "money": _money(baseline.money, changed.money),
        "phase_down": _phase_down(changed),
        "notes": [MONEY_NOTE, io.HIGH_NEEDS_LABEL, io.WITHHOLDING_NOTE],
    }


def _side_document(side: Side, label: str) -> dict:
    remaining = side.remaining
    return {"label": label, "rule": side.rule, "results_year": side.results_year,
            "index_school_year": side.index_school_year,
            "count": len(remaining),
            "members": [_person(row) for row in remaining.to_dict("records")],
            "exits": [_person(row, row["distance"]) for row in side.members[side.members["exits"]]
                      .to_dict("records")]}


def _person(row: dict, reason: str | None = None) -> dict:
    person = {key: row.get(key) for key in PERSON}
    if reason is not None:
        person["reason"] = reason
    return person


def _leaving_reason(row: dict, changed: Side) -> str:
    exited = changed.members[changed.members["district_code"] == row["district_code"]]
    if len(exited) and bool(exited["exits"].iloc[0]):
        return _exit_reason(exited.iloc[0], changed.results_year)
    found = changed.ranking[changed.ranking["district_code"] == row["district_code"]]
    return "not designated: " + (str(found["reason"].iloc[0]) if len(found) else "not in the round's data")


def _exit_reason(member: pd.Series, results_year: str | None) -> str:
    years = int(member["qualifying_years"])
    return (f"exits: meets the exit criteria ({years} consecutive results years out of the lowest with its "
            f"index at or above the bar; {results_year} index {member['latest_index']:.1f} against a bar of "
            f"{member['exit_bar']:.1f}); its conditioned money is phased down (see phase_down)")


def _phase_down(side: Side) -> list[dict]:
    """Per exiting member and fiscal year: conditioned amount, share freed, freed, still conditioned."""
    if side.phase_down.empty:
        return []
    names = side.members.set_index("district_code")["district_name"]
    frame = side.phase_down.assign(district_name=side.phase_down["district_code"].map(names))
    columns = ["district_code", "district_name", "fiscal_year", "exit_fy", "amount", "freed_share", "freed",
               "still_conditioned"]
    return frame[columns].to_dict("records")


def _total(frame: pd.DataFrame, column: str) -> int:
    return int(frame[column].fillna(0).sum())


def _students(before: pd.DataFrame, after: pd.DataFrame) -> dict:
    counts = {}
    for column in ("students", "high_needs_proxy"):
        b, a = _total(before, column), _total(after, column)
        counts[column] = {"baseline": b, "scenario": a, "difference": a - b}
    counts["high_needs_label"] = io.HIGH_NEEDS_LABEL
    return counts


def _money(before: pd.DataFrame, after: pd.DataFrame) -> list[dict]:
    rows = []
    for b, a in zip(before.to_dict("records"), after.to_dict("records"), strict=True):
        row = {"fiscal_year": b["fiscal_year"]}
        for column in ("withheld", "released", "added"):
            row[f"baseline_{column}"] = b[column]
            row[f"scenario_{column}"] = a[column]
            row[f"{column}_difference"] = a[column] - b[column]
        rows.append(row)
    return rows
