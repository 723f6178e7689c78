"""The CT Data Collaborative's 2017 scrape of EdSight district reports (2006-07 .. 2016-17).

Every file is an EdSight report: title lines, sometimes a group-header row
(``"",,"Race",,,``), the header, then one row per district with codes written ``="0640011"`` and
suppressed cells ``*`` (``N/A`` where a value does not apply). The file name says what it holds:
``<report>__<school year>_<student-group dimension>[_grad|_nongrad][_ct].csv``; ``_ct`` files
are the state total, kept as state rows (district_code ``0000000``), as is the ``Total`` row at the
foot of each enrollment file.

Tables (long: one row per district × school year × student group [× measure]):
``enrollment`` (counts; the per-file ``Total`` column repeats the all-students count and is not
kept), ``chronic_absenteeism``, ``graduation_rate`` and ``college_entrance`` (measure, value;
rates as fractions 0-1, published as percents). Files outside these (per-pupil spending, revenue,
Smarter Balanced, state cross-tabulations and trends) are listed in ``source_files_not_imported``
with the reason; nothing is skipped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from alliance.codes import STATE_CODE
from alliance.data.readers.enrollment import COLUMNS as ENROLLMENT_COLUMNS
from alliance.data.readers.enrollment import ENROLLMENT_SCHEMA, STUDENT_GROUPS
from alliance.data.source import NOT_IMPORTED, SOURCE_ID, Source
from alliance.data.tabular import (
    FILE,
    LINE,
    district_code,
    known_fiscal_years,
    number_arrays,
    read_records,
    validate,
)
from alliance.errors import DataError, Problem
from alliance.years import SchoolYear

SOURCE_ID_EDSIGHT = "ctdata-edsight-2017"
STATE_NAME = "State of Connecticut"
MISSING = ("", ".", "N/A")

_FILE_NAME = re.compile(
    r"^(?P<report>enrollment|chronic-absenteeism|four-year-graduation-rates|college-entrance-and-persistence)"
    r"__(?P<year>\d{4}-\d{2})_(?P<dimension>[a-z-]*)(?:_(?P<part>grad|nongrad))?(?P<state>_ct)?\.csv$"
)

DIMENSIONS = {"", "all-students", "ell", "gender", "grade", "lunch", "race", "special-education",
              "sped", "high-needs"}

NOT_IMPORTED_REASONS = [
    ("per-pupil-expenditures-district/", "per-pupil spending: rows carry district names only (no codes); "
     "outside the warehouse contract"),
    ("revenue-sources-district/", "revenue shares: names only (no codes), and a name containing a comma "
     "is split across two fields ('New Beginnings Inc., Family Academy')"),
    ("smarter-balanced-district/", "assessment results (partial scrape); the accountability table "
     "carries the performance indices"),
    ("enrollment__trend_", "state totals by year, 2011-12 .. 2016-17: the same figures as the 'Total' "
     "row of each year's district file, which is imported"),
    ("-by-", "state cross-tabulation of two student groups (no district rows)"),
]

GROUP_COLUMNS = ("Race/Ethnicity", "Grade", "Gender", "English Learner Status",
                 "Free/Reduced Price Meal Eligibility", "Special Education Status", "High Needs Status")

_RACE = {
    "american indian": "native_american", "american indian or alaska native": "native_american",
    "indian or alaska native": "native_american", "asian": "asian", "black": "black",
    "black or african american": "black", "black, not of hispanic origin": "black",
    "hispanic": "hispanic", "hispanic or latino": "hispanic", "hispanic/latino": "hispanic",
    "hispanic/latino of any race": "hispanic", "hawaiian or pacific islander": "pacific_islander",
    "native hawaiian or other pacific islander": "pacific_islander", "two or more races": "two_or_more",
    "white": "white", "white, not of hispanic origin": "white", "not reported": "race_not_reported",
}
_OTHER = {
    "ell": "ell", "english language learners": "ell", "non-ell": "not_ell",
    "free": "free_lunch", "reduced": "reduced_lunch", "non-subsidized": "not_frpl",
    "eligible for free lunch": "free_lunch", "eligible for reduced lunch": "reduced_lunch",
    "not eligible for lunch": "not_frpl", "eligible for free or reduced-price meals": "frpl",
    "special education": "sped", "students with disabilities": "sped", "non-special education": "not_sped",
    "high needs": "high_needs", "non-high needs": "not_high_needs", "female": "female", "male": "male",
    "pre-kindergarten": "grade_pk", "kindergarten": "grade_k",
    **{f"grade {n}": f"grade_{n}" for n in range(1, 13)},
}
_YES_NO = {("ell", "yes"): "ell", ("ell", "no"): "not_ell",
           ("special-education", "yes"): "sped", ("special-education", "no"): "not_sped"}
# One college-entrance row (2007-08 race, Killingly) has a blank group label and only suppressed
# values; it is kept, as "unlabelled", rather than refusing the file or dropping the row.
UNLABELLED = "unlabelled"
GROUPS = sorted({*STUDENT_GROUPS, "high_needs", "not_high_needs", UNLABELLED})

MEASURES = {
    "% Chronically Absent": ("chronic_absence_rate", 100),
    "Four-Year Cohort Count": ("cohort_count", 1),
    "Graduation Count": ("graduation_count", 1),
    "Graduation Rate": ("graduation_rate", 100),
    "Still Enrolled Count": ("still_enrolled_count", 1),
    "Still Enrolled Rate": ("still_enrolled_rate", 100),
    "Other Count": ("other_count", 1),
    "Other Rate": ("other_rate", 100),
    "Entrance(%)": ("college_entrance_rate", 100),
    "Persistence(%)": ("college_persistence_rate", 100),
}
TABLES = {"chronic-absenteeism": "chronic_absenteeism", "four-year-graduation-rates": "graduation_rate",
          "college-entrance-and-persistence": "college_entrance"}
MEASURE_COLUMNS = ["district_code", "district_name", "school_year", "fiscal_year", "student_group",
                   "measure", "value", "suppressed", SOURCE_ID, LINE, FILE]
KEY = ["district_code", "school_year", "student_group", "measure"]

MEASURE_SCHEMA = pa.DataFrameSchema(
    {
        "district_code": pa.Column(str, pa.Check.str_matches(r"^\d{7}$")),
        "district_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "school_year": pa.Column(str, pa.Check.str_matches(r"^(19|20)\d{2}-\d{2}$")),
        "fiscal_year": pa.Column(int, known_fiscal_years()),
        "student_group": pa.Column(str, pa.Check.isin(GROUPS)),
        "measure": pa.Column(str, pa.Check.isin([m for m, _ in MEASURES.values()])),
        "value": pa.Column(float, pa.Check.ge(0), nullable=True),
        "suppressed": pa.Column(bool),
        SOURCE_ID: pa.Column(str),
    },
    unique=[*KEY, SOURCE_ID],
    # ignore_na=False: no row is all missing, and pandera would otherwise look for such rows.
    checks=[
        pa.Check(lambda df: ~df["measure"].str.endswith("_rate") | ~(df["value"] > 1),
                 error="a rate above 100%", ignore_na=False),
        pa.Check(lambda df: ~(df["suppressed"] & df["value"].notna()), error="a suppressed cell has a value",
                 ignore_na=False),
    ],
)


@dataclass(frozen=True)
class Report:
    """What a file's name says it holds."""

    report: str
    school_year: SchoolYear
    dimension: str
    state: bool


def classify(relative: Path) -> Report | str:
    """The report a file holds, or the reason it is not imported."""
    for marker, reason in NOT_IMPORTED_REASONS:
        if marker in relative.as_posix():
            return reason
    match = _FILE_NAME.match(relative.name)
    if not match or match["dimension"] not in DIMENSIONS:
        return "not a report this reader knows (file name outside the EdSight scrape's patterns)"
    return Report(match["report"], SchoolYear.parse(match["year"]), match["dimension"],
                  bool(match["state"]))


def read(folder: Path) -> dict[str, pd.DataFrame]:
    parts = {"enrollment": Columns(), **{table: Columns() for table in TABLES.values()}}
    skipped, problems = [], []
    for path in sorted(folder.rglob("*.csv")):
        relative = path.relative_to(folder)
        report = classify(relative)
        if isinstance(report, str):
            skipped.append({"file": relative.as_posix(), "reason": report})
            continue
        try:
            table = "enrollment" if report.report == "enrollment" else TABLES[report.report]
            reader = read_enrollment if table == "enrollment" else read_measures
            reader(path, report, parts[table])
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    tables = {name: finish(name, columns, folder) for name, columns in parts.items() if columns.rows}
    tables[NOT_IMPORTED] = pd.DataFrame(skipped, columns=["file", "reason"]).assign(
        **{SOURCE_ID: SOURCE_ID_EDSIGHT})
    return tables


class Columns:
    """Columns gathered file by file and made into one frame at the end (a frame per file and
    measure would cost more than the reading itself). Each part is a list or array with a value
    per row, or one value for all its rows."""

    def __init__(self):
        self.parts: dict[str, list[tuple[object, int]]] = {}
        self.rows = 0

    def add(self, rows: int, **columns) -> None:
        for name, values in columns.items():
            self.parts.setdefault(name, []).append((values, rows))
        self.rows += rows

    def frame(self, columns: list[str]) -> pd.DataFrame:
        """Text columns as categories (they repeat: checks and duplicate searches then work on
        the few distinct values); ``as_text`` turns them back into strings."""
        return pd.DataFrame({name: _text_column(self.parts[name]) if _is_text(self.parts[name])
                             else _column(self.parts[name]) for name in columns})


def _is_text(parts: list[tuple[object, int]]) -> bool:
    for values, _ in parts:
        if not isinstance(values, list | np.ndarray):
            return isinstance(values, str)
        if len(values):
            return isinstance(values[0], str)
    return False


def _column(parts: list[tuple[object, int]]) -> np.ndarray:
    return np.concatenate([np.asarray(values) if isinstance(values, list | np.ndarray)
                           else np.full(rows, values) for values, rows in parts])


def _text_column(parts: list[tuple[object, int]]) -> pd.Categorical:
    """Codes into the distinct texts; a list shared by several parts (a file's district codes,
    repeated for each measure) is coded once."""
    categories: dict[str, int] = {}
    coded: dict[int, np.ndarray] = {}
    codes = []
    for values, rows in parts:
        if isinstance(values, str):
            codes.append(np.full(rows, categories.setdefault(values, len(categories)), dtype=np.int32))
            continue
        if id(values) not in coded:
            code = categories.setdefault
            coded[id(values)] = np.array([-1 if value is None else code(value, len(categories))
                                          for value in values], dtype=np.int32)
        codes.append(coded[id(values)])
    return pd.Categorical.from_codes(np.concatenate(codes), pd.Index(list(categories), dtype="str"))


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    categories = [name for name, dtype in frame.dtypes.items() if isinstance(dtype, pd.CategoricalDtype)]
    return frame.astype(dict.fromkeys(categories, "str"))


def finish(name: str, columns: Columns, folder: Path) -> pd.DataFrame:
    if name == "enrollment":
        frame = validate(columns.frame(ENROLLMENT_COLUMNS), ENROLLMENT_SCHEMA, folder)
    else:
        frame = validate(drop_agreeing_duplicates(columns.frame(MEASURE_COLUMNS)), MEASURE_SCHEMA, folder)
    return as_text(frame.drop(columns=[LINE, FILE]).reset_index(drop=True))


def drop_agreeing_duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    """The cohort count appears in both a graduates and a non-graduates file: keep one copy.

    Copies that disagree are left in place, so the schema's unique-key check reports them.
    """
    repeated = frame.duplicated(KEY, keep=False)
    if not repeated.any():
        return frame
    same = frame[repeated].groupby(KEY, dropna=False)[["value", "suppressed"]].nunique(dropna=False)
    agreeing = same[(same["value"] == 1) & (same["suppressed"] == 1)].index
    keyed = frame.set_index(KEY).index
    drop = frame.duplicated(KEY, keep="first") & keyed.isin(agreeing)
    return frame[~drop]


def _is_header(row: list[str]) -> bool:
    return bool(row) and row[0].strip() in ("District", "Organization")


@lru_cache(maxsize=1024)
def student_group(label: str, dimension: str) -> str | None:
    text = " ".join(label.split()).lower()
    if not text:
        return UNLABELLED
    return _YES_NO.get((dimension, text)) or _RACE.get(text) or _OTHER.get(text)


class ReportFile:
    """One report's rows as plain lists, and the problems found in them."""

    def __init__(self, path: Path, report: Report):
        self.path = path
        self.report = report
        self.records = read_records(path, header_starts=_is_header)
        self.rows = len(self.records.rows)
        self.problems: list[Problem] = []

    def problem(self, line: int | None, column: str | None, reason: str) -> None:
        self.problems.append(Problem(str(self.path), line, column, reason))

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError(self.problems)

    def common(self) -> dict:
        """The columns every row of this file shares, or has, for a table."""
        codes, names = self.identity()
        year = self.report.school_year
        return {"district_code": codes, "district_name": names, "school_year": year.label,
                "fiscal_year": year.fiscal_year, SOURCE_ID: SOURCE_ID_EDSIGHT,
                LINE: self.records.lines, FILE: str(self.path)}

    def identity(self) -> tuple[list, list]:
        """Codes and names; the state file and the enrollment ``Total`` row become the state."""
        header = self.records.header
        names = [name.strip() for name in self.records.column("District" if "District" in header
                                                               else "Organization")]
        if self.report.state or "District Code" not in header:
            if not self.report.state:
                self.problem(None, "District Code", "missing column")
            return [STATE_CODE] * self.rows, [STATE_NAME] * self.rows
        raws = self.records.column("District Code")
        known = {raw: district_code(raw) for raw in set(raws)}
        codes = [STATE_CODE if name == "Total" and raw.strip() in ('=""', "") else known[raw]
                 for name, raw in zip(names, raws, strict=True)]
        if None in codes:
            for code, raw, line in zip(codes, raws, self.records.lines, strict=True):
                if code is None:
                    self.problem(line, "District Code", f"not a district code: {raw!r}")
        names = [STATE_NAME if code == STATE_CODE else name for name, code in zip(names, codes, strict=True)]
        return codes, names

    def numbers(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        values, flags, problems = number_arrays(self.records.column(column), missing=MISSING)
        for position, reason in problems.items():
            self.problem(self.records.lines[position], column, reason)
        return values, flags

    def groups(self) -> list:
        present = [c for c in GROUP_COLUMNS if c in self.records.header]
        if not present:
            if self.report.dimension not in ("", "all-students"):
                self.problem(None, None, f"no student-group column for '{self.report.dimension}'")
            return ["all"] * self.rows
        groups = []
        for label, line in zip(self.records.column(present[0]), self.records.lines, strict=True):
            group = student_group(label, self.report.dimension)
            if group is None:
                self.problem(line, present[0], f"not a student group this reader knows: {label!r}")
            groups.append(group)
        return groups


def read_enrollment(path: Path, report: Report, out: Columns) -> None:
    file = ReportFile(path, report)
    if "District" not in file.records.header:
        file.problem(None, None, "missing column(s): District")
    common = file.common()
    cells = []
    for column in file.records.header:
        if column in ("District", "District Code", "Total"):
            continue
        group = "all" if column == "Count" else student_group(column, report.dimension)
        if group is None:
            file.problem(None, column, "not a student group this reader knows")
            continue
        cells.append((group, *file.numbers(column)))
    if not cells:
        file.problem(None, None, "no student-group columns")
    file.raise_if_any()
    for group, counts, suppressed in cells:
        out.add(file.rows, **common, student_group=group, count=counts, suppressed=suppressed)


def read_measures(path: Path, report: Report, out: Columns) -> None:
    file = ReportFile(path, report)
    common = file.common()
    groups = file.groups()
    cells = [(measure, scale, *file.numbers(column))
             for column, (measure, scale) in MEASURES.items() if column in file.records.header]
    if not cells:
        file.problem(None, None, "no measure columns this reader knows")
    file.raise_if_any()
    for measure, scale, values, suppressed in cells:
        out.add(file.rows, **common, student_group=groups, measure=measure,
                value=values / scale, suppressed=suppressed)


SOURCE = Source(
    id=SOURCE_ID_EDSIGHT,
    folder="ctdata-edsight-2017",
    title="EdSight district reports: enrollment by group, chronic absenteeism, graduation, college entrance",
    publisher="CT State Department of Education (EdSight), scraped by CT Data Collaborative",
    licence="ODC-By",
    years="2006-07 .. 2016-17 (varies by report)",
    as_of="2017-08-24 (commit b3bb00fb)",
    read=read,
)
