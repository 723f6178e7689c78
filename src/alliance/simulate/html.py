"""A scenario run as one self-contained HTML page (no scripts, no external files)."""

from __future__ import annotations

from html import escape

STYLE = ("body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}"
         "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem}"
         "td.n{text-align:right}caption{text-align:left;font-weight:bold}")


def _cell(value) -> str:
    if value is None:
        return "<td>—</td>"
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, int):
        return f'<td class="n">{value:,}</td>'
    if isinstance(value, float):
        return f'<td class="n">{value:,.1f}</td>'
    return f"<td>{escape(str(value))}</td>"


def table(title: str, rows: list[dict], columns: list[str]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_cell(row.get(c)) for c in columns) + "</tr>" for row in rows)
    if not rows:
        body = f'<tr><td colspan="{len(columns)}">none</td></tr>'
    return f"<table><caption>{escape(title)}</caption><tr>{head}</tr>{body}</table>"


def simulation_html(document: dict) -> str:
    scen, base, students = document["scenario"], document["baseline"], document["students"]
    refs = "".join(f'<li><a href="{escape(r["href"])}">{escape(r["title"])}</a></li>'
                   for r in scen["references"])
    summary = [{"side": "current law", "rule": base["rule"], "members": base["count"],
                "students": students["students"]["baseline"],
                "high-needs proxy": students["high_needs_proxy"]["baseline"]},
               {"side": "scenario", "rule": scen["rule"], "members": scen["count"],
                "students": students["students"]["scenario"],
                "high-needs proxy": students["high_needs_proxy"]["scenario"]}]
    person = ["district_code", "district_name", "index", "students", "reason"]
    money = ["fiscal_year", "baseline_withheld", "scenario_withheld", "withheld_difference",
             "scenario_released", "scenario_added"]
    phased = ["district_name", "exit_fy", "fiscal_year", "amount", "freed_share", "freed",
              "still_conditioned"]
    notes = "".join(f"<li>{escape(n)}</li>" for n in document["notes"])
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>{escape(scen['title'])}</title>"
            f"<style>{STYLE}</style><h1>{escape(scen['title'])}</h1>"
            f"<p>FY{document['fiscal_year']}. {escape(scen['rationale'])}</p><ul>{refs}</ul>"
            + table("Both sides", summary, list(summary[0]))
            + table("Entering", document["entering"], person)
            + table("Leaving", document["leaving"], person)
            + table("Phase-down of exiting members' conditioned money (whole dollars)",
                    document.get("phase_down", []), phased)
            + table("Money by fiscal year (whole dollars)", document["money"], money)
            + f"<ul>{notes}</ul></html>\n")
