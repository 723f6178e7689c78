"""Malformed rows and files thrown at every reader this package owns (hypothesis).

Each corruption is one the reader must refuse: the result is a DataError whose problems name the
file and, for a bad cell, its line and column - never another exception, never a partial table.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.data.readers import designation_list, edsight2017, enrollment
from alliance.errors import DataError

EDBOT_HEADER = (
    "District,District Code,fiscal_year,enrollment_total,n_black,n_hispanic,n_white,n_native_american,"
    "n_asian,n_two_or_more,n_pacific_islander,n_ell,n_free_lunch,n_reduced_lunch,n_sped,n_frpl,"
    "n_black_hispanic,pct_white,pct_black,pct_hispanic,pct_asian,pct_native_american,pct_two_or_more,"
    "pct_pacific_islander,pct_black_hispanic,pct_ell,pct_free_lunch,pct_frpl,pct_sped,pct_nonwhite"
)
EDBOT_ROWS = [
    "Amistad Academy District,2790013,2015,984.0,588.0,357.0,,,0.0,18.0,0.0,115.0,677.0,123.0,50.0,800.0,"
    "945.0,,59.75,36.28,0.0,,1.82,0.0,96.03,11.68,68.80,81.30,5.08,",
    "Andover School District,10011,2015,275.0,,15.0,250.0,0.0,,,0.0,,,,20.0,,18.0,90.90,,5.45,,0.0,,0.0,"
    "6.54,,,,7.27,9.09",
    "Ansonia School District,20011,2015,2415.0,491.0,734.0,1044.0,,51.0,73.0,,72.0,1344.0,265.0,394.0,"
    "1609.0,1225.0,43.22,20.33,30.39,2.11,,3.02,,50.72,2.98,55.65,66.62,16.31,56.77",
]
EDBOT_NUMBERS = list(enrollment.GROUP_COLUMNS)

EDSIGHT_RACE = [
    '"Student Counts by District and Race"', '"All Districts"', '"2015-16"', "",
    '"",,"Race",,,,,,,',
    '"District","District Code","American Indian or Alaska Native","Asian","Black or African American",'
    '"Hispanic/Latino of any race","Native Hawaiian or Other Pacific Islander","Two or More Races",'
    '"White","Total"',
    '"Amistad Academy District","=""2790013""","*",0,640,362,0,18,"*",1036',
    '"Andover School District","=""0010011""",0,"*","*",11,0,"*",229,250',
    '"Total","=""""",1491,26856,69659,125110,529,14804,303366,541815',
]
EDSIGHT_CHRONIC = [
    '"Chronic Absenteeism, 2014-15"', '", Race/Ethnicity"', "",
    '"District","District Code","Race/Ethnicity","% Chronically Absent"',
    '"Amistad Academy District","=""2790013""","Asian","*"',
    '"Amistad Academy District","=""2790013""","Black or African American",8.9',
    '"Ansonia School District","=""0020011""","White",12.5',
]
EDSIGHT_FILES = {
    "enrollment-district/enrollment__2015-16_race.csv": (EDSIGHT_RACE, 6, [2, 3, 4, 5, 6, 7, 8]),
    "chronic-absenteeism-district/chronic-absenteeism__2014-15_race.csv": (EDSIGHT_CHRONIC, 4, [3]),
}
DESIGNATION_HEADER = "code,town,alliance.status"

JUNK = st.from_regex(r"[A-Za-z#@!?~]{1,8}", fullmatch=True).filter(lambda s: s.lower() not in {"n/a"})
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\r\n".join(lines) + "\r\n")
    return path


def replace_cell(line: str, column: int, value: str) -> str:
    cells = line.split(",")
    cells[column] = value
    return ",".join(cells)


def assert_refused(read, folder: Path, path: Path, line: int | None = None, column: str | None = None):
    with pytest.raises(DataError) as caught:
        read(folder)
    problems = caught.value.problems
    assert problems and all(p.file and p.reason for p in problems)
    assert any(Path(p.file).name == path.name for p in problems)
    if line is not None:
        assert any(p.line == line and (column is None or p.column == column) for p in problems), problems


# --- edbot317 enrollment -----------------------------------------------------------------------

@SETTINGS
@given(row=st.integers(0, 2), column=st.sampled_from(EDBOT_NUMBERS), junk=JUNK)
def test_edbot_bad_number_names_line_and_column(row, column, junk):
    rows = list(EDBOT_ROWS)
    rows[row] = replace_cell(rows[row], EDBOT_HEADER.split(",").index(column), junk)
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), enrollment.FILE, [EDBOT_HEADER, *rows])
        assert_refused(enrollment.read, Path(tmp), path, line=row + 2, column=column)


@SETTINGS
@given(row=st.integers(0, 2), code=st.one_of(JUNK, st.from_regex(r"[0-9]{8,10}", fullmatch=True)))
def test_edbot_bad_district_code(row, code):
    rows = list(EDBOT_ROWS)
    rows[row] = replace_cell(rows[row], 1, code)
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), enrollment.FILE, [EDBOT_HEADER, *rows])
        assert_refused(enrollment.read, Path(tmp), path, line=row + 2, column="District Code")


@SETTINGS
@given(row=st.integers(0, 2), column=st.sampled_from(EDBOT_NUMBERS), value=st.integers(-10**6, -1))
def test_edbot_negative_count(row, column, value):
    rows = list(EDBOT_ROWS)
    rows[row] = replace_cell(rows[row], EDBOT_HEADER.split(",").index(column), str(value))
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), enrollment.FILE, [EDBOT_HEADER, *rows])
        assert_refused(enrollment.read, Path(tmp), path, line=row + 2, column="count")


@SETTINGS
@given(row=st.integers(0, 2), cut=st.integers(1, 20))
def test_edbot_short_row_and_duplicate_row(row, cut):
    rows = list(EDBOT_ROWS)
    rows[row] = ",".join(rows[row].split(",")[:-cut])
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), enrollment.FILE, [EDBOT_HEADER, *rows])
        assert_refused(enrollment.read, Path(tmp), path, line=row + 2)
        path = write(Path(tmp), enrollment.FILE, [EDBOT_HEADER, *EDBOT_ROWS, EDBOT_ROWS[row]])
        assert_refused(enrollment.read, Path(tmp), path, line=5)


# --- EdSight scrape ------------------------------------------------------------------------------

@SETTINGS
@given(name=st.sampled_from(sorted(EDSIGHT_FILES)), data=st.data(), junk=JUNK)
def test_edsight_bad_cell_names_file_line_and_column(name, data, junk):
    lines, header_at, numeric = EDSIGHT_FILES[name]
    lines = list(lines)
    row = data.draw(st.integers(header_at + 1, len(lines) - 1))
    column = data.draw(st.sampled_from(numeric))
    if column == 2 and "race" in name and "chronic" in name:
        return
    lines[row] = replace_cell(lines[row], column, junk)
    with tempfile.TemporaryDirectory() as tmp:
        for other, (text, _, _) in EDSIGHT_FILES.items():
            write(Path(tmp), other, text)
        path = write(Path(tmp), name, lines)
        assert_refused(edsight2017.read, Path(tmp), path, line=row + 1)


@SETTINGS
@given(label=JUNK)
def test_edsight_unknown_student_group(label):
    lines = list(EDSIGHT_CHRONIC)
    lines[5] = replace_cell(lines[5], 2, f'"{label}"')
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), "chronic-absenteeism-district/chronic-absenteeism__2014-15_race.csv", lines)
        assert_refused(edsight2017.read, Path(tmp), path, line=6, column="Race/Ethnicity")


@SETTINGS
@given(rate=st.floats(100.05, 10**6, allow_nan=False))
def test_edsight_rate_above_100_percent(rate):
    lines = list(EDSIGHT_CHRONIC)
    lines[6] = replace_cell(lines[6], 3, f"{rate:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), "chronic-absenteeism-district/chronic-absenteeism__2014-15_race.csv", lines)
        assert_refused(edsight2017.read, Path(tmp), path, line=7)


# --- designation list --------------------------------------------------------------------------

@SETTINGS
@given(row=st.integers(0, 168), field=st.sampled_from(["code", "status"]), junk=JUNK)
def test_designation_list_bad_code_or_status(data_root, row, field, junk):
    source = (data_root / "raw" / "alspur-ecstargets" / designation_list.FILE).read_text().splitlines()
    rows = source[1:]
    index = {"code": 0, "status": 2}[field]
    rows[row] = replace_cell(rows[row], index, junk)
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), designation_list.FILE, [DESIGNATION_HEADER, *rows])
        assert_refused(designation_list.read, Path(tmp), path, line=row + 2)


# --- whole files: garbage, truncation, empty ---------------------------------------------------

READERS = {
    "edbot": (enrollment.read, enrollment.FILE),
    "edsight": (edsight2017.read, "enrollment-district/enrollment__2015-16_race.csv"),
    "designation": (designation_list.read, designation_list.FILE),
}


@SETTINGS
@given(reader=st.sampled_from(sorted(READERS)), content=st.binary(max_size=300))
def test_any_bytes_give_a_data_error_or_nothing_crashes(reader, content):
    read, name = READERS[reader]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        assert_refused(read, Path(tmp), path)


@SETTINGS
@given(cut=st.integers(1, 400))
def test_truncated_edbot_file(cut):
    text = "\n".join([EDBOT_HEADER, *EDBOT_ROWS]) + "\n"
    truncated = text[: len(text) - cut]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / enrollment.FILE
        path.write_text(truncated)
        try:
            tables = enrollment.read(Path(tmp))
        except DataError as error:
            assert all(Path(p.file).name == enrollment.FILE for p in error.problems)
        else:
            # cut exactly at a row boundary: the rows left are whole and every one was read
            whole_rows = truncated.rstrip("\n").count("\n")
            assert len(tables["enrollment"]) == whole_rows * len(enrollment.GROUP_COLUMNS)


@SETTINGS
@given(row=st.integers(0, 2), year=st.one_of(st.integers(1000, 1989), st.integers(2040, 9999)))
def test_edbot_fiscal_year_outside_the_known_years(row, year):
    # FY2040 and later are results from the future; before FY1990 no export exists.
    rows = list(EDBOT_ROWS)
    rows[row] = replace_cell(rows[row], 2, str(year))
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), enrollment.FILE, [EDBOT_HEADER, *rows])
        assert_refused(enrollment.read, Path(tmp), path, line=row + 2, column="fiscal_year")
