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
