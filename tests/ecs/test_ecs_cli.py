"""``alliance ecs`` as a user runs it, on the real-data warehouse."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.errors import UnknownEntityError


@pytest.fixture()
def home(warehouse, alliance_home):
    shutil.copy(warehouse, alliance_home / "warehouse.duckdb")
    return alliance_home


def run(*args: str):
    return CliRunner().invoke(app, ["ecs", *args])


def test_json_has_the_promised_keys_for_every_town(home):
    result = run("--fy", "2026", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 169
    keys = {"town_code", "town", "fiscal_year", "entitlement", "base_fy", "base_grant", "alliance_portion"}
    assert all(keys <= row.keys() for row in rows)
    hartford = next(r for r in rows if r["town_code"] == 64)
    # published FY2026: entitlement 226,674,245; FY2012 grant 187,974,890; Alliance portion 38,699,355
    shown = [hartford[k] for k in ("entitlement", "base_fy", "base_grant", "alliance_portion")]
    assert shown == [226_674_245, 2012, 187_974_890, 38_699_355]
    assert "designation engine" in hartford["membership_source"]


def test_town_by_name_or_code(home):
    by_name = json.loads(run("--fy", "FY2025", "--town", "groton", "-f", "json").output)
    by_code = json.loads(run("--fy", "2025", "--town", "59", "-f", "json").output)
    assert by_name == by_code
    assert by_name[0]["member"] and by_name[0]["alliance_portion"] == 0
    assert "no plan obligation" in by_name[0]["status"]


def test_table_names_members_with_nothing_withheld_and_the_membership_source(home):
    result = run("--fy", "2026")
    assert result.exit_code == 0, result.output
    assert "no plan obligation: Groton, Thompson" in result.output
    assert "membership source" in result.output


def by_step(steps: list[dict]) -> dict[str, dict]:
    return {step["step"]: step for step in steps}


def test_csv_has_one_line_per_town_with_the_year_and_the_unknown_release(home):
    rows = list(csv.DictReader(io.StringIO(run("--fy", "2026", "-f", "csv").output)))
    assert len(rows) == 169 and rows[0]["town"] == "Andover"
    hartford = next(r for r in rows if r["town"] == "Hartford")
    # published FY2026 Alliance portion 38,699,355; released / still withheld unknown (no plan records)
    assert (hartford["fiscal_year"], hartford["alliance_portion"]) == ("2026", "38699355")
    assert (hartford["released"], hartford["still_withheld"]) == ("", "")
    groton = next(r for r in rows if r["town"] == "Groton")
    assert (groton["alliance_portion"], groton["released"], groton["still_withheld"]) == ("0", "0", "0")


def test_explain_cites_every_parameter_it_uses(home):
    result = run("--fy", "2026", "--town", "Hartford", "--explain", "-f", "json")
    steps = json.loads(result.output)
    by_name = {step["step"]: step for step in steps}
    assert by_name["entitlement"]["value"] == "226674245"
    # then the withholding: 226,674,245 − FY2012 grant 187,974,890 = 38,699,355 (cohort FY2013)
    assert [s["step"] for s in steps[-5:]] == ["Alliance membership", "withholding base year",
                                                "Alliance portion (withheld)", "non-Alliance portion",
                                                "released / still withheld"]
    # no plan records exist: the release is unknown, not guessed
    assert steps[-1]["value"] == "unknown"
    assert by_name["withholding base year"]["parameters"] == "withholding.base_year: cohort FY2013 → FY2012"
    assert by_name["Alliance portion (withheld)"]["value"] == "38699355"
    for step in steps:
        if step["parameters"]:
            assert step["citation"], step["step"]
    foundation = next(s for s in steps if s["step"] == "base formula aid")
    assert "ecs.foundation = 11525" in foundation["parameters"] and "10-262f" in foundation["citation"]


def test_explain_needs_a_town_and_formula_inputs(home):
    assert isinstance(run("--fy", "2026", "--explain").exception, UnknownEntityError)
    missing = run("--fy", "2027", "--town", "Hartford", "--explain").exception
    assert isinstance(missing, UnknownEntityError) and "FY2027" in str(missing)


def test_unknown_town_is_a_clear_error_with_exit_2(home):
    env = {**os.environ, "ALLIANCE_HOME": str(home)}
    command = [sys.executable, "-c", "from alliance.cli import main; main()",
               "ecs", "--fy", "2026", "--town", "Atlantis"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 2
    assert "unknown town 'Atlantis'" in done.stderr


def test_explain_shows_enfields_dated_base_year_exception(home):
    steps = json.loads(run("--fy", "2026", "--town", "Enfield", "--explain", "-f", "json").output)
    base = next(s for s in steps if s["step"] == "withholding base year")
    # first designated FY2023 (base FY2022), but from FY2026 the FY2012 grant 28,380,144 by exception
    assert base["value"] == "FY2012 grant 28380144"
    assert base["parameters"] == "withholding.base_year_exceptions: town 49 → FY2012"
    assert "derived" not in base["citation"] and "breakout" in base["citation"]
    assert by_step(steps)["Alliance portion (withheld)"]["value"] == str(29_823_645 - 28_380_144)


def test_a_year_before_the_withholding_began_says_when_it_began(home):
    # withholding.base_year's first value takes effect 2012-07-01, i.e. FY2013; FY2012 is only a base year
    error = run("--fy", "2012").exception
    assert isinstance(error, UnknownEntityError)
    assert "starts in FY2013" in str(error) and "FY2012" in str(error)
