"""Charts of the evaluation document as Vega-Lite (Altair), rendered to SVG or PNG by vl-convert.

Every chart carries its source and as-of date in its subtitle, so an exported image keeps them.
The x axis lists every school year in the period, so years without results show as gaps.
"""

from __future__ import annotations

import base64

import altair as alt
import pandas as pd
import vl_convert as vlc

from alliance.years import SchoolYear

GROUP_LABELS = {"members": "Alliance Districts (mean)", "state": "State",
                "non_members": "Non-member districts (mean)"}
WIDTH = 520
FONT = "DejaVu Sans"  # the font of the report's HTML and PDF (templates/base.html)


def _label(group: str) -> str:
    if group.startswith("cohort_fy"):
        return f"FY{group[len('cohort_fy'):]} cohort (mean)"
    return GROUP_LABELS.get(group, group)


def _every_year(doc: dict) -> list[str]:
    first = SchoolYear.parse(doc["period"]["from"])
    last = SchoolYear.parse(doc["period"]["to"])
    return [SchoolYear(y).label for y in range(first.fall_year, last.fall_year + 1)]


def _title(text: str, source: str) -> alt.TitleParams:
    return alt.TitleParams(text, subtitle=_wrap(source), anchor="start", fontSize=13,
                           subtitleFontSize=9, subtitleColor="#555")


def _wrap(text: str, width: int = 110) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _legend(columns: int) -> alt.Legend:
    return alt.Legend(orient="bottom", direction="horizontal", columns=columns, labelLimit=300,
                      columnPadding=24, rowPadding=4)


def _series_frame(doc: dict, measure: str, groups: list[str]) -> pd.DataFrame:
    rows = [r for r in doc["series"][measure] if r["group"] in groups]
    years = _every_year(doc)
    known = {(r["group"], r["school_year"]): r["mean"] for r in rows}
    return pd.DataFrame([{"group": _label(g), "school_year": y, "value": known.get((g, y))}
                         for g in groups for y in years])


def index_trend(doc: dict) -> alt.Chart:
    groups = [g for g in doc["comparison_groups"] if g != "members"] + ["members", "state"]
    frame = _series_frame(doc, "index", groups)
    return _lines(frame, "Accountability Index: Alliance Districts, cohorts and the state",
                  "Accountability Index", doc["figure_sources"]["accountability"])


def performance_trend(doc: dict) -> alt.Chart:
    rows = []
    for subject, by_group in doc["performance_index"].items():
        for group, points in by_group.items():
            known = {p["school_year"]: p for p in points}
            for year in _every_year(doc):
                point = known.get(year, {})
                panel = f"{subject.upper() if subject == 'ela' else 'Math'}, " \
                        f"{'all students' if group == 'all' else 'high-needs students'}"
                rows += [{"panel": panel, "group": "Alliance Districts (mean)", "school_year": year,
                          "value": point.get("members")},
                         {"panel": panel, "group": "State", "school_year": year, "value": point.get("state")}]
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).mark_line(point=True, invalid="break-paths-show-domains").encode(
        x=alt.X("school_year:O", sort=None, title=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("value:Q", title="Performance index", scale=alt.Scale(zero=False)),
        color=alt.Color("group:N", title=None, legend=_legend(2)),
    ).properties(width=240, height=150)
    return base.facet(facet=alt.Facet("panel:N", title=None), columns=2).properties(
        title=_title("Performance index, members vs state", doc["figure_sources"]["accountability"]))


def demographic_shares(doc: dict) -> alt.Chart:
    rows = [{"group": "All students", "share": doc["students"]["alliance_share"]}]
    rows += [{"group": r["label"], "share": r["alliance_share"]} for r in doc["demographics"]
             if r["alliance_share"] is not None]
    frame = pd.DataFrame(rows)
    bars = alt.Chart(frame).mark_bar(color="#4c78a8").encode(
        y=alt.Y("group:N", sort=None, title=None, axis=alt.Axis(labelLimit=330)),
        x=alt.X("share:Q", title="Alliance Districts' share of the state's students",
                axis=alt.Axis(format="%", values=[0, 0.2, 0.4, 0.6, 0.8, 1]), scale=alt.Scale(domain=[0, 1])))
    text = bars.mark_text(align="left", dx=3, fontSize=10).encode(text=alt.Text("share:Q", format=".1%"))
    title = f"Share of the state's students in Alliance Districts, {doc['period']['enrollment_year']}"
    return (bars + text).properties(width=WIDTH - 250, height=24 * len(rows),
                                    title=_title(title, doc["figure_sources"]["enrollment"]))


def members_vs_state_bars(doc: dict, measure: str, title: str, axis_title: str) -> alt.Chart:
    frame = _series_frame(doc, measure, ["members", "state"]).dropna(subset=["value"])
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("school_year:O", sort=None, title=None, axis=alt.Axis(labelAngle=-45),
                scale=alt.Scale(domain=_every_year(doc))),  # years without results stay visible as gaps
        xOffset="group:N",
        y=alt.Y("value:Q", title=axis_title, axis=alt.Axis(format="%")),
        color=alt.Color("group:N", title=None, legend=_legend(2)),
    ).properties(width=WIDTH, height=180, title=_title(title, doc["figure_sources"]["accountability"]))


def _lines(frame: pd.DataFrame, title: str, axis_title: str, source: str) -> alt.Chart:
    return alt.Chart(frame).mark_line(point=True, invalid="break-paths-show-domains").encode(
        x=alt.X("school_year:O", sort=None, title=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("value:Q", title=axis_title, scale=alt.Scale(zero=False)),
        color=alt.Color("group:N", title=None, legend=_legend(3)),
    ).properties(width=WIDTH, height=220, title=_title(title, source))


def money_by_year(doc: dict) -> alt.Chart:
    """Withheld by fiscal year: the engine's figure, with CSDE's published one beside it."""
    rows = []
    for year in doc["money"]["by_year"]:
        label = f"FY{year['fiscal_year']}"
        rows += [{"fiscal_year": label, "basis": "Computed (ECS engine)", "dollars": year["withheld"]},
                 {"fiscal_year": label, "basis": "Published (CSDE breakout)",
                  "dollars": year["published_withheld"]}]
    frame = pd.DataFrame(rows).dropna(subset=["dollars"])
    frame["millions"] = frame["dollars"] / 1_000_000
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("fiscal_year:O", sort=None, title=None, axis=alt.Axis(labelAngle=-45)),
        xOffset="basis:N",
        y=alt.Y("millions:Q", title="Withheld ($ millions)"),
        color=alt.Color("basis:N", title=None, legend=_legend(2),
                        scale=alt.Scale(range=["#4c78a8", "#b8c7db"])),
    ).properties(width=WIDTH, height=170,
                 title=_title("Alliance withholding by fiscal year", doc["figure_sources"]["ecs"]))


def evaluation_charts(doc: dict) -> dict[str, alt.Chart]:
    return {
        "index_trend": index_trend(doc),
        "performance_trend": performance_trend(doc),
        "demographic_shares": demographic_shares(doc),
        "chronic_absenteeism": members_vs_state_bars(
            doc, "chronic_absenteeism", "Chronic absenteeism, members (mean) vs state",
            "Chronically absent students"),
        "graduation": members_vs_state_bars(
            doc, "graduation_4yr", "Four-year graduation rate, members (mean) vs state", "Graduation rate"),
        "money": money_by_year(doc),
    }


def _spec(chart: alt.Chart) -> dict:
    """The chart's Vega-Lite spec in the report's font, so vl-convert lays text out with the same
    metrics the PDF draws it with (otherwise legend labels overlap their neighbours)."""
    spec = chart.to_dict()
    config = spec.setdefault("config", {})
    config["font"] = FONT
    config["legend"] = {"labelFontSize": 10, "symbolSize": 80} | config.get("legend", {})
    config["axis"] = {"labelFontSize": 10, "titleFontSize": 10} | config.get("axis", {})
    return spec


def to_svg(chart: alt.Chart) -> str:
    return vlc.vegalite_to_svg(_spec(chart))


def to_png(chart: alt.Chart, scale: float = 2) -> bytes:
    return vlc.vegalite_to_png(_spec(chart), scale=scale)


def svg_data_uri(chart: alt.Chart) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(to_svg(chart).encode()).decode()


def district_trend(doc: dict) -> alt.Chart:
    """A district's index and performance beside the state, for the midpoint review."""
    labels = {"index": "Accountability Index", "ela_all": "ELA performance index",
              "math_all": "Math performance index"}
    first = SchoolYear.parse(doc["trend"][0]["school_year"])
    last = SchoolYear.parse(doc["window"]["to"])
    years = [SchoolYear(y).label for y in range(first.fall_year, last.fall_year + 1)]
    known = {(r["measure"], r["school_year"]): r for r in doc["trend"]}
    rows = [{"panel": label, "school_year": y, "group": who, "value": known.get((m, y), {}).get(key)}
            for m, label in labels.items() for y in years
            for who, key in ((doc["district_name"], "district"), ("State", "state"))]
    chart = alt.Chart(pd.DataFrame(rows)).mark_line(point=True, invalid="break-paths-show-domains").encode(
        x=alt.X("school_year:O", sort=None, title=None, axis=alt.Axis(labelAngle=-60, labelFontSize=8)),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
        color=alt.Color("group:N", title=None, legend=_legend(2)),
    ).properties(width=175, height=160)
    return chart.facet(column=alt.Column("panel:N", title=None, sort=list(labels.values()))).properties(
        title=_title(f"{doc['district_name']} and the state", doc["source"]))
