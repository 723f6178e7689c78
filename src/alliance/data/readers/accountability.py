"""Next Generation Accountability results: the EdSight export and the data.ct.gov h28j-iix5 file.

Two layouts of the same CSDE data are read:

- the EdSight ``NGAExport`` (120 columns): a title line and a blank line above the header, codes
  written ``="0640011"``, ``.`` for a missing value, the index in ``OutcomeRatePct``;
- the data.ct.gov dataset h28j-iix5 (113 columns): header on the first line, the index in
  ``Accountability Index `` (trailing space), totals with thousands separators (``1,450``), blank
  for a missing value.

The layout is recognised by its header. District and state rows become the warehouse table
``accountability``; school rows (the full h28j file has them) become ``accountability_schools``.
Column names become snake_case: each indicator keeps ``<indicator>_rate``, ``_points`` and
``_possible`` (see ``INDICATOR_COLUMNS``); flags, gaps and the published hurdles are kept.

The 2024-25 district file of edbot317 (index and Smarter Balanced growth, one year) is read by
``read_edbot`` into ``accountability_2024_25_edbot``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from alliance.codes import org_type_of
from alliance.data.source import SOURCE_ID, Source
from alliance.data.tabular import FILE, LINE, Converter, read_records, read_rows, validate
from alliance.errors import DataError, Problem
from alliance.parameters import load_parameters
from alliance.years import SchoolYear

EDSIGHT = "edsight-ngaexport"
H28J = "data.ct.gov-h28j-iix5"

# Indicator columns shared by both layouts: export header -> warehouse column.
INDICATOR_COLUMNS = {
    "Ind1ELA_All_Rate": "pi_ela_all_rate",
    "Ind1ELA_All_Points": "pi_ela_all_points",
    "Ind1ELA_All_PossiblePoints": "pi_ela_all_possible",
    "Ind1ELA_HN_Rate": "pi_ela_hn_rate",
    "Ind1ELA_NHN_Rate": "pi_ela_nhn_rate",
    "Ind1ELA_HN_Points": "pi_ela_hn_points",
    "Ind1ELA_HN_PossiblePoints": "pi_ela_hn_possible",
    "Ind1Math_All_Rate": "pi_math_all_rate",
    "Ind1Math_All_Points": "pi_math_all_points",
    "Ind1Math_All_PossiblePoints": "pi_math_all_possible",
    "Ind1Math_NHN_Rate": "pi_math_nhn_rate",
    "Ind1Math_HN_Rate": "pi_math_hn_rate",
    "Ind1Math_HN_Points": "pi_math_hn_points",
    "Ind1Math_HN_PossiblePoints": "pi_math_hn_possible",
    "Ind1Sci_All_Rate": "pi_sci_all_rate",
    "Ind1Sci_All_Points": "pi_sci_all_points",
    "Ind1Sci_All_PossiblePoints": "pi_sci_all_possible",
    "Ind1Sci_HN_Rate": "pi_sci_hn_rate",
    "Ind1Sci_NHN_Rate": "pi_sci_nhn_rate",
    "Ind1Sci_HN_Points": "pi_sci_hn_points",
    "Ind1Sci_HN_PossiblePoints": "pi_sci_hn_possible",
    "Ind1ELAGap": "ela_gap",
    "Ind1MathGap": "math_gap",
    "Ind1SciGap": "sci_gap",
    "Ind2ELA_All_Rate": "growth_ela_all_rate",
    "Ind2ELA_All_Points": "growth_ela_all_points",
    "Ind2ELA_All_Possiblepoints": "growth_ela_all_possible",
    "Ind2Math_All_Rate": "growth_math_all_rate",
    "Ind2Math_All_Points": "growth_math_all_points",
    "Ind2Math_All_Possiblepoints": "growth_math_all_possible",
    "Ind2ELA_HN_Rate": "growth_ela_hn_rate",
    "Ind2ELA_NHN_Rate": "growth_ela_nhn_rate",
    "Ind2ELA_HN_Points": "growth_ela_hn_points",
    "Ind2ELA_HN_Possiblepoints": "growth_ela_hn_possible",
    "Ind2Math_HN_Rate": "growth_math_hn_rate",
    "Ind2Math_NHN_Rate": "growth_math_nhn_rate",
    "Ind2Math_HN_Points": "growth_math_hn_points",
    "Ind2Math_HN_Possiblepoints": "growth_math_hn_possible",
    "Ind2LEP_LTCY_Rate": "elp_literacy_rate",
    "Ind2LEP_LTCY_Points": "elp_literacy_points",
    "Ind2LEP_LTCY_PossiblePoints": "elp_literacy_possible",
    "Ind2LEP_ORAL_Rate": "elp_oral_rate",
    "Ind2LEP_ORAL_Points": "elp_oral_points",
    "Ind2LEP_ORAL_PossiblePoints": "elp_oral_possible",
    "Ind3ELA_All_Rate": "participation_ela_all_rate",
    "Ind3ELA_HN_Rate": "participation_ela_hn_rate",
    "Ind3ELA_NHN_Rate": "participation_ela_nhn_rate",
    "Ind3Math_All_Rate": "participation_math_all_rate",
    "Ind3Math_HN_Rate": "participation_math_hn_rate",
    "Ind3Math_NHN_Rate": "participation_math_nhn_rate",
    "Ind3Sci_All_Rate": "participation_sci_all_rate",
    "Ind3Sci_HN_Rate": "participation_sci_hn_rate",
    "Ind3Sci_NHN_Rate": "participation_sci_nhn_rate",
    "Ind4Rate": "chronic_absence_all_rate",
    "Ind4Points": "chronic_absence_all_points",
    "Ind4PossiblePoints": "chronic_absence_all_possible",
    "Ind4HNRate": "chronic_absence_hn_rate",
    "Ind4HNPoints": "chronic_absence_hn_points",
    "Ind4HNPossiblePoints": "chronic_absence_hn_possible",
    "Ind5Rate": "prep_coursework_rate",
    "Ind5Points": "prep_coursework_points",
    "Ind5PossiblePoints": "prep_coursework_possible",
    "Ind6Rate": "prep_exams_rate",
    "Ind6Points": "prep_exams_points",
    "Ind6PossiblePoints": "prep_exams_possible",
    "Ind7Rate": "on_track_9th_rate",
    "Ind7points": "on_track_9th_points",
    "Ind7PointsPossible": "on_track_9th_possible",
    "Ind8Rate": "grad_4yr_rate",
    "Ind8Points": "grad_4yr_points",
    "Ind8PointsPossible": "grad_4yr_possible",
    "Ind9Rate": "grad_6yr_hn_rate",
    "Ind9Points": "grad_6yr_hn_points",
    "Ind9PointsPossible": "grad_6yr_hn_possible",
    "Ind10Rate": "postsecondary_entrance_rate",
    "Ind10Points": "postsecondary_entrance_points",
    "Ind10PossiblePoints": "postsecondary_entrance_possible",
    "Ind11FitnessRate": "fitness_rate",
    "Ind11ParticipationRate": "fitness_participation_rate",
    "Ind11Points": "fitness_points",
    "Ind11PossiblePoints": "fitness_possible",
    "Ind12Rate": "arts_access_rate",
    "Ind12Points": "arts_access_points",
    "Ind12PossiblePoints": "arts_access_possible",
    "Grad6YrRateHN": "grad6_hn_rate",
    "Grad6YrRateNHN": "grad6_nhn_rate",
    "Grad6YrHNNHNDiff": "grad6_gap",
    "Hurdle_Mean_ELA": "hurdle_ela",
    "Hurdle_Mean_Math": "hurdle_math",
    "Hurdle_Mean_Sci": "hurdle_sci",
    "Hurdle_Means_Grad": "hurdle_grad",
}
TOTAL_COLUMNS = {"TotalPoints": "total_points", "TotalPossiblePoints": "possible_points"}
FLAG_COLUMNS = {
    "AchievementGapFlag": "achievement_gap_flag",
    "Ind3PartRateFlag": "participation_flag",
    "GradGapFlag": "grad_gap_flag",
}
TEXT_COLUMNS = {
    "RptngDistrictName": "district_name",
    "SchoolName": "school_name",
    "SchoolOrgType": "school_org_type",
    "SchoolLowGrade": "school_low_grade",
    "SchoolHighGrade": "school_high_grade",
    "SchoolTitleIType": "school_title_i_type",
    "SupportCategory": "support_category",
    "Distinction": "distinction",
    "DistinctionCategory": "distinction_category",
}
COMMON = ["FallOfYear", "ReportingDistrictCode", "SchoolCode", "Category", "FinalCategory", "schoolyear",
          *TEXT_COLUMNS, *TOTAL_COLUMNS, *FLAG_COLUMNS, *INDICATOR_COLUMNS]
# What each layout adds to the common columns, and the name of its index column.
LAYOUTS = {
    EDSIGHT: {"index": "OutcomeRatePct",
              "text": {"Support": "support_type", "CategoryDropFlag": "category_drop_flag",
                       "Perform": "perform", "ELA_ALL_YN": "ela_all_yn", "Math_ALL_YN": "math_all_yn",
                       "ELA_HN_YN": "ela_hn_yn", "Math_HN_YN": "math_hn_yn", "Improve": "improve"}},
    H28J: {"index": "Accountability Index", "text": {"SupportType": "support_type"}},
}
LEVELS = {"StateTot": "state", "DistrictTot": "district", "SchoolTot": "school"}

PI_RATES = [c for c in INDICATOR_COLUMNS.values()
            if c.startswith("pi_") and c.endswith("_rate")]
FRACTION_RATES = [c for c in INDICATOR_COLUMNS.values()
                  if c.endswith("_rate") and c not in PI_RATES and c != "fitness_participation_rate"]
POSSIBLE = [c for c in INDICATOR_COLUMNS.values() if c.endswith("_possible")]
POINTS = [c for c in INDICATOR_COLUMNS.values() if c.endswith("_points")]
GAPS = ["ela_gap", "math_gap", "sci_gap"]
HURDLES = ["hurdle_ela", "hurdle_math", "hurdle_sci", "hurdle_grad"]
# Fitness-test participation is published above 1 (up to 1.73 in 2014-15..2024-25; more students
# tested than enrolled in the denominator); above 2 would be a broken file.
MAX_FITNESS_PARTICIPATION = 2.0
TOLERANCE = 1e-6


def published_school_years() -> list[str]:
    """The results years the schema accepts (parameter ngas.results_years)."""
    parameter = load_parameters().parameter("ngas.results_years")
    return [str(year) for year in list(parameter.values.values())[-1]]


def layout_of(header: list[str]) -> str | None:
    """EdSight or h28j, recognised by the name of the index column (None: not an NGAS header)."""
    if not header or header[0] != "FallOfYear":
        return None
    for name, layout in LAYOUTS.items():
        if layout["index"] in header:
            return name
    return None


def _is_header(row: list[str]) -> bool:
    return bool(row) and row[0].strip() == "FallOfYear"


def read_ngas_export(path: Path, known_years: list[str] | None = None) -> pd.DataFrame:
    """One export file as typed, validated rows (every level), with snake_case columns."""
    frame, spec = _typed_export(path)
    years = known_years if known_years is not None else published_school_years()
    try:
        frame = validate(frame, _schema(tuple(years)), path)
    except DataError as exc:
        raise DataError([_in_file_terms(problem, spec) for problem in exc.problems]) from None
    return frame.assign(layout=spec["layout"], _file=path.name)


def _typed_export(path: Path) -> tuple[pd.DataFrame, dict]:
    """One export file read and typed, not yet validated; its layout's spec beside it."""
    rows = _cells(path)
    layout = layout_of(list(rows.columns))
    if layout is None:
        raise DataError([Problem(str(path), None, None, "not a Next Generation Accountability export: "
                                 "no OutcomeRatePct or 'Accountability Index' column")])
    spec = {**LAYOUTS[layout], "layout": layout}
    required = [*COMMON, spec["index"], *spec["text"]]
    missing = [name for name in required if name not in rows.columns]
    if missing:
        raise DataError([Problem(str(path), None, None, f"missing column(s): {', '.join(missing)}")])
    if rows.empty:
        raise DataError([Problem(str(path), None, None, "no data rows under the header")])
    return _convert(path, rows, spec), spec


def _cells(path: Path) -> pd.DataFrame:
    """The file's cells as one block of Python strings (``read_rows`` without turning every one of
    the 120 columns into a string column: most become numbers at once), and ``_line``."""
    records = read_records(path, header_starts=_is_header)
    block = np.empty((len(records.rows), len(records.header)), dtype=object)
    block[:] = records.rows if records.rows else block
    frame = pd.DataFrame(block, columns=records.header, dtype=object, copy=False)
    frame[LINE] = np.array(records.lines, dtype="int64")
    return frame


def _in_file_terms(problem: Problem, spec: dict) -> Problem:
    """Name the column as the file's header does (``Ind4Rate``, not ``chronic_absence_all_rate``)."""
    headers = {name: raw for raw, name in
               {**INDICATOR_COLUMNS, **TOTAL_COLUMNS, **FLAG_COLUMNS, **TEXT_COLUMNS, **spec["text"]}.items()}
    headers |= {"index": spec["index"], "district_code": "ReportingDistrictCode", "school_code": "SchoolCode",
                "school_year": "FallOfYear", "level": "Category", "final_category": "FinalCategory"}
    return Problem(problem.file, problem.line, headers.get(problem.column, problem.column), problem.reason)


def _convert(path: Path, rows: pd.DataFrame, spec: dict) -> pd.DataFrame:
    """Typed columns (built apart and joined once: inserting 120 columns one by one is slow)."""
    convert = Converter(path, rows)
    identity = pd.DataFrame({"district_code": convert.district_code("ReportingDistrictCode"),
                             "school_code": convert.district_code("SchoolCode"),
                             "level": _levels(convert, rows)}, index=rows.index)
    fall = convert.integer("FallOfYear")
    texts = _texts(rows, {**TEXT_COLUMNS, **spec["text"]})
    totals = convert.values([*TOTAL_COLUMNS, spec["index"]], thousands=True)
    totals.columns = [*TOTAL_COLUMNS.values(), "index"]
    numbers = convert.values(["FinalCategory", *FLAG_COLUMNS, *INDICATOR_COLUMNS])
    flags = pd.DataFrame({name: _flag(convert, numbers[raw], raw) for raw, name in FLAG_COLUMNS.items()})
    years = _school_years(convert, rows, fall)
    org_types = _org_types(convert, identity, "ReportingDistrictCode")
    convert.raise_if_any()
    fall_year = fall.astype("int64")
    rest = pd.DataFrame({"school_year": years, "org_type": org_types, "fall_year": fall_year,
                         "fiscal_year": fall_year + 1, LINE: rows[LINE].to_numpy()}, index=rows.index)
    category = numbers[["FinalCategory"]].set_axis(["final_category"], axis=1)
    indicators = numbers[list(INDICATOR_COLUMNS)].rename(columns=INDICATOR_COLUMNS)
    return pd.concat([identity, texts, totals, category, flags, indicators, rest], axis=1)


def _texts(rows: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Text columns stripped; blank and ``.`` become missing."""
    texts = {}
    for raw, name in columns.items():
        stripped = [cell.strip() for cell in rows[raw].to_numpy(dtype=object).tolist()]
        texts[name] = pd.array([None if cell in ("", ".") else cell for cell in stripped], dtype="str")
    return pd.DataFrame(texts, index=rows.index)


def _levels(convert: Converter, rows: pd.DataFrame) -> pd.Series:
    levels = rows["Category"].astype(str).str.strip().map(LEVELS)
    for index in levels[levels.isna()].index:
        _report(convert, index, "Category", f"unknown row level {rows.at[index, 'Category']!r} "
                        f"(expected {', '.join(LEVELS)})")
    return levels


def _flag(convert: Converter, values: pd.Series, column: str) -> pd.Series:
    for index in values[values.notna() & ~values.isin([0.0, 1.0])].index:
        _report(convert, index, column, f"a flag must be 0 or 1, not {convert.frame.at[index, column]!r}")
    return values.map({0.0: False, 1.0: True}).astype("boolean")


def _school_years(convert: Converter, rows: pd.DataFrame, fall: pd.Series) -> list[str | None]:
    """School year from FallOfYear; the ``schoolyear`` column must agree with it."""
    years = {year: SchoolYear(int(year)).label for year in fall.dropna().unique()}
    labels = fall.map(years).astype(object).where(fall.notna(), None)
    stated = rows["schoolyear"].astype(str).str.strip()
    disagree = labels.notna() & ~stated.isin(["", "."]) & (stated != labels)
    for index in disagree[disagree].index:
        _report(convert, index, "schoolyear", f"{stated[index]!r} disagrees with FallOfYear {fall[index]} "
                                              f"({labels[index]})")
    return labels.tolist()


def _report(convert: Converter, index, column: str, reason: str) -> None:
    line = int(convert.frame.at[index, LINE])
    convert.problems.append(Problem(str(convert.path), line, column, reason))


def _org_types(convert: Converter, out: pd.DataFrame, column: str) -> pd.Series:
    """Organisation type of each code (one lookup per distinct code); unknown suffixes reported."""
    known: dict[str, str | ValueError] = {}
    for code in out["district_code"].dropna().unique():
        try:
            known[code] = org_type_of(code)
        except ValueError as exc:
            known[code] = exc
    types = []
    for index, code in out["district_code"].items():
        kind = None if code is None else known.get(code)
        if isinstance(kind, ValueError):
            _report(convert, index, column, str(kind))
            kind = None
        types.append(kind)
    return pd.Series(types, index=out.index, dtype=object)


def _range(low: float, high: float) -> list[pa.Check]:
    return [pa.Check.in_range(low, high)]


KEY = ["level", "district_code", "school_code", "school_year"]


@lru_cache(maxsize=8)
def _schema(known_years: tuple[str, ...], within_files: bool = False) -> pa.DataFrameSchema:
    """The schema, made once per set of years (making it costs more than checking a file)."""
    return accountability_schema(list(known_years), within_files)


def accountability_schema(known_years: list[str], within_files: bool = False) -> pa.DataFrameSchema:
    """Codes, levels, years, and every rate, point and possible-point cell within its range.

    ``within_files``: rows from several files checked at once (``_file`` names each row's file)
    must be unique within their file; duplicates across files are reported by the folder reader.
    """
    code = pa.Check.str_matches(r"^\d{7}$")
    columns = {
        "district_code": pa.Column(str, code),
        "school_code": pa.Column(str, code),
        "level": pa.Column(str, pa.Check.isin(list(LEVELS.values()))),
        "school_year": pa.Column(str, pa.Check.isin(known_years)),
        "index": pa.Column(float, _range(0, 100), nullable=True),
        "total_points": pa.Column(float, pa.Check.ge(0), nullable=True),
        "possible_points": pa.Column(float, pa.Check.ge(0), nullable=True),
        "final_category": pa.Column(float, pa.Check.isin([1, 2, 3, 4, 5]), nullable=True),
        "fitness_participation_rate": pa.Column(float, _range(0, MAX_FITNESS_PARTICIPATION), nullable=True),
        "grad6_gap": pa.Column(float, _range(-1, 1), nullable=True),
    }
    columns |= {c: pa.Column(float, _range(0, 100), nullable=True) for c in PI_RATES}
    columns |= {c: pa.Column(float, _range(0, 1), nullable=True) for c in FRACTION_RATES}
    columns |= {c: pa.Column(float, pa.Check.ge(0), nullable=True) for c in POINTS + POSSIBLE + HURDLES}
    columns |= {c: pa.Column(float, _range(-100, 100), nullable=True) for c in GAPS}
    checks = [_points_within_possible(c) for c in POINTS] + [
        pa.Check(lambda df: ~(df["total_points"] > df["possible_points"] + TOLERANCE),
                 error="total_points above possible_points", ignore_na=False),
    ]
    return pa.DataFrameSchema(columns, checks=checks,
                              unique=[*KEY, FILE] if within_files else KEY, report_duplicates="all")


def _points_within_possible(points: str) -> pa.Check:
    possible = points.removesuffix("_points") + "_possible"
    # ignore_na=False: the check already passes missing values (a comparison with NaN is false);
    # pandera's own NA handling would look for all-missing rows of the whole frame on every check.
    return pa.Check(lambda df: ~(df[points] > df[possible].fillna(0) + TOLERANCE),
                    error=f"{points} above {possible}", ignore_na=False)


ACCOUNTABILITY_ORDER = ["district_code", "district_name", "org_type", "school_year", "fall_year",
                        "fiscal_year", "index", "total_points", "possible_points"]


def split_levels(frame: pd.DataFrame, source_id: str) -> dict[str, pd.DataFrame]:
    """District and state rows -> ``accountability``; school rows -> ``accountability_schools``."""
    frame = frame.assign(**{SOURCE_ID: source_id})
    rest = [c for c in frame.columns if c not in ACCOUNTABILITY_ORDER]
    frame = frame[ACCOUNTABILITY_ORDER + rest]
    entities = frame[frame["level"] != "school"].drop(columns=["school_code", "school_name"])
    tables = {"accountability": entities.reset_index(drop=True)}
    schools = frame[frame["level"] == "school"]
    if not schools.empty:
        tables["accountability_schools"] = schools.reset_index(drop=True)
    return tables


def read_folder(folder: Path, pattern: str, source_id: str) -> dict[str, pd.DataFrame]:
    """Every export in a folder; duplicate entity-years across files are refused.

    The files are typed one by one and validated together (one schema pass instead of one per
    file); every problem still names its file, in the order of the files.
    """
    paths = sorted(folder.glob(pattern))
    if not paths:
        raise DataError([Problem(str(folder), None, None, f"no file matches {pattern}")])
    frames, specs, problems = [], {}, []
    for path in paths:
        try:
            frame, specs[str(path)] = _typed_export(path)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        frames.append(frame.assign(layout=specs[str(path)]["layout"], _file=str(path)))
    if frames:
        combined = pd.concat(frames, ignore_index=True)
        try:
            combined = validate(combined, _schema(tuple(published_school_years()), True), folder)
        except DataError as exc:
            first = next(iter(specs.values()))  # for a problem not tied to one row
            problems.extend(_in_file_terms(problem, specs.get(problem.file, first))
                            for problem in exc.problems)
    if problems:
        order = {str(path): position for position, path in enumerate(paths)}
        raise DataError(sorted(problems, key=lambda problem: order.get(problem.file, len(order))))
    combined["_file"] = combined["_file"].map({str(path): path.name for path in paths})
    problems = _duplicates_across_files(combined, folder)
    if problems:
        raise DataError(problems)
    return split_levels(combined, source_id)


def _duplicates_across_files(frame: pd.DataFrame, folder: Path) -> list[Problem]:
    dupes = frame[frame.duplicated(KEY, keep="first")]
    return [Problem(str(folder / row["_file"]), int(row[LINE]), "ReportingDistrictCode",
                    f"{row['district_code']} {row['school_year']} already read from another file")
            for _, row in dupes.iterrows()]


CROSSEYE_ID = "crosseye-accountability"
CROSSEYE_PATTERN = "accountability-*.csv"


def read_crosseye(folder: Path) -> dict[str, pd.DataFrame]:
    return read_folder(folder, CROSSEYE_PATTERN, CROSSEYE_ID)


SOURCE = Source(
    id=CROSSEYE_ID,
    folder="crosseye-accountability",
    title="Next Generation Accountability results, district and state rows (EdSight export)",
    publisher="Connecticut State Department of Education (EdSight), via CrossEye/andoverct.info",
    licence="public government data (no licence stated)",
    years="2014-15..2018-19, 2021-22..2024-25",
    as_of="2025 (2024-25 results)",
    read=read_crosseye,
    files=(CROSSEYE_PATTERN,),
)

# --- edbot317: 2024-25 district index and growth -------------------------------------------------

EDBOT_ID = "edbot317-accountability"
EDBOT_FILE = "district_year_accountability_2024_25.csv"
EDBOT_TABLE = "accountability_2024_25_edbot"


def edbot_schema(known_fiscal_years: list[int]) -> pa.DataFrameSchema:
    percent = pa.Check.in_range(0, 100)
    return pa.DataFrameSchema(
        {
            "district_code": pa.Column(str, pa.Check.str_matches(r"^\d{7}$")),
            "district_name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "fiscal_year": pa.Column("int64", pa.Check.isin(known_fiscal_years)),
            "ela_growth_pct": pa.Column(float, percent, nullable=True),
            "math_growth_pct": pa.Column(float, percent, nullable=True),
            "index": pa.Column(float, percent, nullable=True),
        },
        unique=["district_code", "fiscal_year"],
        report_duplicates="all",
    )


def read_edbot(folder: Path) -> dict[str, pd.DataFrame]:
    """The edbot317 2024-25 district index file (only that file of the folder)."""
    path = folder / EDBOT_FILE
    rows = read_rows(path, required=["District", "District Code", "fiscal_year", "ela_growth",
                                     "math_growth", "accountability_index"])
    convert = Converter(path, rows)
    frame = pd.DataFrame({
        "district_code": convert.district_code("District Code"),
        "district_name": rows["District"].astype(str).str.strip(),
        "fiscal_year": convert.integer("fiscal_year"),
        "ela_growth_pct": convert.value("ela_growth"),
        "math_growth_pct": convert.value("math_growth"),
        "index": convert.value("accountability_index"),
    })
    frame["org_type"] = _org_types(convert, frame, "District Code")
    convert.raise_if_any()
    frame["fiscal_year"] = frame["fiscal_year"].astype("int64")
    frame[LINE] = rows[LINE].to_numpy()
    fiscal_years = [SchoolYear.parse(y).fiscal_year for y in published_school_years()]
    frame = validate(frame, edbot_schema(fiscal_years), path)
    frame["school_year"] = [SchoolYear.of_fiscal_year(int(fy)).label for fy in frame["fiscal_year"]]
    frame["_file"] = path.name
    frame[SOURCE_ID] = EDBOT_ID
    order = ["district_code", "district_name", "org_type", "school_year", "fiscal_year", "index",
             "ela_growth_pct", "math_growth_pct", SOURCE_ID, "_file", LINE]
    return {EDBOT_TABLE: frame[order]}


EDBOT_SOURCE = Source(
    id=EDBOT_ID,
    folder="edbot317-public-ct-ed-data",
    title="District Accountability Index and Smarter Balanced growth, 2024-25",
    publisher="Connecticut State Department of Education (EdSight), via edbot317/public-ct-ed-data",
    licence="public government data",
    years="2024-25",
    as_of="2025",
    read=read_edbot,
    files=(EDBOT_FILE,),
)
