"""``alliance index``: the Accountability Index of each district, and ``index check`` against the published.

``alliance index --school-year 2023-24 [--district CODE]`` recomputes the index from the rates in
the warehouse with the parameters in force for that year; ``alliance index check`` recomputes
every district-year and compares it with the published index and points.
"""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
import typer

from alliance import config
from alliance.codes import STATE_CODE
from alliance.commands.common import FormatOption, district_code_from
from alliance.data import warehouse
from alliance.data.accountability_tables import SOURCE_TABLE, score
from alliance.errors import DataError, Problem, UnknownEntityError
from alliance.output import Format, emit
from alliance.parameters import load_parameters
from alliance.rules import ngas
from alliance.years import SchoolYear

# A district index "matches" when within 0.01 index points of the published value; the state row
# is published rounded to one decimal, so it matches when the computed index rounds to it.
DISTRICT_TOLERANCE = 0.01
STATE_DECIMALS = 1

SchoolYearOption = Annotated[
    str | None, typer.Option("--school-year", "-y", help="School year, e.g. 2023-24.")
]
DistrictOption = Annotated[
    str | None, typer.Option("--district", "-d", help="7-digit district code, e.g. 0640011.")
]


def register(app: typer.Typer) -> None:
    index = typer.Typer(help="The Accountability Index (NGAS): recompute, show and check it.")
    index.callback(invoke_without_command=True)(show_index)
    index.command("check")(check)
    app.add_typer(index, name="index")


def load_scored() -> pd.DataFrame:
    """Every entity-year of the warehouse, scored with the parameters in force."""
    path = config.warehouse_path()
    with warehouse.connect(path) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if SOURCE_TABLE not in tables:
            raise DataError([Problem(str(path), None, None, "the warehouse has no accountability results: "
                                     "run `alliance data import`")])
        frame = con.execute(f'SELECT * FROM "{SOURCE_TABLE}"').df()
    scored = score(frame)
    kept = ["source_id", "fitness_participation_rate", *ngas.rate_columns()]
    return pd.concat([scored, frame[kept].reset_index(drop=True)], axis=1)


def show_index(
    ctx: typer.Context,
    school_year: SchoolYearOption = None,
    district: DistrictOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Each district's index, points, possible points and index by area, with the state beside it."""
    if ctx.invoked_subcommand is not None:
        return
    if school_year is None:
        raise typer.BadParameter("give --school-year (e.g. 2023-24), or run `alliance index check`",
                                 param_hint="--school-year")
    year = _parse_year(school_year)
    scored = load_scored()
    year_rows = scored[scored["school_year"] == year.label]
    if year_rows.empty:
        known = ", ".join(sorted(scored["school_year"].unique()))
        raise UnknownEntityError(f"no accountability results for {year.label} (results exist for {known}; "
                                 "none were published for 2019-20 and 2020-21)")
    state = year_rows[year_rows["district_code"] == STATE_CODE]
    state_row = state.iloc[0] if not state.empty else None
    areas = load_parameters().get("ngas.areas", year.fiscal_year)
    if district is not None:
        _show_district(year_rows, district_code_from(district), year, state_row, areas, fmt)
    else:
        _show_year(year_rows, year, state_row, areas, fmt)


def _parse_year(text: str) -> SchoolYear:
    try:
        return SchoolYear.parse(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--school-year") from None



def entity_document(row: pd.Series, state_row: pd.Series | None, areas_of: dict[str, str]) -> dict[str, Any]:
    """One entity-year as JSON: index, points, each indicator, each area with the state beside it."""
    indicators = {
        name: {"area": areas_of[name], "rate": row[f"{name}_rate"],
               "points": row[f"{name}_points"], "possible": row[f"{name}_possible"]}
        for name in ngas.INDICATORS
    }
    indicators["fitness"]["participation_rate"] = row["fitness_participation_rate"]
    areas = {
        area: {"points": row[f"{area}_points"], "possible": row[f"{area}_possible"],
               "index": row[f"{area}_index"],
               "state_index": None if state_row is None else state_row[f"{area}_index"]}
        for area in ngas.AREAS
    }
    return {
        "district_code": row["district_code"], "district_name": row["district_name"],
        "org_type": row["org_type"], "school_year": row["school_year"], "fiscal_year": row["fiscal_year"],
        "index": row["index"], "points": row["points"], "possible": row["possible"],
        "published_index": row["published_index"],
        "state_index": None if state_row is None else state_row["index"],
        "entity_kind": row["entity_kind"], "possible_basis": row["possible_basis"],
        "indicators": indicators, "areas": areas,
        "flags": {name: _bool(row[name]) for name in
                  ("participation_flag", "achievement_gap_flag", "grad_gap_flag")},
        "source_id": row["source_id"],
    }


def _bool(value: Any) -> bool | None:
    return None if pd.isna(value) else bool(value)


def _show_year(rows: pd.DataFrame, year: SchoolYear, state_row, areas_of: dict[str, str],
               fmt: Format) -> None:
    rows = rows.assign(_state=rows["district_code"] != STATE_CODE).sort_values(["_state", "district_name"])
    documents = [entity_document(r, state_row, areas_of) for _, r in rows.iterrows()]
    table = [_year_line(d, for_terminal=fmt is Format.table) for d in documents]
    caption = (f"{len(rows)} entities, the state first; index = 100 × points ÷ possible, computed from "
               f"rates; each area's index likewise (— where the area does not apply). Every indicator: "
               f"--district CODE. Source: {rows['source_id'].iloc[0]}")
    emit(table, fmt, title=f"Accountability Index {year.label}", caption=caption, document=documents,
         digits=1 if fmt is Format.table else 2)


def _year_line(document: dict[str, Any], for_terminal: bool) -> dict[str, Any]:
    """A district's line with the index by area. On a terminal the state's figures are its first row
    (not a column) and names lose their common suffix, so the eight areas fit beside the index."""
    name = document["district_name"]
    line = {"district_code": document["district_code"],
            "district_name": name.removesuffix(" School District") if for_terminal else name,
            "index": document["index"], "points": document["points"], "possible": document["possible"],
            "published": document["published_index"]}
    if not for_terminal:
        line["state_index"] = document["state_index"]
    return line | {area: document["areas"][area]["index"] for area in ngas.AREAS}


def _show_district(rows: pd.DataFrame, code: str, year: SchoolYear, state_row, areas_of: dict[str, str],
                   fmt: Format) -> None:
    match = rows[rows["district_code"] == code]
    if match.empty:
        raise UnknownEntityError(f"district {code} has no accountability result for {year.label}")
    row = match.iloc[0]
    document = entity_document(row, state_row, areas_of)
    lines = [{"line": name, "area": item["area"], "rate": item["rate"], "points": item["points"],
              "possible": item["possible"], "index": None, "state_index": None}
             for name, item in document["indicators"].items() if item["possible"] or pd.notna(item["rate"])]
    lines += [{"line": f"area: {area}", "area": area, "rate": None, "points": item["points"],
               "possible": item["possible"], "index": item["index"], "state_index": item["state_index"]}
              for area, item in document["areas"].items()]
    lines.append({"line": "total", "area": None, "rate": None, "points": document["points"],
                  "possible": document["possible"], "index": document["index"],
                  "state_index": document["state_index"]})
    flags = ", ".join(f"{k}={v}" for k, v in document["flags"].items())
    caption = (f"published index {document['published_index']:.2f}; {flags}; "
               f"possible points from {document['possible_basis']}; source {document['source_id']}")
    emit(lines, fmt, title=f"{row['district_name']} ({code}), {year.label}", caption=caption,
         document=[document], digits=3)


def check(fmt: FormatOption = Format.table) -> None:
    """Recompute every district-year and compare it with the published index and points."""
    scored = load_scored()
    report = check_report(scored)
    summary = {k: v for k, v in report.items() if k != "mismatches"}
    rows = [{"measure": k, "value": ", ".join(v) if isinstance(v, list) else v} for k, v in summary.items()]
    emit(rows, fmt, title="Accountability Index: computed vs published", document=report, digits=4)
    if fmt is Format.table and report["mismatches"]:
        emit(report["mismatches"], fmt, title="Mismatches", digits=4)
    if report["mismatches"]:
        raise typer.Exit(1)


def check_report(scored: pd.DataFrame) -> dict[str, Any]:
    """Counts, largest errors and every mismatch, districts and state rows apart."""
    published = scored[scored["published_index"].notna()]
    districts = published[published["district_code"] != STATE_CODE]
    state = published[published["district_code"] == STATE_CODE]
    district_ok = districts["index_error"].abs() < DISTRICT_TOLERANCE
    state_ok = state["index"].round(STATE_DECIMALS) == state["published_index"].round(STATE_DECIMALS)
    mismatches = pd.concat([districts[~district_ok], state[~state_ok]])
    return {
        "district_years": int(len(districts)),
        "district_years_matched": int(district_ok.sum()),
        "tolerance": DISTRICT_TOLERANCE,
        "largest_error": float(districts["index_error"].abs().max()) if len(districts) else None,
        "largest_error_at": _where(districts.loc[districts["index_error"].abs().idxmax()])
        if len(districts) else None,
        "largest_points_error": float(districts["points_error"].abs().max()) if len(districts) else None,
        "possible_points_matched": int((districts["possible_error"].abs() < 1e-9).sum()),
        "state_rows": int(len(state)),
        "state_rows_matched_at_one_decimal": int(state_ok.sum()),
        "years": sorted(published["school_year"].unique().tolist()),
        "mismatches": [_mismatch(r) for _, r in mismatches.iterrows()],
    }


def _where(row: pd.Series) -> str:
    return (f"{row['district_name']} ({row['district_code']}) {row['school_year']}, "
            f"most in {row['worst_indicator']} ({row['worst_indicator_error']:+.4f} points)")


def _mismatch(row: pd.Series) -> dict[str, Any]:
    return {"district_code": row["district_code"], "district_name": row["district_name"],
            "school_year": row["school_year"], "index": row["index"],
            "published_index": row["published_index"], "error": row["index_error"],
            "indicator": row["worst_indicator"], "indicator_points_error": row["worst_indicator_error"]}
