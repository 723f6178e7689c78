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
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from alliance.codes import normalize_district_code
from alliance.errors import DataError, Problem

LINE = "_line"


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError([Problem(str(path), None, None, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise DataError([Problem(str(path), None, None, f"not UTF-8 text ({exc.reason})")]) from None


def read_rows(
    path: Path,
    header_starts: Callable[[list[str]], bool] | None = None,
    required: Iterable[str] = (),
) -> pd.DataFrame:
    """Parse a CSV whose header may follow title lines; every value stays a string.

    ``header_starts`` recognises the header row (default: the first row). Rows with the wrong
    number of fields are refused with their line numbers; blank lines after the header are
    ignored. The frame carries the 1-based file line of each row in the ``_line`` column.
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
    frame = pd.DataFrame(records, columns=header, dtype=object)
    frame[LINE] = lines
    return frame


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
        missing, suppressed = set(missing), set(suppressed)
        values, flags = [], []
        for index, raw in self.frame[column].items():
            text = str(raw).strip()
            if thousands:
                text = text.replace(",", "")
            if text in missing:
                values.append(math.nan)
                flags.append(False)
            elif text in suppressed:
                values.append(math.nan)
                flags.append(True)
            else:
                try:
                    value = float(text)
                except ValueError:
                    self._report(index, column, f"not a number: {raw!r}")
                    value = math.nan
                if math.isinf(value):
                    self._report(index, column, f"not a finite number: {raw!r}")
                    value = math.nan
                values.append(value)
                flags.append(False)
        return (pd.Series(values, index=self.frame.index, dtype="float64"),
                pd.Series(flags, index=self.frame.index, dtype="bool"))

    def value(self, column: str, **options) -> pd.Series:
        return self.number(column, **options)[0]

    def district_code(self, column: str) -> pd.Series:
        codes = []
        for index, raw in self.frame[column].items():
            try:
                codes.append(normalize_district_code(raw))
            except ValueError as exc:
                self._report(index, column, str(exc))
                codes.append(None)
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
            except ValueError:
                self._report(index, column, f"not a whole number: {raw!r}")
                values.append(None)
        return pd.Series(values, index=self.frame.index, dtype="Int64")

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError(self.problems)


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, path: Path) -> pd.DataFrame:
    """Validate with pandera and report every failure as file, line, column, reason."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise DataError(_problems_from_pandera(exc, frame, path)) from None


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
        problems.append(Problem(str(path), line, column if isinstance(column, str) else None,
                                f"failed {check} (value {value!r})"))
    return problems
