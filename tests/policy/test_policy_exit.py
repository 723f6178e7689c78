"""Exit criteria, distance to exit and phase-down (rules/exit.py)."""

from __future__ import annotations

import pandas as pd

from alliance.parameters import load_parameters
from alliance.rules.exit import ExitRules, distance_text, exit_status, phase_down

RULES = ExitRules(enabled=True, consecutive_years=2, index_margin_points=3.0, targets_met_share=0.75,
                  phase_down_share=0.2)
YEARS = ["2017-18", "2018-19", "2021-22", "2022-23"]


def _row(code, year, index, cut=65.0, selected=False, not_far=8, scored=10):
    return {"district_code": code, "school_year": year, "index": index, "cut": cut,
            "selected": selected, "not_far_below": not_far, "scored": scored}


def _status(rows, rules=RULES):
    frame = exit_status(pd.DataFrame(rows), YEARS, rules)
    return {r["district_code"]: r for r in frame.to_dict("records")}


def test_two_qualifying_years_across_the_covid_gap_exit():
    # bar = 65 + 3 = 68; 2018-19 (70) and 2021-22 (69) and 2022-23 (71) all qualify; the missing
    # 2019-20 and 2020-21 are not results years, so the run is 3 long
    rows = [_row("A", "2017-18", 60), _row("A", "2018-19", 70), _row("A", "2021-22", 69),
            _row("A", "2022-23", 71)]
    status = _status(rows)["A"]
    assert status["qualifying_years"] == 3
    assert status["exits"] is True
    assert status["distance"] == "meets the exit criteria"


def test_distance_names_the_index_points_and_the_years():
    # latest index 64.8, bar 68.0 -> needs +3.2 points; no current run -> two years
    status = _status([_row("B", "2021-22", 70), _row("B", "2022-23", 64.8)])["B"]
    assert status["index_gap"] == 68.0 - 64.8
    assert status["distance"] == "needs +3.2 index points and two years above the cut"
    assert status["exits"] is False


def test_one_qualifying_year_needs_one_more():
    status = _status([_row("C", "2021-22", 60), _row("C", "2022-23", 70)])["C"]
    assert status["qualifying_years"] == 1
    assert status["distance"] == "needs one more year above the cut"


def test_targets_short_and_selected_years_do_not_count():
    # 7 of 10 indicators not far below target: needs ceil(0.75 × 10) - 7 = 1 more
    rows = [_row("D", "2021-22", 70), _row("D", "2022-23", 70, not_far=7)]
    status = _status(rows)["D"]
    assert status["indicators_short"] == 1
    assert status["distance"] == ("needs 1 more indicator at half their points or better and "
                                  "two years above the cut")
    in_lowest = _status([_row("E", "2022-23", 70, selected=True)])["E"]
    assert in_lowest["qualifying_years"] == 0


def test_a_missing_row_breaks_the_run_and_disabled_rules_never_exit():
    rows = [_row("F", "2018-19", 70), _row("F", "2022-23", 70)]  # no 2021-22 row
    assert _status(rows)["F"]["qualifying_years"] == 1
    disabled = ExitRules(False, 2, 3.0, 0.75, 0.2)
    rows = [_row("G", "2021-22", 70), _row("G", "2022-23", 70)]
    assert _status(rows, disabled)["G"]["meets_criteria"] is True
    assert _status(rows, disabled)["G"]["exits"] is False


def test_distance_text_spells_years():
    assert distance_text(0.0, 0, 3, 0) == "needs three years above the cut"


def test_phase_down_frees_a_fifth_more_each_year_in_whole_dollars():
    # exit FY2026, 20 %/yr: FY2025 is before exit (not listed); FY2026 frees 20 % of 1,000,003
    # = 200,000.6 -> 200,001; FY2027 40 % of 1,000,000 = 400,000; FY2030 100 % (5 × 20 %)
    exits = pd.DataFrame({"district_code": ["A"], "exit_fy": [2026]})
    conditioned = pd.DataFrame({"district_code": ["A"] * 6 + ["Z"],
                                "fiscal_year": [2025, 2026, 2027, 2028, 2029, 2030, 2026],
                                "amount": [9, 1_000_003, 1_000_000, 1_000_000, 1_000_000, 500, 77]})
    result = phase_down(exits, conditioned, 0.2)
    assert result["fiscal_year"].tolist() == [2026, 2027, 2028, 2029, 2030]
    assert result["freed"].tolist() == [200_001, 400_000, 600_000, 800_000, 500]
    assert result["still_conditioned"].tolist() == [800_002, 600_000, 400_000, 200_000, 0]


def test_exit_is_off_under_current_law():
    assert ExitRules.from_parameters(load_parameters(), 2026).enabled is False
