"""Reading official CSV exports: title lines, quoted codes, missing and suppressed cells.

Every row keeps the line number it came from, so a problem can be reported as
``file, line, column: reason``. Converters collect problems instead of raising at the first one,
so a refused file lists everything wrong with it.
"""

from __future__ import annotations

import csv
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


def read_rows(
    path: Path,
    header_starts: Callable[[list[str]], bool] | None = None,
    required: Iterable[str] = (),
) -> pd.DataFrame:
    """``read_records`` as a frame of strings; the file line of each row is in ``_line``."""
    records = read_records(path, header_starts, required)
    columns = zip(*records.rows, strict=True) if records.rows else ([] for _ in records.header)
    # Columns first, then one frame: several times faster than a frame from row lists.
    data = {name: np.array(values, dtype=object)
            for name, values in zip(records.header, columns, strict=True)}
    frame = pd.DataFrame(data, copy=False)
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
    # A plain loop with a cache of the texts seen: the official files are many and small,
    # where pandas' per-call overhead costs more than the cells themselves.
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
    return values, flags, problems


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
        values, flags, problems = parse_numbers(self.frame[column].tolist(), missing, suppressed, thousands)
        for position, reason in problems.items():
            self._report(self.frame.index[position], column, reason)
        return (pd.Series(np.array(values, dtype="float64"), index=self.frame.index, copy=False),
                pd.Series(np.array(flags, dtype="bool"), index=self.frame.index, copy=False))

    def value(self, column: str, **options) -> pd.Series:
        return self.number(column, **options)[0]

    def district_code(self, column: str) -> pd.Series:
        codes = [district_code(raw) for raw in self.frame[column].tolist()]
        for position, (raw, code) in enumerate(zip(self.frame[column].tolist(), codes, strict=True)):
            if code is None:
                self._report(self.frame.index[position], column, f"not a district code: {raw!r}")
        return pd.Series(codes, index=self.frame.index, dtype=object)

    def integer(self, column: str) -> pd.Series:
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
    known to be string, so the relaxed schema drops only that check. Schemas that coerce are
    validated as given, since their result is the coerced frame."""
    small = len(frame) < _CATEGORICAL_FROM_ROWS
    if small or schema.coerce or any(column.coerce for column in schema.columns.values()):
        return frame, schema
    strings = [name for name, column in schema.columns.items()
               if name in frame.columns and str(column.dtype).startswith("str")
               and isinstance(frame[name].dtype, pd.StringDtype)]
    if not strings:
        return frame, schema
    checked = frame.astype({name: "category" for name in strings})
    return checked, _relaxed(schema, tuple(strings))


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
