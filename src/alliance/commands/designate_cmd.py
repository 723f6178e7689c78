"""``alliance designate``: Alliance and Opportunity Districts for a fiscal year, and why."""

from __future__ import annotations

from typing import Annotated

import typer

from alliance import config
from alliance.commands.common import FiscalYearOption, FormatOption, district_code_from, fiscal_year_from
from alliance.designations import Standing, standing
from alliance.output import Format, emit
from alliance.rules.designation import NOT_DESIGNATED, OPPORTUNITY, Designation
from alliance.rules.designation_explain import explain
from alliance.rules.designation_rounds import GIVEN
from alliance.rules.robustness import flag_marginal
from alliance.simulate.robustness_run import robustness_document

COLUMNS = ["district_code", "district_name", "status", "basis", "rank", "index", "enrollment",
           "cohort_fy", "first_fy", "reason"]
ROBUST_COLUMNS = ["district_code", "district_name", "status", "probability", "margin", "basis", "rank",
                  "index", "enrollment", "first_fy", "reason"]
STEP_COLUMNS = ["step", "data", "rule", "outcome", "parameters"]


def register(app: typer.Typer) -> None:
    app.command("designate")(designate)


def designate(
    fy: FiscalYearOption = None,
    explain_code: Annotated[str | None, typer.Option(
        "--explain", help="Show the full derivation for one district code (e.g. 0640011).")] = None,
    every_type: Annotated[bool, typer.Option(
        "--all-types", help="Also list districts of ineligible types (charters, RESCs, ...).")] = False,
    robustness: Annotated[int | None, typer.Option(
        "--robustness", min=1, help="Resample every index N times with its measurement error "
        "(robustness.*) and show each district's probability of designation.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Every local and regional district's status in a fiscal year (alliance, opportunity, not designated)."""
    fiscal_year = fiscal_year_from(fy)
    state = standing(fiscal_year, config.warehouse_path())
    if explain_code is not None:
        _explain(state, district_code_from(explain_code), fmt)
        return
    rows = [d.record() for d in _listed(state, every_type)]
    if robustness is not None:
        _print_with_probabilities(state, rows, robustness, fmt)
        return
    if fmt is Format.table:
        rows = [_for_table(row) for row in rows]
    emit(rows, fmt, title=_title(state), columns=COLUMNS, digits=1, caption=_caption(state))


def _print_with_probabilities(state: Standing, rows: list[dict], resamples: int, fmt: Format) -> None:
    document = robustness_document(state.fiscal_year, config.warehouse_path(), resamples)
    rows = with_probabilities(rows, document["districts"], document["marginal_band"])
    marginal = [r["district_name"] for r in rows if r["marginal"]]
    caption = "\n".join([
        _caption(state),
        f"probability: share of {document['resamples']:,} resamples (seed {document['seed']}) in which the "
        f"district is designated when every index carries {document['error_model']} error of SD "
        f"{document['index_error_sd']:g} points (robustness.*); grandfathered members stay whatever their "
        "index; districts that cannot be ranked (size, type, no index) have 0 or 1",
        f"marginal (probability between {document['marginal_band']:g} and "
        f"{1 - document['marginal_band']:g}): {len(marginal)} districts"]
        + ([f"the FY{state.in_force.cohort_fy} round is a published list, not a ranking: no index error "
            "can change it"] if state.in_force.source == GIVEN else []))
    if fmt is Format.table:
        rows = [_for_table(row) | {"probability": f"{row['probability']:.2f}",
                                   "margin": "MARGINAL" if row["marginal"] else None} for row in rows]
    settings = {k: v for k, v in document.items() if k != "districts"}
    emit(rows, fmt, title=_title(state) + ": designation probability", columns=ROBUST_COLUMNS, digits=1,
         caption=caption, document={**settings, "districts": rows})


def with_probabilities(rows: list[dict], probable: list[dict], band: float) -> list[dict]:
    """Each designation record with ``probability`` (of being designated), ``probability_by_rank``
    and ``marginal`` (probability strictly inside the band). A district outside the ranking keeps
    its status whatever the index error: probability 1 if designated, else 0."""
    by_code = {p["district_code"]: p for p in probable}
    out = []
    for row in rows:
        found = by_code.get(row["district_code"])
        fixed = 1.0 if row["status"] != NOT_DESIGNATED else 0.0
        probability = float(found["probability"]) if found else fixed
        out.append(row | {"probability": probability,
                          "probability_by_rank": float(found["probability_by_rank"]) if found else None,
                          "marginal": bool(flag_marginal(probability, band))})
    return out


def _for_table(row: dict) -> dict:
    """Fiscal years as FY labels (not thousands-separated numbers), shorter district names."""
    return row | {"district_name": row["district_name"].removesuffix(" School District"),
                  "cohort_fy": f"FY{row['cohort_fy']}",
                  "first_fy": f"FY{row['first_fy']}" if row["first_fy"] else None}




def _listed(state: Standing, every_type: bool) -> list[Designation]:
    eligible = set(state.in_force.eligible_org_types)
    shown = [d for d in state.current.designations
             if every_type or d.designated or d.org_type in eligible]
    order = {OPPORTUNITY: 0, "alliance": 1, NOT_DESIGNATED: 2}
    return sorted(shown, key=lambda d: (order[d.status], d.rank is None, d.rank or 0, d.district_name))


def _title(state: Standing) -> str:
    r = state.in_force
    return f"Alliance Districts, FY{state.fiscal_year} (round FY{r.cohort_fy}, term {r.term})"


def _caption(state: Standing) -> str:
    r, result = state.in_force, state.current
    lines = [result.size_check()]
    if r.index_school_year:
        lines.append(f"index {r.index_school_year}, enrollment {r.enrollment_school_year}, "
                     f"{r.lowest_count} lowest of local/regional districts with at least "
                     f"{r.min_enrollment:,} students, plus members designated FY{r.grandfather_first_fy}-"
                     f"FY{r.grandfather_last_fy}")
    lines += list(result.ties) + list(result.notes)
    lines.append("source: warehouse tables accountability, district_enrollment, designation_given; "
                 "parameters designation.* (alliance params list designation)")
    return "\n".join(lines)


def _explain(state: Standing, code: str, fmt: Format) -> None:
    steps = explain(state.results, state.in_force, state.fiscal_year, code)
    found = state.current.find(code)
    rows = [{"step": s.step, "data": s.data, "rule": s.rule, "outcome": s.outcome,
             "parameters": _parameter_names(s.citation), "citation": s.citation} for s in steps]
    citations = sorted({part.strip() for s in steps for part in s.citation.split(" | ") if part.strip()})
    document = {"district_code": code, "fiscal_year": state.fiscal_year,
                "designation": found.record(), "steps": rows}
    emit(rows, fmt, title=f"{found.district_name} ({code}), FY{state.fiscal_year}: {found.status}",
         columns=STEP_COLUMNS, caption="\n".join(citations), document=document)


def _parameter_names(citation: str) -> str:
    return ", ".join(part.split(" ", 1)[0] for part in citation.split(" | ") if part.strip())
