"""The whole-column fast paths of data.tabular give what the cell-by-cell paths give.

Numbers are parsed a column at once and files split into rows at once; anything the fast path
cannot vouch for (a word in a number column, a quoted line break) goes the careful way. These
tests hold the two ways to the same answers and the same problems.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.data import tabular
from alliance.errors import DataError

CELLS = st.one_of(
    st.sampled_from(["", ".", "*", " . ", " ", "N/A", "nan", "inf", "-inf", "1,450.5", "1_000", " 12 ", "x"]),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(-10**6, 10**6).map(str),
    st.text(max_size=4),
)


def _reference(cells, missing, suppressed, thousands):
    return tabular._numbers_cell_by_cell(list(cells), missing, suppressed, thousands)


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(CELLS, max_size=12), thousands=st.booleans())
def test_whole_column_numbers_equal_cell_by_cell(cells, thousands):
    values, flags, problems = tabular.number_arrays(cells, ("", "."), ("*",), thousands)
    expected_values, expected_flags, expected_problems = _reference(cells, ("", "."), ("*",), thousands)
    np.testing.assert_array_equal(values, expected_values)      # NaN equals NaN here
    assert flags.tolist() == expected_flags.tolist()
    assert problems == expected_problems


def test_suppressed_missing_and_bad_cells_stay_distinct():
    values, flags, problems = tabular.parse_numbers(["12", "*", ".", "", "1,450", "n/a"], thousands=True)
    assert values[0] == 12.0 and values[4] == 1450.0
    assert [math.isnan(v) for v in values] == [False, True, True, True, False, True]
    assert flags == [False, True, False, False, False, False]
    assert problems == {5: "not a number: 'n/a'"}


def _frame(cells: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"n": cells, tabular.LINE: range(2, 2 + len(cells))})


def test_integer_column_fast_and_careful_paths():
    convert = tabular.Converter(Path("f.csv"), _frame(["2015", " 7 ", "1e3"]))
    assert convert.integer("n").tolist() == [2015, 7, 1000] and not convert.problems
    convert = tabular.Converter(Path("f.csv"), _frame(["2015", "7.5", "x"]))
    assert convert.integer("n").isna().tolist() == [False, True, True]
    assert [str(p) for p in convert.problems] == ["f.csv, line 3, column 'n': not a whole number: '7.5'",
                                                  "f.csv, line 4, column 'n': not a whole number: 'x'"]


def test_many_columns_at_once_report_column_and_line():
    frame = pd.DataFrame({"a": ["1", "bad"], "b": ["*", "2"], tabular.LINE: [5, 6]})
    convert = tabular.Converter(Path("f.csv"), frame)
    values = convert.values(["a", "b"])
    assert values["a"].iloc[0] == 1.0 and values["b"].iloc[1] == 2.0
    assert [str(p) for p in convert.problems] == ["f.csv, line 6, column 'a': not a number: 'bad'"]


def test_lines_are_file_lines_on_both_paths(tmp_path):
    # Title on line 1, blank line 2, header line 3, rows on lines 4 and 6 (line 5 blank).
    plain = tmp_path / "plain.csv"
    plain.write_text('"Title"\n\nName,Value\nA,1\n\nB,2\n', encoding="utf-8")
    records = tabular.read_records(plain, header_starts=lambda row: row[0] == "Name")
    assert records.rows == [["A", "1"], ["B", "2"]] and records.lines == [4, 6]
    # A quoted line break makes row B span lines 3-4 (the careful path: the csv reader's count,
    # which names the line the row ends on), so C is on line 5.
    quoted = tmp_path / "quoted.csv"
    quoted.write_text('Name,Value\nA,1\n"B\nb",2\nC,3\n', encoding="utf-8")
    records = tabular.read_records(quoted)
    assert records.rows == [["A", "1"], ["B\nb", "2"], ["C", "3"]] and records.lines == [2, 4, 5]


def test_short_row_is_refused_with_its_line(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("a,b,c\r\n1,2,3\r\n4,5\r\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        tabular.read_records(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}, line 3: 2 fields where the header has 3"]
