"""The policy lab on the real warehouse (slow: builds from every source).

Truth used: the published 2018-19 district indices of the EdSight export (the FY2023 round's
index year) and the published Alliance / Opportunity membership the designation engine reproduces.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.parameters import load_parameters
from alliance.simulate.robustness_run import robustness_table
from alliance.simulate.runner import simulate

pytestmark = pytest.mark.slow
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_zero_error_probabilities_match_the_plain_designation(warehouse):
    params = load_parameters().override({"robustness.index_error_sd": 0.0})
    table, settings = robustness_table(2026, warehouse, resamples=20, params=params)
    assert set(table["probability_by_rank"].unique()) <= {0.0, 1.0}
    by_rank = table[table["basis"] == "rank"]
    assert (by_rank["probability_by_rank"] == 1.0).all()
    assert len(by_rank) == 30  # the round's 30 lowest
    assert (table.loc[table["status"] == "not designated", "probability"] == 0.0).all()


def test_threshold_scenario_adds_the_districts_below_76_1_in_2018_19(warehouse):
    # Published 2018-19 indices of the eligible non-members below 76.1: Regional 14 (75.43),
    # Regional 8 (75.56), Stafford (75.86), Wallingford (75.90), Griswold (75.91), Seymour (76.09);
    # Norwalk (75.64) and Windsor (75.86) are already (grandfathered) members.
    document = simulate(SCENARIOS / "threshold.yaml", 2026, warehouse)
    entering = {p["district_code"] for p in document["entering"]}
    assert entering == {"2140012", "2080012", "1340011", "1480011", "0580011", "1240011"}
    assert document["leaving"] == []
    assert document["baseline"]["count"] == 36
    assert document["scenario"]["count"] == 42


def test_tiers_cli_puts_every_opportunity_district_in_the_intensive_tier(warehouse, monkeypatch):
    monkeypatch.setenv("ALLIANCE_HOME", str(Path(warehouse).parent))
    result = CliRunner().invoke(app, ["tiers", "--fy", "2026", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["districts"]
    assert len(rows) == 36
    opportunity = [r for r in rows if r["status"] == "opportunity"]
    assert len(opportunity) == 10
    assert all(r["tier"] == "intensive" for r in opportunity)
    assert all(r["reasons"] for r in rows)


def test_simulate_cli_json_and_html(warehouse, monkeypatch):
    monkeypatch.setenv("ALLIANCE_HOME", str(Path(warehouse).parent))
    result = CliRunner().invoke(app, ["simulate", str(SCENARIOS / "targeted_grants.yaml"), "--fy", "2026",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert {"baseline", "scenario", "entering", "leaving", "students", "money"} <= set(document)
    assert all(row["scenario_added"] > 0 for row in document["money"])
    html = CliRunner().invoke(app, ["simulate", str(SCENARIOS / "no_size_rule.yaml"), "--format", "html"])
    assert html.exit_code == 0 and html.output.startswith("<!doctype html>")
