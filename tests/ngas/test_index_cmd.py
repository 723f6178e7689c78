"""``alliance index`` and ``alliance index check`` on a warehouse built from the accountability sources."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.data import warehouse
from alliance.data.accountability_tables import build_accountability_tables
from alliance.data.readers import accountability
from alliance.errors import UnknownEntityError

runner = CliRunner()


@pytest.fixture(scope="module")
def home(data_root, tmp_path_factory):
    home = tmp_path_factory.mktemp("ngas-home")
    warehouse.build([accountability.SOURCE, accountability.EDBOT_SOURCE], data_root,
                    home / "warehouse.duckdb", derive=[build_accountability_tables])
    return home


@pytest.fixture()
def in_home(home, monkeypatch):
    monkeypatch.setenv("ALLIANCE_HOME", str(home))
    return home


def _json(args: list[str]):
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_index_for_one_district_carries_indicators_and_areas(in_home):
    [deep_river] = _json(["index", "--school-year", "2024-25", "--district", "0360011", "--format", "json"])
    assert deep_river["district_name"] == "Deep River School District"
    assert round(deep_river["index"], 2) == 75.28                  # published 75.282715
    assert deep_river["possible"] == 800
    assert round(deep_river["points"], 2) == 602.26
    assert deep_river["indicators"]["chronic_absence_hn"] == {
        "area": "engagement", "rate": 0.12, "points": 36.0, "possible": 50.0}
    assert set(deep_river["areas"]) == {"achievement", "growth", "engagement", "readiness", "graduation",
                                        "postsecondary", "wellness", "arts"}
    assert round(deep_river["state_index"], 1) == 71.8             # state row 2024-25, published 71.8


def test_index_for_a_year_lists_every_district_and_the_state(in_home):
    rows = _json(["index", "--school-year", "2023-24", "--format", "json"])
    assert len(rows) == 201                                        # 200 districts + the state
    assert rows[0]["district_code"] == "0000000"
    assert {"district_code", "district_name", "school_year", "index", "points", "possible",
            "indicators"} <= set(rows[1])
    csv_result = runner.invoke(app, ["index", "--school-year", "2023-24", "--format", "csv"])
    assert csv_result.output.splitlines()[0].startswith("district_code,district_name,index,points,possible")


def test_check_reproduces_every_published_district_index(in_home):
    report = _json(["index", "check", "--format", "json"])
    assert report["district_years"] == report["district_years_matched"] == 1804
    assert report["largest_error"] < 0.01
    assert report["state_rows"] == report["state_rows_matched_at_one_decimal"] == 9
    assert report["mismatches"] == []


def test_year_without_results_is_an_unknown_entity(in_home):
    result = runner.invoke(app, ["index", "--school-year", "2020-21"])
    assert isinstance(result.exception, UnknownEntityError)
    assert "no accountability results for 2020-21" in str(result.exception)


def test_unknown_district_is_an_unknown_entity(in_home):
    result = runner.invoke(app, ["index", "--school-year", "2023-24", "--district", "0999911"])
    assert isinstance(result.exception, UnknownEntityError)
    assert str(result.exception) == "district 0999911 has no accountability result for 2023-24"


def test_index_without_a_year_or_subcommand_is_a_usage_error(in_home):
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 2
    assert "--school-year" in result.output


def test_derived_tables_hold_the_index_by_area_with_the_state_beside_it(in_home):
    frame = warehouse.query(in_home / "warehouse.duckdb",
                            "SELECT * FROM accountability_by_area WHERE district_code = '0360011' "
                            "AND school_year = '2024-25' AND area = 'achievement'")
    # 49.0732 + 45.2471 + 48.8512 + 43.5330 + 50 = 236.7045 of 250 → 94.68
    assert round(frame["area_index"].iloc[0], 2) == 94.68
    assert frame["state_area_index"].notna().all()
    computed = warehouse.query(in_home / "warehouse.duckdb",
                               "SELECT count(*) AS n FROM accountability_computed")
    assert computed["n"].iloc[0] == 1813
