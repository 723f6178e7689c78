"""Scenario files: validation errors name the file and the key; the size-rule invariant."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.errors import ParameterError
from alliance.parameters import load_parameters
from alliance.rules.designation import eligible_codes
from alliance.rules.designation_rounds import round_rules
from alliance.simulate.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
HEADER = ("title: A test scenario\nrationale: checks the loader refuses bad input\n"
          "references: [{title: test reference, href: docs/methodology.md}]\n")


def _write(tmp_path, body: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(p.stem for p in SCENARIOS.glob("*.yaml")))
def test_every_shipped_scenario_loads(name):
    scenario, params = load_scenario(SCENARIOS / f"{name}.yaml")
    assert scenario.references
    for key, value in scenario.overrides.items():
        assert params.get(key, scenario.effective_fy or 2026) == value


def test_unknown_parameter_names_file_and_key(tmp_path):
    path = _write(tmp_path, "overrides:\n  designation.min_enrolment: 0\n")
    with pytest.raises(ParameterError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert str(path) in message
    assert "overrides.designation.min_enrolment" in message
    assert "no parameter named" in message


def test_out_of_range_value_names_file_and_key(tmp_path):
    path = _write(tmp_path, "overrides:\n  selection.percentile: 140\n")
    with pytest.raises(ParameterError, match=r"bad\.yaml: key overrides\.selection\.percentile: .*"
                                             r"140 is above the maximum 100"):
        load_scenario(path)


def test_unknown_choice_and_wrong_kind_are_refused(tmp_path):
    with pytest.raises(ParameterError, match=r"overrides\.selection\.mode: .*'median' is not one of"):
        load_scenario(_write(tmp_path, "overrides:\n  selection.mode: median\n"))
    with pytest.raises(ParameterError, match=r"overrides\.selection\.index_threshold: expected a float"):
        load_scenario(_write(tmp_path, "overrides:\n  selection.index_threshold: high\n"))
    with pytest.raises(ParameterError, match=r"targeted_grants\.per_student_by_tier: expected the keys"):
        load_scenario(_write(tmp_path, "overrides:\n  targeted_grants.per_student_by_tier: {intensive: 5}\n"))


def test_missing_fields_and_unknown_keys_are_refused(tmp_path):
    path = tmp_path / "thin.yaml"
    path.write_text("title: Thin\noverrides: {exit.enabled: true}\ncolour: red\n", encoding="utf-8")
    with pytest.raises(ParameterError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert "key rationale: Field required" in message
    assert "key colour: Extra inputs are not permitted" in message


districts = st.lists(st.tuples(st.floats(30, 95, allow_nan=False), st.integers(0, 30_000),
                               st.sampled_from(["local", "regional", "charter"])), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(rows=districts, minimum=st.integers(1, 5000))
def test_without_the_size_rule_the_eligible_set_is_a_superset(rows, minimum):
    frame = pd.DataFrame({"district_code": [f"{i + 1:05d}11" for i in range(len(rows))],
                          "district_name": [f"D{i}" for i in range(len(rows))],
                          "org_type": [r[2] for r in rows], "index": [r[0] for r in rows],
                          "enrollment": [float(r[1]) for r in rows]})
    rules = replace(round_rules(load_parameters(), 2023), min_enrollment=minimum)
    # the no_size_rule scenario's override, read through the parameters as a scenario does
    without = round_rules(load_parameters().override({"designation.min_enrollment": 0}), 2023)
    assert eligible_codes(frame, rules) <= eligible_codes(frame, without)
