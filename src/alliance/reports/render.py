"""Render a report document: JSON, HTML (Jinja2 templates shared with the web dashboard), PDF
(WeasyPrint from that HTML) and XLSX (openpyxl; one sheet per table of the document)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from io import BytesIO
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from alliance.output import _plain

TEMPLATES = Path(__file__).parent / "templates"


def _fmt(value: Any, digits: str = "1") -> str:
    return "—" if value is None else f"{value:,.{int(digits)}f}"


def _signed(value: Any, digits: str = "1") -> str:
    return "—" if value is None else f"{value:+,.{int(digits)}f}"


def _delta(value: Any) -> str:
    """A whole-number difference: '0' when nothing changes, else signed with thousands separators."""
    return "—" if value is None else ("0" if value == 0 else f"{value:+,.0f}")


def _pct(value: Any) -> str:
    return "—" if value is None else f"{value:.1%}"


def _thousands(value: Any) -> str:
    return "—" if value is None else f"{value:,.0f}"


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters |= {"fmt": _fmt, "signed": _signed, "pct": _pct, "thousands": _thousands, "delta": _delta}
    return env


def to_json(doc: Mapping) -> str:
    return json.dumps(_plain(doc), indent=2, ensure_ascii=False) + "\n"


def to_html(doc: Mapping, template: str, **context: Any) -> str:
    return environment().get_template(template).render(doc=_plain(doc), **context)


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


def to_xlsx(sheets: Mapping[str, list[dict]]) -> bytes:
    """One worksheet per table; the header row is the union of the rows' keys, in first-seen order."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name[:31])
        columns = list(dict.fromkeys(key for row in rows for key in row))
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(row.get(column)) for column in columns])
        for index, column in enumerate(columns, start=1):
            width = max([len(str(column))] + [len(str(_cell(r.get(column)) or "")) for r in rows[:200]])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(60, width + 2)
        sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def write(content: str | bytes, out: Path | None, echo: Callable[[str], None]) -> None:
    """Write to ``out``; text without ``out`` goes to ``echo`` (stdout)."""
    if out is None:
        if isinstance(content, bytes):
            raise ValueError("binary output (pdf, xlsx) needs --out FILE")
        echo(content)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        out.write_bytes(content)
    else:
        out.write_text(content, encoding="utf-8")
