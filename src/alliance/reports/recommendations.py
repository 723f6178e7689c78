"""The report's recommendations section, fed by the policy lab: every shipped scenario
(``scenarios/*.yaml``) run through ``alliance.simulate`` for one fiscal year, and summarised.

Facts only: each summary carries the scenario file's own title, rationale and references, and the
simulator's figures (members entering and leaving, students covered, money moved). Nothing here
ranks or endorses a scenario.
"""

from __future__ import annotations

from pathlib import Path

from alliance.errors import DataError, ParameterError, UnknownEntityError
from alliance.simulate.runner import Simulator

SCENARIOS_DIR = Path(__file__).resolve().parents[3] / "scenarios"
PERSON_KEYS = ("district_code", "district_name", "index", "students", "reason")
MONEY_KEYS = ("withheld", "released", "added")


def scenario_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def recommendations(warehouse_path: Path, fiscal_year: int, directory: Path = SCENARIOS_DIR) -> dict:
    """``items``: one summary per scenario file, in file-name order; ``basis``: what was run."""
    if not directory.is_dir():
        raise UnknownEntityError(f"scenario folder {directory} not found (give one with --scenarios DIR)")
    files = scenario_files(directory)
    basis = {"fiscal_year": fiscal_year, "scenarios_dir": str(directory), "files": [f.name for f in files],
             "note": ("Each shipped policy-lab scenario run against current law for FY"
                      f"{fiscal_year} (alliance simulate FILE --fy {fiscal_year}). The titles and "
                      "rationales are the scenario files' own; the figures are the simulator's.")}
    if not files:
        basis["note"] = f"no scenario files (*.yaml) in {directory}: nothing to summarise"
    simulator = Simulator(warehouse_path, fiscal_year)   # current law computed once for every file
    return {"basis": basis, "items": [_run(path, fiscal_year, simulator) for path in files]}


def _run(path: Path, fiscal_year: int, simulator: Simulator) -> dict:
    try:
        return summarise(simulator.run(path), path)
    except (DataError, ParameterError, UnknownEntityError) as exc:
        return {"file": path.name, "title": None, "fiscal_year": fiscal_year, "not_run": str(exc)}


def summarise(run: dict, path: Path) -> dict:
    """One scenario run (``alliance.simulate.runner.Simulator.run``'s document) as a report entry."""
    scenario, fiscal_year = run["scenario"], run["fiscal_year"]
    money = [_money_row(row) for row in run["money"]]
    in_year = next((row for row in money if row["fiscal_year"] == fiscal_year), None)
    return {
        "file": path.name,
        "title": scenario["title"],
        "rationale": scenario["rationale"],
        "references": scenario["references"],
        "effective_fy": scenario["effective_fy"],
        "fiscal_year": fiscal_year,
        "overrides": scenario["overrides"],
        "baseline_members": run["baseline"]["count"],
        "scenario_members": scenario["count"],
        "entering": [_person(p) for p in run["entering"]],
        "leaving": [_person(p) for p in run["leaving"]],
        "exits": [_person(p) for p in scenario["exits"]],
        "students": run["students"]["students"],
        "high_needs_proxy": run["students"]["high_needs_proxy"],
        "money": money,
        "money_in_year": in_year,
        "timing_note": _timing_note(scenario["effective_fy"], fiscal_year, path),
        "notes": run["notes"],
    }


def _person(person: dict) -> dict:
    return {key: person.get(key) for key in PERSON_KEYS}


def _money_row(row: dict) -> dict:
    out = {"fiscal_year": row["fiscal_year"]}
    for key in MONEY_KEYS:
        out |= {f"baseline_{key}": row[f"baseline_{key}"], f"scenario_{key}": row[f"scenario_{key}"],
                f"{key}_difference": row[f"{key}_difference"]}
    return out


def _timing_note(effective_fy: int | None, fiscal_year: int, path: Path) -> str | None:
    if effective_fy is None or effective_fy <= fiscal_year:
        return None
    return (f"the scenario's overrides apply from FY{effective_fy}, after FY{fiscal_year}: members and "
            f"FY{fiscal_year} money are unchanged, later years show any money it moves; its full effect "
            f"shows with `alliance simulate {path.name} --fy {effective_fy}` or "
            f"`alliance evaluate --scenario-fy {effective_fy}`")
