"""``alliance evaluate`` as a user runs it."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from alliance.cli import app


@pytest.fixture()
def home(evaluation_warehouse, alliance_home):
    shutil.copy(evaluation_warehouse, alliance_home / "warehouse.duckdb")
    return alliance_home


@pytest.mark.slow
def test_evaluate_json_names_the_statistics(home, tmp_path):
    out = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["evaluate", "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["period"]["from"] == "2014-15" and doc["period"]["to"] == "2023-24"
    assert doc["index_change"]["original_cohort"]["improved"] == 4
    assert isinstance(doc["recommendations"], list)
    assert doc["money"]["by_year"][0]["released"] is None   # unavailable, never 0


def test_scenario_fy_must_be_a_fiscal_year(home):
    from alliance.errors import UnknownEntityError

    result = CliRunner().invoke(app, ["evaluate", "--scenario-fy", "twenty", "--format", "json"])
    assert isinstance(result.exception, UnknownEntityError)
    assert "--scenario-fy" in str(result.exception)


def test_pdf_needs_an_output_file(home):
    result = CliRunner().invoke(app, ["evaluate", "--format", "pdf"])
    assert result.exit_code != 0
    assert "--out" in result.output


def test_year_without_results_is_a_clear_error(home):
    from alliance.errors import UnknownEntityError

    result = CliRunner().invoke(app, ["evaluate", "--to", "2020-21", "--format", "json"])
    assert isinstance(result.exception, UnknownEntityError)
    assert "no accountability results for 2020-21" in str(result.exception)


def test_midpoint_of_unknown_district(home):
    from alliance.errors import UnknownEntityError

    result = CliRunner().invoke(app, ["evaluate", "--district", "9999911", "--midpoint", "--format", "json"])
    assert isinstance(result.exception, UnknownEntityError)


def test_csv_with_out_writes_csv_not_json(home, tmp_path):
    out = tmp_path / "hartford.csv"
    result = CliRunner().invoke(app, ["evaluate", "--district", "0640011", "--midpoint", "--format", "csv",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    header, first = out.read_text().splitlines()[:2]
    assert header.startswith("measure,label,goal_change")
    # Hartford OutcomeRatePct 2018-19 59.918684 → 2023-24 58.138346, goal +3.0: not met
    assert first.startswith("index,Accountability Index,3.0,59.918684,58.138346,")
