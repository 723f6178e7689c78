"""What the report takes from the policy lab: the midpoint review's tier and distance to exit, and the
recommendations section (every shipped scenario, as the simulator runs it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.reports.midpoint import build_midpoint
from alliance.reports.recommendations import SCENARIOS_DIR, recommendations, summarise
from alliance.simulate.runner import simulate
from alliance.years import SchoolYear

pytestmark = pytest.mark.slow  # the policy lab runs the designation rounds for every side


@pytest.fixture(scope="module")
def hartford(evaluation_warehouse):
    return build_midpoint(evaluation_warehouse, "0640011", SchoolYear.parse("2023-24"))


def test_midpoint_tier_of_hartford(hartford):
    # results 2023-24 decide FY2025 tiers (tiers.results_lag_years = 1); Hartford is an Opportunity District
    # (among the ten lowest of the FY2023 round), and tiers.opportunity_is_intensive puts it in "intensive"
    tier = hartford["tier"]
    assert (tier["fiscal_year"], tier["results_year"], tier["tier"]) == (2025, "2023-24", "intensive")
    assert tier["reasons"] == ["Opportunity District (one of the lowest-ranked Alliance Districts)"]
    assert "site visits and monitoring" in tier["supports"]
    assert tier["index"] == pytest.approx(58.138346)


def test_midpoint_distance_to_exit_of_hartford(hartford):
    # the 2023-24 cut is the highest selected index: Windsor Locks 69.634854; bar = cut + 4.4 margin
    # = 74.034854; Hartford 58.138346 → short by 74.034854 − 58.138346 = 15.896508 points, no qualifying year
    exit_ = hartford["distance_to_exit"]
    assert exit_["exit_bar"] == pytest.approx(74.034854, abs=1e-6)
    assert exit_["index_gap"] == pytest.approx(15.896508, abs=1e-6)
    assert (exit_["qualifying_years"], exit_["years_needed"], exit_["meets_criteria"]) == (0, 2, False)
    assert exit_["distance"] == "needs +15.9 index points and two years above the cut"
    assert exit_["exit_enabled"] is False   # exit.enabled: off under current law, shown as if on


def test_midpoint_of_a_non_member_has_no_tier(evaluation_warehouse):
    # Greenwich (0570011) is not designated in any round (2023-24 index well above every cut)
    doc = build_midpoint(evaluation_warehouse, "0570011", SchoolYear.parse("2023-24"))
    assert doc["tier"] is None and doc["distance_to_exit"] is None
    assert "not an Alliance District in FY2025" in doc["tier_note"]


@pytest.fixture(scope="module")
def lab(evaluation_warehouse):
    return recommendations(evaluation_warehouse, 2024)


def test_every_shipped_scenario_is_summarised(lab):
    shipped = sorted(p.name for p in SCENARIOS_DIR.glob("*.yaml"))
    assert [item["file"] for item in lab["items"]] == shipped
    assert len(shipped) >= 5
    for item in lab["items"]:
        assert item["title"] and item["rationale"]
        assert {"entering", "leaving", "students", "money"} <= set(item)


def test_threshold_summary_matches_running_the_scenario(lab, evaluation_warehouse):
    path = SCENARIOS_DIR / "threshold.yaml"
    direct = simulate(path, 2024, evaluation_warehouse)
    item = next(i for i in lab["items"] if i["file"] == "threshold.yaml")
    assert item == summarise(direct, path)
    assert [p["district_code"] for p in item["entering"]] == [p["district_code"] for p in direct["entering"]]
    assert item["students"] == direct["students"]["students"]
    assert [m["withheld_difference"] for m in item["money"]] == [
        m["withheld_difference"] for m in direct["money"]]
    assert item["students"]["difference"] == sum(p["students"] for p in item["entering"])


def test_threshold_entrants_are_the_eligible_non_members_below_the_bar(lab, evaluation_warehouse):
    # threshold.yaml: every eligible district (local or regional, >= 1,000 students) whose 2018-19 index (the
    # FY2023 round's) is below 76.1, minus those already members under current law
    import duckdb

    with duckdb.connect(str(evaluation_warehouse), read_only=True) as con:
        below = {r[0] for r in con.execute("""
            SELECT a.district_code FROM accountability a JOIN district_enrollment e
              ON e.district_code = a.district_code AND e.school_year = a.school_year
            WHERE a.school_year = '2018-19' AND a.org_type IN ('local', 'regional')
              AND e.enrollment >= 1000 AND a.index < 76.1""").fetchall()}
    item = next(i for i in lab["items"] if i["file"] == "threshold.yaml")
    baseline = simulate(SCENARIOS_DIR / "threshold.yaml", 2024, evaluation_warehouse)["baseline"]["members"]
    expected = below - {m["district_code"] for m in baseline}
    assert {p["district_code"] for p in item["entering"]} == expected
    assert item["scenario_members"] - item["baseline_members"] == len(expected) - len(item["leaving"])


def test_a_scenario_taking_effect_later_says_so(lab):
    item = next(i for i in lab["items"] if i["file"] == "targeted_grants.yaml")
    assert item["effective_fy"] == 2026
    assert "after FY2024" in item["timing_note"]
    assert item["money_in_year"]["added_difference"] == 0


def test_missing_scenario_folder_is_a_clear_error(evaluation_warehouse, tmp_path: Path):
    from alliance.errors import UnknownEntityError

    with pytest.raises(UnknownEntityError, match="scenario folder"):
        recommendations(evaluation_warehouse, 2024, tmp_path / "nowhere")

