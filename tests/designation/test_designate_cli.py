"""``alliance designate`` as a user runs it, on the real warehouse."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from alliance import config
from alliance.cli import app
from alliance.errors import UnknownEntityError

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture()
def home(warehouse, monkeypatch):
    monkeypatch.setenv(config.HOME_ENV, str(warehouse.parent))


def test_json_lists_every_local_and_regional_district_with_the_required_keys(home):
    result = runner.invoke(app, ["designate", "--fy", "2026", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    required = {"district_code", "district_name", "status", "basis", "rank", "index", "enrollment",
                "first_fy", "reason"}
    assert all(required <= set(row) for row in rows)
    assert {row["org_type"] for row in rows} == {"local", "regional"}
    # § 10-262u(b)(3): 36 Alliance Districts, 10 of them Opportunity Districts
    assert sum(row["status"] != "not designated" for row in rows) == 36
    assert sum(row["status"] == "opportunity" for row in rows) == 10
    stratford = next(row for row in rows if row["district_code"] == "1380011")
    assert (stratford["basis"], stratford["first_fy"], stratford["cohort_fy"]) == ("rank", 2023, 2023)


def test_csv_has_a_header_and_one_line_per_district(home):
    result = runner.invoke(app, ["designate", "--fy", "2018", "--format", "csv"])
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("district_code,district_name,status,basis,rank")
    assert sum(",alliance," in line or ",opportunity," in line for line in lines) == 33


def test_explain_shows_each_step_for_torrington_in_fy2018(home):
    result = runner.invoke(app, ["designate", "--fy", "2018", "--explain", "1430011", "--format", "json"])
    document = json.loads(result.output)
    steps = {s["step"]: s for s in document["steps"]}
    # Torrington: 2015-16 index 69.4, 4,266 students, rank 18 of 112 -> designated by rank in FY2018
    assert steps["enrollment"]["data"] == "students 2015-16: 4,266"
    assert steps["rank"]["data"] == "rank 18 of 112 (1 = lowest index)"
    assert document["designation"]["first_fy"] == 2018
    assert "C.G.S. § 10-262u" in steps["grandfathering"]["citation"]


def test_region_6_is_shown_as_merged_into_region_20_in_fy2026(home):
    result = runner.invoke(app, ["designate", "--fy", "2026", "--format", "json"])
    region_6 = next(row for row in json.loads(result.output) if row["district_code"] == "2060012")
    # 2018-19 (the FY2023 round's data year): 912 students, below the 1,000 minimum
    assert region_6["reason"] == ("excluded: 912 students in 2018-19, fewer than 1,000; "
                                  "since 2024-25 part of Regional School District 20 (2200012)")


def test_fy2028_round_without_2025_26_results_says_what_is_missing_and_what_to_do(home):
    result = runner.invoke(app, ["designate", "--fy", "2028"])
    assert isinstance(result.exception, UnknownEntityError)
    message = str(result.exception)
    assert "ranks the 2025-26 index" in message and "(latest: 2024-25)" in message
    assert "alliance designate --fy 2027" in message


def test_unknown_district_code_is_a_clear_error(home):
    result = runner.invoke(app, ["designate", "--fy", "2018", "--explain", "0990099"])
    assert isinstance(result.exception, UnknownEntityError)
    assert "0990099" in str(result.exception)


def test_robustness_gives_every_district_a_probability_and_flags_the_margin(home):
    result = runner.invoke(app, ["designate", "--fy", "2026", "--robustness", "300", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["resamples"] == 300 and document["index_error_sd"] == 2.0
    rows = {row["district_code"]: row for row in document["districts"]}
    assert all(0.0 <= row["probability"] <= 1.0 for row in rows.values())
    # New Britain: 2018-19 index 55.5, 17.8 points under the 30th (Stratford 73.3): 6.3 SD of a difference
    # of two indices with error SD 2.0 (√8 = 2.83), and 29 others would all have to pass it → always
    assert rows["0890011"]["probability"] == 1.0 and not rows["0890011"]["marginal"]
    # Thompson (994 students) and Winchester (554) cannot be ranked but are grandfathered → always members;
    # Woodstock (841 students) cannot be ranked and is not a member → never
    assert rows["1410011"]["probability"] == rows["1620011"]["probability"] == 1.0
    assert rows["1690011"]["probability"] == 0.0 and rows["1690011"]["probability_by_rank"] is None
    # Groton (rank 44) is kept whatever its index: its designation is not marginal even though its rank is
    assert rows["0590011"]["probability"] == 1.0 and rows["0590011"]["probability_by_rank"] < 1.0
    band = document["marginal_band"]
    assert all(row["marginal"] == (band < row["probability"] < 1 - band) for row in rows.values())


def test_robustness_table_shows_probability_beside_status(home):
    result = runner.invoke(app, ["designate", "--fy", "2026", "--robustness", "100"])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if "district_code" in line)
    assert header.index("status") < header.index("probability") < header.index("margin")
    assert "MARGINAL" in result.output and "100 resamples" in result.output
