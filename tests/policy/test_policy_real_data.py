"""The policy lab on the real warehouse (slow: builds from every source).

Truth used: the published 2018-19 district indices of the EdSight export (the FY2023 round's
index year) and the published Alliance / Opportunity membership the designation engine reproduces.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.data import warehouse as wh
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
    # the reason names the bar, not only the count it became (39 lowest: 30 + the 6 + 3 kept members below it)
    seymour = next(p for p in document["entering"] if p["district_code"] == "1240011")
    assert "(index 76.09), among the 39 lowest (index below 76.1)" in seymour["reason"]


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


def test_exit_scenario_lets_vernon_out_and_phases_its_withheld_money_down(warehouse):
    # Vernon, the member closest to exit: 2023-24 index 73.27 vs cut 69.63, 2024-25 76.34 vs 70.25, both
    # at least the scenario's 2.0-point margin above the cut (and earlier years too)
    document = simulate(SCENARIOS / "exit_phase_down.yaml", 2026, warehouse)
    assert [p["district_code"] for p in document["leaving"]] == ["1460011"]
    assert document["entering"] == [] and document["scenario"]["count"] == 35
    published = wh.query(warehouse, "SELECT fiscal_year, alliance_portion FROM ecs_entitlement "
                         "WHERE town_code = 146 AND fiscal_year IN (2026, 2027) ORDER BY 1")
    portion = dict(zip(published["fiscal_year"], published["alliance_portion"], strict=True))
    assert portion[2026] == 23_512_721 - 17_645_165  # its FY2026 grant − FY2012 grant = 5,867,556
    phase = {row["fiscal_year"]: row for row in document["phase_down"]}
    # 20 % of 5,867,556 = 1,173,511.2 → 1,173,511; 40 % of the FY2027 portion, rounded half up
    assert phase[2026]["freed"] == 1_173_511
    assert phase[2027]["freed"] == int((Decimal(int(portion[2027])) * Decimal("0.4")).quantize(
        Decimal(1), rounding=ROUND_HALF_UP))
    money = {row["fiscal_year"]: row for row in document["money"]}
    for year in (2026, 2027):
        assert money[year]["scenario_released"] == phase[year]["freed"]
        assert money[year]["withheld_difference"] == -phase[year]["freed"]
