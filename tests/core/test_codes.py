import pytest

from alliance.codes import (
    local_district_code,
    normalize_district_code,
    org_type_of,
    town_code_of_local_district,
)


@pytest.mark.parametrize("raw", ["0640011", "640011", '="0640011"', "640011.0", 640011])
def test_every_spelling_of_hartford_becomes_the_seven_digit_code(raw):
    assert normalize_district_code(raw) == "0640011"


@pytest.mark.parametrize("raw", ["", "64OO11", "12345678", "-640011"])
def test_non_codes_are_refused_naming_the_value(raw):
    with pytest.raises(ValueError, match="not a district code"):
        normalize_district_code(raw)


def test_organisation_type_from_the_suffix():
    assert org_type_of("0640011") == "local"
    assert org_type_of("2010012") == "regional"
    assert org_type_of("9000016") == "technical"
    assert org_type_of("9010022") == "endowed_academy"


def test_hartford_is_town_64():
    assert town_code_of_local_district("0640011") == 64
    assert town_code_of_local_district("2010012") is None
    assert local_district_code(64) == "0640011"
    with pytest.raises(ValueError):
        local_district_code(170)
