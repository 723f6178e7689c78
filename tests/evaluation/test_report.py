"""The evaluation document: named statistics, XLSX sheets matching the JSON, the PDF, the midpoint review."""

from __future__ import annotations

import csv
import io
import json

import pytest

from alliance.reports import evaluation, render
from alliance.reports.evaluation import EvaluationRequest, build_evaluation
from alliance.reports.midpoint import build_midpoint
from alliance.years import SchoolYear

pytestmark = pytest.mark.slow  # the document runs the ECS engine for 15 years and every policy-lab scenario


@pytest.fixture(scope="module")
def document(evaluation_warehouse):
    return build_evaluation(evaluation_warehouse, EvaluationRequest())


def _lookup(doc: dict, dotted: str):
    value = doc
    for part in dotted.split("."):
        value = value[part]
    return value


GROUPS = ("high_needs", "low_income", "disability", "multilingual", "students_of_color")
NAMED = [
    "members", "students.alliance", "students.state", "students.alliance_share",
    *(f"group_shares.{k}" for k in GROUPS),
    *(f"members_above_state_rate.{k}" for k in GROUPS),
    *(f"index_change.original_cohort.{k}"
      for k in ("from", "to", "improved", "declined", "min_gain", "max_gain", "by_district")),
    "index_change.original_cohort_pre_pandemic.improved",
    "index_change.members_since_pandemic.declined_share",
    "chronic_absenteeism.members_increased", "chronic_absenteeism.members_decreased_pre_pandemic_share",
    "college_entrance.original_cohort_declined",
    *(f"performance_index.{s}.{g}" for s in ("ela", "math") for g in ("all", "high_needs")),
    *(f"below_highest_member.{k}" for k in ("district", "index", "count", "too_small")),
]


@pytest.mark.parametrize("key", NAMED)
def test_every_named_statistic_is_in_the_json(document, key):
    json.loads(render.to_json(document))  # serialisable
    _lookup(document, key)


def test_original_cohort_figures_in_the_document(document):
    # see test_series: 4 of the 30 originals improved 2014-15 → 2023-24, East Hartford +4.003948 the most
    change = document["index_change"]["original_cohort"]
    assert (change["from"], change["to"]) == ("2014-15", "2023-24")
    assert (change["improved"], change["declined"]) == (4, 26)
    assert change["max_gain"] == pytest.approx(4.003948, abs=1e-6)
    assert len(change["by_district"]) == 30
    # the pre-pandemic comparison ends at the last results year before the gap
    assert document["index_change"]["original_cohort_pre_pandemic"]["to"] == "2018-19"
    assert document["index_change"]["members_since_pandemic"]["from"] == "2018-19"


RAW_NGAS = "raw/crosseye-accountability/accountability-{year}-districts.csv"


def _raw_ngas(data_root, year: str) -> dict[str, dict]:
    """The raw NGAS export of one year, by district code (the ="0640011" cells unquoted)."""
    lines = (data_root / RAW_NGAS.format(year=year)).read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith('"FallOfYear"'))
    return {row["ReportingDistrictCode"].strip('="'): row for row in csv.DictReader(lines[start:])}


def _raw_change(data_root, column: str, start: str, end: str, codes: list[str]) -> list[float]:
    first, last = _raw_ngas(data_root, start), _raw_ngas(data_root, end)
    return [float(last[code][column]) - float(first[code][column]) for code in codes]


def _members(document) -> list[str]:
    return [m["district_code"] for m in document["member_list"]]


def test_members_since_the_pandemic_from_the_raw_exports(document, data_root):
    # OutcomeRatePct 2018-19 → 2023-24 for the 36 FY2024 members, e.g. Hartford 59.918684 → 58.138346
    # (−1.78); only 2 rose (34 declined): declined_share = 34 / 36 = 0.944
    changes = _raw_change(data_root, "OutcomeRatePct", "2018-19", "2023-24", _members(document))
    declined = sum(change < 0 for change in changes)
    assert (len(changes), declined) == (36, 34)
    since = document["index_change"]["members_since_pandemic"]
    assert (since["from"], since["to"], since["declined"]) == ("2018-19", "2023-24", declined)
    assert since["declined_share"] == pytest.approx(34 / 36)


def test_chronic_absenteeism_counts_from_the_raw_exports(document, data_root):
    # Ind4Rate 2014-15 → 2023-24 rose for all 36 members (Hartford 0.256540 → 0.351645); 2014-15 → 2018-19
    # it fell for 19 of 36: members_decreased_pre_pandemic_share = 19 / 36 = 0.528
    members = _members(document)
    whole = _raw_change(data_root, "Ind4Rate", "2014-15", "2023-24", members)
    before = _raw_change(data_root, "Ind4Rate", "2014-15", "2018-19", members)
    assert sum(change > 0 for change in whole) == 36
    assert sum(change < 0 for change in before) == 19
    absenteeism = document["chronic_absenteeism"]
    assert absenteeism["members_increased"] == 36
    assert absenteeism["members_decreased_pre_pandemic_share"] == pytest.approx(19 / 36)


def test_college_entrance_of_the_originals_from_the_raw_exports(document, data_root):
    # Ind10Rate, each original member's first to latest year with a rate (2014-15 … 2023-24): e.g. Hartford
    # 0.585 → 0.500 and Bridgeport 0.527 → 0.520 fell; Norwich and Winchester (no high school) have no rate.
    # 23 of the 28 with a rate declined.
    originals = [m["district_code"] for m in document["member_list"] if m["first_fy"] == 2013]
    by_year = [_raw_ngas(data_root, year) for year in document["period"]["results_years"]]
    declined, measured = 0, 0
    for code in originals:
        cells = [rows[code]["Ind10Rate"].strip() for rows in by_year if code in rows]
        rates = [float(cell) for cell in cells if cell not in ("", ".", "*")]   # no rate that year
        if len(rates) >= 2:
            measured, declined = measured + 1, declined + (rates[-1] < rates[0])
    assert (len(originals), measured, declined) == (30, 28, 23)
    college = document["college_entrance"]
    assert college["original_cohort_declined"] == 23
    assert college["change"]["missing"] == ["1040011", "1620011"]


def test_math_high_needs_series_from_the_raw_export(document, data_root):
    # Ind1Math_HN_Rate 2023-24: unweighted mean over the 36 members = 48.1646; state row 49.539744
    rows = _raw_ngas(data_root, "2023-24")
    rates = [float(rows[code]["Ind1Math_HN_Rate"]) for code in _members(document)]
    point = document["performance_index"]["math"]["high_needs"][-1]
    assert point["school_year"] == "2023-24"
    assert point["members"] == pytest.approx(sum(rates) / 36) == pytest.approx(48.1646, abs=1e-4)
    assert point["state"] == pytest.approx(float(rows["0000000"]["Ind1Math_HN_Rate"]))
    assert point["state"] == pytest.approx(49.539744)


def test_performance_index_state_series_is_the_state_row(document):
    # StateTot Ind1ELA_All_Rate 2014-15 = 67.900000
    first = document["performance_index"]["ela"]["all"][0]
    assert first["school_year"] == "2014-15"
    assert first["state"] == pytest.approx(67.9)


def test_high_needs_share_is_missing_and_said_so(document):
    assert document["group_shares"]["high_needs"] is None
    note = next(r["note"] for r in document["demographics"] if r["group"] == "high_needs")
    assert "unduplicated" in note
    assert any("High-needs" in line for line in document["method"])


def test_students_state_total(document):
    # sum of enrollment_total over the FY2024 rows of the edbot317 enrollment file = 512,598
    assert document["students"]["state"] == 512_598


def test_xlsx_sheets_match_the_json(document):
    openpyxl = pytest.importorskip("openpyxl")
    tables = evaluation.sheets(document)
    book = openpyxl.load_workbook(io.BytesIO(render.to_xlsx(tables)))
    assert book.sheetnames == list(tables)
    for name, rows in tables.items():
        assert book[name].max_row == len(rows) + 1, name
    statistics = {row[0].value: row[1].value for row in book["statistics"].iter_rows(min_row=2)}
    assert statistics["members"] == document["members"]
    assert statistics["students.alliance"] == document["students"]["alliance"]
    assert statistics["index_change.original_cohort.improved"] == 4
    assert statistics["group_shares.high_needs"] is None
    for key, value in statistics.items():
        expected = _lookup(document, key)
        if isinstance(expected, float):  # Excel keeps 15 significant digits
            assert value == pytest.approx(expected, rel=1e-12), key
        else:
            assert value == expected, key


def test_pdf_opens_and_its_pages_are_not_blank(document):
    pdfium = pytest.importorskip("pypdfium2")
    pdf = pdfium.PdfDocument(render.to_pdf(evaluation.to_html(document)))
    assert len(pdf) >= 5
    text = pdf[0].get_textpage().get_text_range()
    assert "Alliance District program evaluation" in text
    assert "students.alliance" in text
    whole = " ".join(" ".join(page.get_textpage().get_text_range() for page in pdf).split())
    for heading in ("Money", "Computed equals published", "Recommendations", "Method and sources",
                    "Designate every eligible district below a fixed index standard"):
        assert heading in whole, heading
    image = pdf[1].render(scale=1).to_pil().convert("RGB")
    colours = image.getcolors(maxcolors=1_000_000)
    non_white = sum(count for count, rgb in colours if rgb != (255, 255, 255))
    assert non_white > 0.02 * image.width * image.height
    # the index chart on page 2 draws coloured lines (not only black text on white)
    assert any(abs(r - g) > 60 or abs(g - b) > 60 for _, (r, g, b) in colours)


def test_money_and_recommendations_in_the_json(document):
    years = {row["fiscal_year"]: row for row in document["money"]["by_year"]}
    assert years[2025]["withheld"] == 453_019_437   # = published total, see test_money
    assert all(row["released"] is None for row in years.values())
    items = document["recommendations"]
    assert isinstance(items, list) and len(items) >= 5
    for item in items:
        assert {"title", "rationale", "entering", "leaving", "students", "money"} <= set(item)
    assert document["recommendations_basis"]["fiscal_year"] == 2024   # the report's FY (--to 2023-24)
    assert any("Money:" in line for line in document["method"])


def test_xlsx_money_and_recommendation_sheets_match_the_json(document):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(render.to_xlsx(evaluation.sheets(document))))

    def table(name):
        rows = list(book[name].iter_rows(values_only=True))
        return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]

    money = table("money")
    assert [r["fiscal_year"] for r in money] == [r["fiscal_year"] for r in document["money"]["by_year"]]
    for cell, row in zip(money, document["money"]["by_year"], strict=True):
        assert (cell["withheld"], cell["published_withheld"], cell["difference"]) == (
            row["withheld"], row["published_withheld"], row["difference"])
        assert cell["released"] is None
    assert len(table("money_by_town")) == len(document["money"]["by_town"])
    recommendations = table("recommendations")
    assert [r["title"] for r in recommendations] == [i["title"] for i in document["recommendations"]]
    for cell, item in zip(recommendations, document["recommendations"], strict=True):
        assert cell["entering"] == len(item["entering"]) and cell["leaving"] == len(item["leaving"])
        assert cell["students.difference"] == item["students"]["difference"]
    districts = table("recommendation_districts")
    assert len(districts) == sum(len(i["entering"]) + len(i["leaving"]) + len(i["exits"])
                                 for i in document["recommendations"])


def test_every_chart_names_its_source_and_as_of_date(document):
    from alliance.reports import charts

    for name, chart in charts.evaluation_charts(document).items():
        subtitle = " ".join(chart.to_dict()["title"]["subtitle"])
        assert subtitle.startswith("Source:") and "as of" in subtitle, name


def test_midpoint_review_of_hartford(evaluation_warehouse):
    # window of 3 results years ending 2023-24: 2018-19 → 2021-22 → 2022-23 → 2023-24
    doc = build_midpoint(evaluation_warehouse, "0640011", SchoolYear.parse("2023-24"))
    assert doc["window"] == {"from": "2018-19", "to": "2023-24", "results_years": 3}
    goals = {g["measure"]: g for g in doc["goals"]}
    # OutcomeRatePct 2018-19 59.918684 → 2023-24 58.138346: −1.780338, short of the +3.0 goal
    assert goals["index"]["change"] == pytest.approx(-1.780338, abs=1e-6)
    assert goals["index"]["met"] is False
    # gap to state 2023-24: 58.138346 − 70.8 = −12.661654
    assert goals["index"]["gap_to_state"] == pytest.approx(-12.661654, abs=1e-6)
    # Ind8Rate 2018-19 0.707447 → 2023-24 0.783920: +0.076473 ≥ the +0.02 goal
    assert goals["graduation_4yr"]["change"] == pytest.approx(0.076473, abs=1e-6)
    assert goals["graduation_4yr"]["met"] is True
    assert doc["goals_basis"]["confidence"] == "unconfirmed"
