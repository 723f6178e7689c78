"""Reading official CSV exports: title lines, quoted codes, missing and suppressed cells.

Every row keeps the line number it came from, so a problem can be reported as
``file, line, column: reason``. Converters collect problems instead of raising at the first one,
so a refused file lists everything wrong with it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from alliance.codes import normalize_district_code
from alliance.errors import DataError, Problem
from alliance.years import fiscal_year_of_date

LINE = "_line"
_district_code = lru_cache(maxsize=8192)(normalize_district_code)
FILE = "_file"


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError([Problem(str(path), None, None, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise DataError([Problem(str(path), None, None, f"not UTF-8 text ({exc.reason})")]) from None


@dataclass(frozen=True)
class Records:
    """A parsed CSV as plain lists: the header, each row's cells (strings) and its file line."""

    path: Path
    header: list[str]
    rows: list[list[str]]
    lines: list[int]

    def column(self, name: str) -> list[str]:
        position = self.header.index(name)
        return [row[position] for row in self.rows]


def read_records(
    path: Path,
    header_starts: Callable[[list[str]], bool] | None = None,
    required: Iterable[str] = (),
) -> Records:
    """Parse a CSV whose header may follow title lines; every value stays a string.

    ``header_starts`` recognises the header row (default: the first row). Rows with the wrong
    number of fields are refused with their line numbers; blank lines after the header are
    ignored. Each row keeps its 1-based file line.
    """
    text = read_text(path)
    parsed = _rows_on_own_lines(text)
    header, records, lines, problems = (_split_rows(path, parsed, header_starts) if parsed is not None
                                        else _read_row_by_row(path, text, header_starts))
    if header is None:
        raise DataError([Problem(str(path), None, None, "no header row found")])
    missing = [name for name in required if name not in header]
    if missing:
        problems.append(Problem(str(path), None, None, f"missing column(s): {', '.join(missing)}"))
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        problems.append(Problem(str(path), None, None, f"duplicate column(s): {', '.join(dupes)}"))
    if problems:
        raise DataError(problems)
    return Records(path, header, records, lines)


def _rows_on_own_lines(text: str) -> list[list[str]] | None:
    """Every row at once, when each row is one line of the file (row i is line i + 1); None when
    the file is malformed or a quoted cell spans lines, so line numbers need the slow path."""
    if text.count("\r") != text.count("\r\n"):
        return None
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return None
    physical = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
    return rows if len(rows) == physical else None


def _split_rows(path: Path, rows: list[list[str]], header_starts):
    """Header, kept rows, their lines and problems from rows that are each one file line."""
    start = next((i for i, row in enumerate(rows) if row and (header_starts is None or header_starts(row))),
                 None)
    if start is None:
        return None, [], [], []
    header = [cell.strip() for cell in rows[start]]
    width = len(header)
    records, lines, problems = [], [], []
    for line, row in enumerate(rows[start + 1:], start=start + 2):
        if len(row) == width and row[0].strip():  # the usual row: full width, first cell given
            records.append(row)
            lines.append(line)
            continue
        if not "".join(row).strip():
            continue
        if len(row) != width:
            problems.append(Problem(str(path), line, None, f"{len(row)} fields where the header has {width}"))
            continue
        records.append(row)
        lines.append(line)
    return header, records, lines, problems


def _read_row_by_row(path: Path, text: str, header_starts):
    """The careful path: the csv reader's own line count for every row (quoted newlines, errors)."""
    reader = csv.reader(io.StringIO(text))
    problems: list[Problem] = []
    header: list[str] | None = None
    records: list[list[str]] = []
    lines: list[int] = []
    try:
        for row in reader:
            line = reader.line_num
            if header is None:
                if row and (header_starts is None or header_starts(row)):
                    header = [cell.strip() for cell in row]
                continue
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append(Problem(str(path), line, None,
                                        f"{len(row)} fields where the header has {len(header)}"))
                continue
            records.append(row)
            lines.append(line)
    except csv.Error as exc:
        problems.append(Problem(str(path), reader.line_num, None, f"malformed CSV: {exc}"))
    return header, records, lines, problems


def read_rows(
    path: Path,
    header_starts: Callable[[list[str]], bool] | None = None,
    required: Iterable[str] = (),
) -> pd.DataFrame:
    """``read_records`` as a frame of strings; the file line of each row is in ``_line``."""
    records = read_records(path, header_starts, required)
    # One block of cells, then one frame from its columns: several times faster than a frame
    # from row lists (every row has the header's width, so the block is rectangular).
    block = np.empty((len(records.rows), len(records.header)), dtype=object)
    block[:] = records.rows if records.rows else block
    frame = pd.DataFrame({name: block[:, position] for position, name in enumerate(records.header)},
                         copy=False)
    frame[LINE] = np.array(records.lines, dtype="int64")
    return frame


def parse_numbers(
    cells: Iterable[str],
    missing: Iterable[str] = ("", "."),
    suppressed: Iterable[str] = ("*",),
    thousands: bool = False,
) -> tuple[list[float], list[bool], dict[int, str]]:
    """Values (NaN when missing or suppressed), suppressed flags, and a reason by position for
    every cell that is not a finite number."""
    values, flags, problems = number_arrays(cells, missing, suppressed, thousands)
    return values.tolist(), flags.tolist(), problems


def number_arrays(
    cells: Iterable[str],
    missing: Iterable[str] = ("", "."),
    suppressed: Iterable[str] = ("*",),
    thousands: bool = False,
) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """``parse_numbers`` as float and bool arrays.

    Whole columns at once: the markers are matched exactly, every other cell goes through
    numpy's float conversion (Python's own ``float``). A column with anything else in it (a
    marker with spaces around it, a word, an infinity) is redone cell by cell, which is what
    names each bad cell.
    """
    raw = np.asarray(cells if isinstance(cells, np.ndarray | list) else list(cells), dtype=object)
    text = np.array([cell.replace(",", "") for cell in raw.tolist()], dtype=object) if thousands else raw
    suppressed, missing = list(suppressed), list(missing)
    flags = _isin(text, suppressed)
    given = ~(flags | _isin(text, missing))
    values = np.full(len(text), np.nan)
    try:
        values[given] = text[given].astype(np.float64)
    except (ValueError, TypeError, AttributeError):
        return _numbers_cell_by_cell(raw.tolist(), missing, suppressed, thousands)
    if not np.isfinite(values[given]).all():
        return _numbers_cell_by_cell(raw.tolist(), missing, suppressed, thousands)
    return values, flags, {}


def _isin(cells: np.ndarray, markers: list[str]) -> np.ndarray:
    # numpy's element-wise ==, one marker at a time: the markers are few, and pandas' isin costs
    # more per call than these short columns take.
    found = np.zeros(cells.shape, dtype=bool)
    for marker in markers:
        found |= cells == marker
    return found


def _numbers_cell_by_cell(cells: list, missing, suppressed, thousands: bool):
    # A cache of the texts seen: a bad column usually repeats its few distinct texts.
    missing, suppressed = frozenset(missing), frozenset(suppressed)
    seen: dict[str, tuple[float, bool, str | None]] = {}
    values, flags, problems = [], [], {}
    for position, raw in enumerate(cells):
        cell = seen.get(raw)
        if cell is None:
            cell = seen[raw] = _cell(raw, missing, suppressed, thousands)
        if cell[2] is not None:
            problems[position] = cell[2]
        values.append(cell[0])
        flags.append(cell[1])
    return np.array(values, dtype="float64"), np.array(flags, dtype="bool"), problems


def known_fiscal_years() -> pa.Check:
    """Fiscal years an export can hold: none before FY1990 (older than any Connecticut export read
    here) and none after next fiscal year (no results from the future: a mistyped 2052 is refused)."""
    return pa.Check.in_range(1990, fiscal_year_of_date(dt.date.today()) + 1)


def district_code(raw: str) -> str | None:
    """The 7-digit code, or None when the cell is not a district code (cached: codes repeat)."""
    try:
        return _district_code(raw)
    except ValueError:
        return None


class Converter:
    """Turns string columns into typed ones, collecting a Problem for each bad cell."""

    def __init__(self, path: Path, frame: pd.DataFrame):
        self.path = path
        self.frame = frame
        self.problems: list[Problem] = []

    def _report(self, index, column: str, reason: str) -> None:
        line = int(self.frame.at[index, LINE]) if LINE in self.frame else None
        self.problems.append(Problem(str(self.path), line, column, reason))

    def number(
        self,
        column: str,
        missing: Iterable[str] = ("", "."),
        suppressed: Iterable[str] = ("*",),
        thousands: bool = False,
    ) -> tuple[pd.Series, pd.Series]:
        """A float column and a boolean 'suppressed' column; missing cells are NaN, not zero."""
        values, flags, problems = number_arrays(self._cells(column), missing, suppressed, thousands)
        for position, reason in problems.items():
            self._report(self.frame.index[position], column, reason)
        return (pd.Series(values, index=self.frame.index, copy=False),
                pd.Series(flags, index=self.frame.index, copy=False))

    def value(self, column: str, **options) -> pd.Series:
        return self.number(column, **options)[0]

    def values(self, columns: list[str], **options) -> pd.DataFrame:
        """``value`` for many columns in one pass over the block of their cells."""
        block = self.frame[columns].to_numpy(dtype=object)
        values, _, problems = number_arrays(block.ravel(order="F"), **options)
        rows = len(self.frame)
        for position, reason in problems.items():
            self._report(self.frame.index[position % rows], columns[position // rows], reason)
        return pd.DataFrame(values.reshape(block.shape, order="F"), index=self.frame.index, columns=columns)

    def _cells(self, column: str) -> np.ndarray:
        return self.frame[column].to_numpy(dtype=object)

    def district_code(self, column: str) -> pd.Series:
        cells = pd.Series(self._cells(column), index=self.frame.index, dtype=object, copy=False)
        distinct = cells.unique()
        codes = cells.map(dict(zip(distinct, map(district_code, distinct), strict=True)))
        for index in codes.index[codes.isna()]:
            self._report(index, column, f"not a district code: {cells[index]!r}")
        return codes.astype(object).where(codes.notna(), None)

    def integer(self, column: str) -> pd.Series:
        cells = self._cells(column)
        try:
            numbers = cells.astype(np.float64)  # Python's float: spaces around the number are fine
            whole = np.isfinite(numbers).all() and (numbers == np.trunc(numbers)).all()
        except (ValueError, TypeError):
            whole = False
        if whole and (np.abs(numbers) < 2**53).all():
            return pd.Series(numbers.astype("int64"), index=self.frame.index).astype("Int64")
        return self._integer_cell_by_cell(column)

    def _integer_cell_by_cell(self, column: str) -> pd.Series:
        values = []
        for index, raw in self.frame[column].items():
            text = str(raw).strip()
            try:
                number = float(text)
                if number != int(number):
                    raise ValueError
                values.append(int(number))
            except (ValueError, OverflowError):
                self._report(index, column, f"not a whole number: {raw!r}")
                values.append(None)
        return pd.Series(values, index=self.frame.index, dtype="Int64")

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError(self.problems)


def _cell(raw, missing: frozenset, suppressed: frozenset, thousands: bool) -> tuple[float, bool, str | None]:
    """(value, suppressed, problem) for one cell."""
    text = str(raw).strip()
    if thousands:
        text = text.replace(",", "")
    if text in suppressed:
        return math.nan, True, None
    if text in missing:
        return math.nan, False, None
    try:
        value = float(text)
    except ValueError:
        return math.nan, False, f"not a number: {raw!r}"
    if not math.isfinite(value):
        return math.nan, False, f"not a finite number: {raw!r}"
    return value, False, None


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, path: Path) -> pd.DataFrame:
    """Validate with pandera and report every failure as file, line, column, reason."""
    checked, relaxed = _categorical_strings(frame, schema)
    try:
        validated = relaxed.validate(checked, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise DataError(_problems_from_pandera(exc, frame, path)) from None
    return frame if checked is not frame else validated


def _categorical_strings(frame: pd.DataFrame, schema: pa.DataFrameSchema):
    """Check string columns as categories: pandera's string checks then run once per distinct
    value instead of once per row (10x faster on the long tables; small frames gain less than
    the relaxed schema costs to make, so they are checked as given). Their dtype is already
    known to be string (or categories that are all strings, as a reader may hand them over), so
    the relaxed schema drops only that check. Schemas that coerce are validated as given, since
    their result is the coerced frame."""
    if schema.coerce or any(column.coerce for column in schema.columns.values()):
        return frame, schema
    string_columns = [name for name, column in schema.columns.items()
                      if name in frame.columns and str(column.dtype).startswith("str")]
    given = [name for name in string_columns if _is_categorical_text(frame[name].dtype)]
    if len(frame) < _CATEGORICAL_FROM_ROWS:
        return (frame, _relaxed(schema, tuple(given))) if given else (frame, schema)
    categories = {name: category for name in string_columns
                  if isinstance(frame[name].dtype, pd.StringDtype) or frame[name].dtype == object
                  if (category := _as_category(frame[name])) is not None}
    # An object column counts as text only when every distinct value is a string.
    strings = [name for name, column in categories.items()
               if isinstance(frame[name].dtype, pd.StringDtype)
               or all(isinstance(value, str) for value in column.cat.categories)]
    if not strings and not given:
        return frame, schema
    checked = frame.assign(**{name: categories[name] for name in strings}) if strings else frame
    return checked, _relaxed(schema, tuple(given + strings))


def _as_category(column: pd.Series) -> pd.Series | None:
    try:
        return column.astype("category")
    except TypeError:  # unhashable cells: leave the column to pandera's own checks
        return None


def _is_categorical_text(dtype) -> bool:
    """Categories that are all strings: a reader's text column stored compactly."""
    return isinstance(dtype, pd.CategoricalDtype) and isinstance(dtype.categories.dtype, pd.StringDtype)


_CATEGORICAL_FROM_ROWS = 5_000
_RELAXED: dict[tuple[int, tuple[str, ...]], tuple[pa.DataFrameSchema, pa.DataFrameSchema]] = {}


def _relaxed(schema: pa.DataFrameSchema, strings: tuple[str, ...]) -> pa.DataFrameSchema:
    """The schema without dtype checks on ``strings``, made once per schema (it is a deep copy)."""
    key = (id(schema), strings)
    cached = _RELAXED.get(key)
    if cached is None or cached[0] is not schema:
        cached = _RELAXED[key] = (schema, schema.update_columns({name: {"dtype": None} for name in strings}))
    return cached[1]


def _problems_from_pandera(exc, frame: pd.DataFrame, path: Path) -> list[Problem]:
    problems = []
    for case in exc.failure_cases.itertuples(index=False):
        index = getattr(case, "index", None)
        line = None
        known_row = index is not None and not (isinstance(index, float) and math.isnan(index))
        if known_row and LINE in frame.columns and index in frame.index:
            line = int(frame.at[index, LINE])
        column = getattr(case, "column", None)
        check = getattr(case, "check", "")
        value = getattr(case, "failure_case", None)
        where = str(path)
        if known_row and FILE in frame.columns and index in frame.index:
            where = str(frame.at[index, FILE])
        problems.append(Problem(where, line, column if isinstance(column, str) else None,
                                f"failed {check} (value {value!r})"))
    return problems
