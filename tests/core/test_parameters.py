import textwrap

import pytest

from alliance.errors import ParameterError
from alliance.parameters import load_parameters


def write(tmp_path, relative, text):
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


GOOD = """
    description: Number of lowest-ranked districts designated.
    unit: districts
    valid: {min: 1, max: 169}
    values:
      2012-07-01: 30
      2022-07-01: 33
    reference:
      - title: C.G.S. § 10-262u
        href: https://www.cga.ct.gov/current/pub/chap_172.htm
    confidence: confirmed
"""


def test_value_in_force_is_the_latest_dated_on_or_before_the_fiscal_year(tmp_path):
    write(tmp_path, "designation/lowest_count.yaml", GOOD)
    params = load_parameters(tmp_path)
    assert params.get("designation.lowest_count", 2013) == 30
    assert params.get("designation.lowest_count", 2022) == 30  # FY2022 starts 2021-07-01
    assert params.get("designation.lowest_count", 2023) == 33


def test_a_year_before_the_first_value_is_an_error_naming_the_parameter(tmp_path):
    write(tmp_path, "designation/lowest_count.yaml", GOOD)
    with pytest.raises(ParameterError, match="designation.lowest_count has no value for FY2012"):
        load_parameters(tmp_path).get("designation.lowest_count", 2012)


def test_out_of_range_value_names_file_and_date(tmp_path):
    write(tmp_path, "designation/lowest_count.yaml", GOOD.replace("33", "400"))
    with pytest.raises(ParameterError, match=r"lowest_count.yaml.*2022-07-01.*above the maximum"):
        load_parameters(tmp_path)


def test_missing_reference_names_the_key(tmp_path):
    text = GOOD.split("    reference:")[0] + "    confidence: confirmed\n"
    write(tmp_path, "x/y.yaml", text)
    with pytest.raises(ParameterError, match=r"y.yaml: key reference"):
        load_parameters(tmp_path)


def test_values_must_take_effect_on_july_first(tmp_path):
    write(tmp_path, "x/y.yaml", GOOD.replace("2012-07-01", "2012-01-01"))
    with pytest.raises(ParameterError, match="July 1"):
        load_parameters(tmp_path)


def test_override_replaces_the_value_and_checks_its_range(tmp_path):
    write(tmp_path, "designation/lowest_count.yaml", GOOD)
    params = load_parameters(tmp_path)
    assert params.override({"designation.lowest_count": 40}).get("designation.lowest_count", 2023) == 40
    later = params.override({"designation.lowest_count": 40}, from_fiscal_year=2028)
    assert later.get("designation.lowest_count", 2023) == 33
    assert later.get("designation.lowest_count", 2028) == 40
    with pytest.raises(ParameterError, match="below the minimum"):
        params.override({"designation.lowest_count": 0})


def test_every_shipped_parameter_file_loads_and_cites_a_source():
    params = load_parameters()
    assert params.names(), "the package ships parameters"
    for name in params.names():
        assert params.parameter(name).reference


def test_an_impossible_date_names_the_file_and_key(tmp_path):
    write(tmp_path, "x/y.yaml", GOOD.replace("2012-07-01", "2012-13-01"))
    with pytest.raises(ParameterError, match=r"y.yaml: key values: not a date"):
        load_parameters(tmp_path)


def test_a_structured_value_out_of_range_names_the_entry(tmp_path):
    structured = GOOD.replace("30\n", "{a: 5, b: [1, 400]}\n", 1)
    write(tmp_path, "x/y.yaml", structured)
    with pytest.raises(ParameterError, match=r"y.yaml: x.y: key values.2012-07-01.b\[1\]: 400 is above"):
        load_parameters(tmp_path)


def run_cli(*args):
    from typer.testing import CliRunner

    from alliance.cli import app

    return CliRunner().invoke(app, list(args))


def test_params_show_prints_a_structured_value_one_entry_per_row():
    # spec/ngas.md: high-school-only entities get 150 possible points on each ELA/math PI cell,
    # entities with growth grades 50; the 2024-25 rows carry 150/150/100 (science 100).
    result = run_cli("params", "show", "ngas.achievement_maxima", "--fy", "2025", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = dict(line.split(",") for line in result.output.splitlines()[1:])
    assert result.output.splitlines()[0] == "entry,FY2025"
    assert (rows["high_school.pi_ela_all"], rows["high_school.pi_sci_all"], rows["growth.pi_math_hn"]) == \
        ("150", "100", "50")


def test_params_show_refuses_a_bad_fiscal_year_with_a_clear_message():
    result = run_cli("params", "show", "designation.lowest_count", "--fy", "next year")
    assert result.exit_code != 0
    assert "not a fiscal year" in str(result.exception or result.output)
