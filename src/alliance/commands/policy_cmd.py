"""``alliance tiers``, ``exit`` and ``simulate``: the policy lab.

Robustness is ``alliance designate --robustness N`` (commands/designate_cmd.py).
"""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from alliance import config
from alliance.commands.common import FiscalYearOption, FormatOption, fiscal_year_from
from alliance.output import Format, _plain, emit
from alliance.rules.exit import phase_down
from alliance.rules.tiers import TIER_ORDER
from alliance.simulate.html import simulation_html
from alliance.simulate.runner import Simulator, simulate

SOURCE = ("source: warehouse tables accountability, district_enrollment, enrollment, ecs_entitlement; "
          "parameters tiers.*, exit.*, selection.*, robustness.* (alliance params list)")
ThroughOption = Annotated[int | None, typer.Option(
    "--through", help="Last fiscal year of the money schedule (default: the last year with ECS data).")]


class SimulateFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


def register(app: typer.Typer) -> None:
    app.command("tiers")(tiers)
    app.command("exit")(exit_command)
    app.command("simulate")(simulate_command)


def _lab(fiscal_year: int, through: int | None = None) -> Simulator:
    """Current law for ``fiscal_year`` (``.baseline``), read from the warehouse."""
    return Simulator(config.warehouse_path(), fiscal_year, through)


def tiers(fy: FiscalYearOption = None, fmt: FormatOption = Format.table) -> None:
    """Each Alliance District's support tier, the reasons for it and the supports it brings."""
    fiscal_year = fiscal_year_from(fy)
    side = _lab(fiscal_year).baseline
    members = side.members.sort_values(["tier", "latest_index"], key=_tier_key)
    rows = [{"district_code": r["district_code"], "district_name": r["district_name"],
             "status": r["status"], "tier": r["tier"], "index": r["latest_index"],
             "previous_index": r["previous_index"], "far_below_count": r["far_below_count"],
             "reasons": "; ".join(r["reasons"] or []), "supports": r["supports"]}
            for r in members.to_dict("records")]
    cut = float(side.members["tier_cut"].iloc[0]) if "tier_cut" in side.members else None
    caption = (f"results year {side.results_year}; targeted-tier index cut {cut:.1f} (percentile of "
               f"eligible districts); tiers are a DESIGN proposal (tiered_support.md §4)\n{SOURCE}")
    document = {"fiscal_year": fiscal_year, "results_year": side.results_year, "tier_index_cut": cut,
                "districts": rows}
    shown, index = rows, "index"
    if fmt is not Format.json:  # the table says which year's index it shows (designation ranks 2018-19)
        index = f"index {side.results_year}"
        shown = [{**row, index: row["index"], "supports": "; ".join(row["supports"])} for row in rows]
    columns = ["district_code", "district_name", "status", "tier", index, "reasons"]
    emit(shown, fmt, title=f"Support tiers, FY{fiscal_year}", digits=1, caption=caption, document=document,
         columns=columns + ["supports"] if fmt is Format.csv else columns)
    if fmt is Format.table:  # JSON and CSV carry each district's supports; the table lists them once per tier
        supports = {r["tier"]: "; ".join(r["supports"]) for r in rows}
        listed = [{"tier": tier, "supports": supports[tier]} for tier in TIER_ORDER if tier in supports]
        emit(listed, fmt, title="Supports each tier brings (parameter tiers.supports)")


def _tier_key(column):
    return column.map(TIER_ORDER.index) if column.name == "tier" else column


def exit_command(fy: FiscalYearOption = None, through: ThroughOption = None,
                 fmt: FormatOption = Format.table) -> None:
    """Each member's distance to exit, and the phase-down of money for those meeting the criteria."""
    fiscal_year = fiscal_year_from(fy)
    lab = _lab(fiscal_year, through)
    params, years, side = lab.baseline_params, lab.years, lab.baseline
    members = side.members.sort_values(["qualifying_years", "index_gap"], ascending=[False, True])
    keys = ("district_code", "district_name", "latest_index", "exit_bar", "index_gap", "indicators_short",
            "qualifying_years", "years_needed", "meets_criteria", "exits", "distance")
    rows = [{key: r.get(key) for key in keys} for r in members.to_dict("records")]
    meeting = side.members.loc[side.members["meets_criteria"].fillna(False).astype(bool), ["district_code"]]
    share = float(params.get("exit.phase_down_share", fiscal_year))
    conditioned = lab.baseline_world.withholding(side.members, years)
    schedule = phase_down(meeting.assign(exit_fy=fiscal_year), conditioned, share)
    enabled = bool(params.get("exit.enabled", fiscal_year))
    freed = [{"fiscal_year": y, "freed": int(schedule.loc[schedule["fiscal_year"] == y, "freed"].sum())}
             for y in years]
    caption = (f"exit rules {'ON' if enabled else 'OFF under current law (shown as if on)'}; results "
               f"through {side.results_year}; phase-down {share:.0%} a year; money freed by FY: "
               + ", ".join(f"FY{f['fiscal_year']} ${f['freed']:,}" for f in freed) + f"\n{SOURCE}")
    document = {"fiscal_year": fiscal_year, "exit_enabled": enabled, "phase_down_share": share,
                "districts": rows, "phase_down": schedule.to_dict("records"), "freed_by_fiscal_year": freed}
    emit(rows, fmt, title=f"Distance to exit, FY{fiscal_year}", digits=1, caption=caption, document=document,
         columns=["district_code", "district_name", "latest_index", "exit_bar", "qualifying_years",
                  "distance"])


def simulate_command(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file (see scenarios/).")],
    fy: FiscalYearOption = None,
    through: ThroughOption = None,
    fmt: Annotated[SimulateFormat, typer.Option("--format", "-f", help="table, json, csv or html.")]
    = SimulateFormat.table,
) -> None:
    """Run a scenario against the current law: members entering and leaving, students and money."""
    document = simulate(file, fiscal_year_from(fy), config.warehouse_path(), through)
    if fmt is SimulateFormat.json:
        sys.stdout.write(json.dumps(_plain(document), indent=2) + "\n")
    elif fmt is SimulateFormat.html:
        sys.stdout.write(simulation_html(_plain(document)))
    elif fmt is SimulateFormat.csv:
        emit(document["money"], Format.csv)
    else:
        _print_simulation(document)


def _print_simulation(document: dict) -> None:
    base, scen = document["baseline"], document["scenario"]
    summary = [{"side": "current law", "rule": base["rule"], "members": base["count"],
                "students": document["students"]["students"]["baseline"],
                "high_needs_proxy": document["students"]["high_needs_proxy"]["baseline"]},
               {"side": "scenario", "rule": scen["rule"], "members": scen["count"],
                "students": document["students"]["students"]["scenario"],
                "high_needs_proxy": document["students"]["high_needs_proxy"]["scenario"]}]
    emit(summary, Format.table, title=f"{scen['title']} (FY{document['fiscal_year']})",
         caption=scen["rationale"])
    ranked, latest = f"index {scen['index_school_year']}", f"index {scen['results_year']}"
    for key in ("entering", "leaving"):
        people = [{**p, ranked: p.get("index"), latest: p.get("latest_index")} for p in document[key]]
        emit(people or [{"district_name": "none"}], Format.table, title=key.capitalize(), digits=1,
             columns=["district_code", "district_name", ranked, latest, "students", "reason"])
    if document.get("phase_down"):
        phased = [{**row, "fiscal_year": f"FY{row['fiscal_year']}", "exit_fy": f"FY{row['exit_fy']}",
                   "freed_share": f"{row['freed_share']:.0%}"} for row in document["phase_down"]]
        emit(phased, Format.table, title="Phase-down of exiting members' conditioned money (whole dollars)",
             columns=["district_name", "exit_fy", "fiscal_year", "amount", "freed_share", "freed",
                      "still_conditioned"])
    money = [{**row, "fiscal_year": f"FY{row['fiscal_year']}"} for row in document["money"]]
    emit(money, Format.table, title="Money by fiscal year (whole dollars)",
         caption="\n".join(document["notes"]),
         columns=["fiscal_year", "baseline_withheld", "scenario_withheld", "withheld_difference",
                  "scenario_released", "scenario_added"])
