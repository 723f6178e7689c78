"""``alliance evaluate``: the program evaluation report, or one district's midpoint review."""

from __future__ import annotations

import contextlib
import enum
import io
import sys
from pathlib import Path
from typing import Annotated

import typer

from alliance import config
from alliance.commands.common import fiscal_year_from
from alliance.errors import UnknownEntityError
from alliance.output import Format, emit
from alliance.years import SchoolYear


class ReportFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate)


def _school_year(text: str, option: str) -> SchoolYear:
    try:
        return SchoolYear.parse(text)
    except ValueError as exc:
        raise UnknownEntityError(f"{option}: {exc}") from None


def evaluate(
    start: Annotated[str, typer.Option("--from", help="First results year, e.g. 2014-15.")] = "2014-15",
    end: Annotated[str, typer.Option("--to", help="Last results year, e.g. 2023-24.")] = "2023-24",
    enrollment_year: Annotated[str, typer.Option("--enrollment-year",
                                                 help="School year of the student counts.")] = "2023-24",
    district: Annotated[str | None, typer.Option("--district", help="District code for --midpoint.")] = None,
    midpoint: Annotated[bool, typer.Option("--midpoint", help="The district's three-year midpoint review.")]
    = False,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="table, json, csv, html, pdf or xlsx.")]
    = ReportFormat.table,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file (needed for pdf, xlsx).")]
    = None,
    scenario_fy: Annotated[str | None, typer.Option(
        "--scenario-fy", help="Fiscal year the policy-lab scenarios run for (default: the fiscal year of "
        "--to, whose members the report shows).")] = None,
    scenarios: Annotated[Path | None, typer.Option(
        "--scenarios", help="Folder of scenario files for the recommendations (default: scenarios/).")]
    = None,
) -> None:
    """The program evaluation report (effectiveness, demographics, eligibility, money), or with
    --district CODE --midpoint one district's midpoint review against its milestone goals."""
    if fmt in (ReportFormat.pdf, ReportFormat.xlsx) and out is None:
        raise typer.BadParameter(f"--format {fmt} needs --out FILE", param_hint="--out")
    if midpoint or district:
        if not (midpoint and district):
            raise typer.BadParameter("use --district CODE together with --midpoint")
        _midpoint(district, _school_year(end, "--to"), fmt, out)
        return
    from alliance.reports.evaluation import EvaluationRequest, build_evaluation
    from alliance.reports.recommendations import SCENARIOS_DIR

    scenario_fiscal_year = fiscal_year_from(scenario_fy, option="--scenario-fy") if scenario_fy else None
    request = EvaluationRequest(_school_year(start, "--from"), _school_year(end, "--to"),
                                _school_year(enrollment_year, "--enrollment-year"),
                                scenario_fiscal_year=scenario_fiscal_year,
                                scenarios_dir=scenarios or SCENARIOS_DIR)
    doc = build_evaluation(config.warehouse_path(), request)
    _deliver(doc, "evaluation.html", fmt, out)


def _midpoint(district: str, end: SchoolYear, fmt: ReportFormat, out: Path | None) -> None:
    from alliance.reports.midpoint import build_midpoint

    doc = build_midpoint(config.warehouse_path(), district, end)
    _deliver(doc, "midpoint.html", fmt, out)


def _deliver(doc: dict, template: str, fmt: ReportFormat, out: Path | None) -> None:
    from alliance.reports import evaluation, midpoint, render

    report = midpoint if template == "midpoint.html" else evaluation
    if fmt in (ReportFormat.table, ReportFormat.csv):
        rows = doc["goals"] if report is midpoint else evaluation.statistics(doc)
        if out is None:
            _emit_statistics(rows, doc, Format(fmt.value))
            return
        captured = io.StringIO()   # the same table or CSV, written to --out
        with contextlib.redirect_stdout(captured):
            _emit_statistics(rows, doc, Format(fmt.value))
        content: str | bytes = captured.getvalue()
    elif fmt is ReportFormat.xlsx:
        content = render.to_xlsx(report.sheets(doc))
    elif fmt in (ReportFormat.html, ReportFormat.pdf):
        html = report.to_html(doc)
        content = html if fmt is ReportFormat.html else render.to_pdf(html)
    else:
        content = render.to_json(doc)
    render.write(content, out, sys.stdout.write)
    if out is not None:
        typer.echo(f"wrote {out}", err=True)


def _emit_statistics(rows: list[dict], doc: dict, fmt: Format) -> None:
    emit(rows, fmt, title=doc["title"], caption=_caption(doc))


def _caption(doc: dict) -> str:
    """Membership basis, the midpoint's tier and distance to exit, and the source."""
    source = doc.get("figure_sources", {}).get("accountability") or doc.get("source", "")
    lines = [doc.get("membership_basis", "")]
    if "tier" in doc:
        tier, exit_ = doc["tier"], doc["distance_to_exit"]
        lines.append(f"Tier FY{tier['fiscal_year']}: {tier['tier']} ({'; '.join(tier['reasons'])}); "
                     f"distance to exit: {exit_['distance']}" if tier else doc["tier_note"])
    return "\n".join([*lines, source])
