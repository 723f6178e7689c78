"""Reading the EdSight NGAExport and the data.ct.gov h28j-iix5 layout; refusing malformed files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from alliance.data.readers import accountability as reader
from alliance.errors import DataError

EXPORT = "raw/crosseye-accountability/accountability-2024-25-districts.csv"
YEARS = ["2014-15", "2015-16", "2016-17", "2017-18", "2018-19", "2021-22", "2022-23", "2023-24", "2024-25"]
EDSIGHT_ONLY = ["CategoryDropFlag", "Perform", "ELA_ALL_YN", "Math_ALL_YN", "ELA_HN_YN", "Math_HN_YN",
                "Improve"]


def _edsight_lines(data_root: Path, rows: int = 3) -> list[str]:
    """Title, blank line, header and the first ``rows`` district rows of the 2024-25 export."""
    lines = (data_root / EXPORT).read_text(encoding="utf-8").splitlines()
    return lines[: 3 + rows]


def _write(tmp_path: Path, lines: list[str], name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_edsight_export_rows_and_values(published):
    assert len(published) == 1813
    assert published["level"].value_counts().to_dict() == {"district": 1804, "state": 9}
    row = published.set_index(["district_code", "school_year"]).loc[("0360011", "2024-25")]
    assert row["district_name"] == "Deep River School District"
    assert (row["index"], row["total_points"], row["possible_points"]) == (75.282715, 602.261722, 800.0)
    assert row["pi_sci_hn_rate"] != row["pi_sci_hn_rate"]            # "." is missing (NaN), never 0
    assert row["fiscal_year"] == 2025 and row["fall_year"] == 2024 and row["org_type"] == "local"
    state = published[published["district_code"] == "0000000"]
    assert set(state["org_type"]) == {"state"} and len(state) == 9


def _to_h28j(lines: list[str]) -> list[str]:
    """The same rows in the data.ct.gov layout: 113 columns, 'Accountability Index ' (trailing
    space), plain codes, blank for missing, thousands separators in the totals."""
    table = list(csv.reader(io.StringIO("\n".join(lines[2:]))))
    header, rows = table[0], table[1:]
    keep = [i for i, name in enumerate(header) if name not in EDSIGHT_ONLY]
    renamed = {"OutcomeRatePct": "Accountability Index ", "Support": "SupportType"}
    new_header = [renamed.get(header[i], header[i]) for i in keep]
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(new_header)
    for row in rows:
        cells = []
        for i in keep:
            value = row[i].removeprefix('="').removesuffix('"')
            value = "" if value == "." else value
            if header[i] in ("TotalPoints", "TotalPossiblePoints") and float(value) >= 1000:
                value = f"{float(value):,.6f}"
            if header[i] == "FallOfYear":
                value = str(int(float(value)))
            cells.append(value)
        writer.writerow(cells)
    return out.getvalue().splitlines()


def test_h28j_layout_reads_the_same_values_as_the_edsight_export(data_root, tmp_path):
    lines = _edsight_lines(data_root)
    h28j_lines = _to_h28j(lines)
    assert len(next(csv.reader([h28j_lines[0]]))) == 113
    assert '"Accountability Index "' in h28j_lines[0]
    assert '"1,095.135326"' in h28j_lines[1]                   # Branford 2024-25 total points
    edsight = reader.read_ngas_export(_write(tmp_path, lines, "edsight.csv"), YEARS)
    h28j = reader.read_ngas_export(_write(tmp_path, h28j_lines, "h28j.csv"), YEARS)
    assert set(edsight["layout"]) == {reader.EDSIGHT} and set(h28j["layout"]) == {reader.H28J}
    numeric = [c for c in h28j.columns if h28j[c].dtype == "float64"]
    pd.testing.assert_frame_equal(h28j[numeric].reset_index(drop=True),
                                  edsight[numeric].reset_index(drop=True))
    assert h28j["district_code"].tolist() == edsight["district_code"].tolist()
    assert h28j.iloc[0]["total_points"] == 1095.135326 and h28j.iloc[0]["possible_points"] == 1450.0


def test_h28j_school_rows_go_to_their_own_table(data_root, tmp_path):
    h28j_lines = _to_h28j(_edsight_lines(data_root, rows=2))
    school = h28j_lines[1].replace('"District","0000000"', '"Branford High School","0140111"', 1)
    school = school.replace('"DistrictTot"', '"SchoolTot"')
    frame = reader.read_ngas_export(_write(tmp_path, [*h28j_lines, school]), YEARS)
    tables = reader.split_levels(frame, "test")
    assert len(tables["accountability"]) == 2
    assert tables["accountability_schools"]["school_code"].tolist() == ["0140111"]


def _problems(path: Path, years=YEARS) -> list[str]:
    with pytest.raises(DataError) as caught:
        reader.read_ngas_export(path, years)
    return [str(p) for p in caught.value.problems]


def test_row_with_missing_fields_is_refused_with_its_line(data_root, tmp_path):
    lines = _edsight_lines(data_root)
    lines[4] = lines[4].rsplit(",", 5)[0]
    problems = _problems(_write(tmp_path, lines))
    assert problems == [f"{tmp_path / 'export.csv'}, line 5: 115 fields where the header has 120"]


def test_missing_column_is_named(data_root, tmp_path):
    lines = _edsight_lines(data_root)
    lines[2] = lines[2].replace('"Ind4HNRate"', '"Ind4HNRatio"')
    problems = _problems(_write(tmp_path, lines))
    assert problems == [f"{tmp_path / 'export.csv'}: missing column(s): Ind4HNRate"]


def test_bad_district_code_is_refused_with_line_and_column(data_root, tmp_path):
    lines = _edsight_lines(data_root)
    lines[3] = lines[3].replace('"=""0140011"""', '"=""01400X1"""', 1)
    problems = _problems(_write(tmp_path, lines))
    assert problems == [f"{tmp_path / 'export.csv'}, line 4, column 'ReportingDistrictCode': "
                        "not a district code: '=\"01400X1\"'"]


def test_unknown_organisation_suffix_is_refused(data_root, tmp_path):
    lines = _edsight_lines(data_root)
    lines[3] = lines[3].replace('"=""0140011"""', '"=""0140099"""', 1)
    problems = _problems(_write(tmp_path, lines))
    assert len(problems) == 1 and "line 4, column 'ReportingDistrictCode'" in problems[0]
    assert "unknown organisation suffix 99" in problems[0]


def test_rate_out_of_range_and_non_number_are_reported_by_line_and_column(data_root, tmp_path):
    lines = _edsight_lines(data_root)
    cells = next(csv.reader([lines[3]]))
    header = next(csv.reader([lines[2]]))
    cells[header.index("Ind4Rate")] = "1.5"
    cells[header.index("Ind8Rate")] = "n/a"
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[3] = out.getvalue()
    problems = _problems(_write(tmp_path, lines))
    assert problems == [f"{tmp_path / 'export.csv'}, line 4, column 'Ind8Rate': not a number: 'n/a'"]
    cells[header.index("Ind8Rate")] = "0.9"
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[3] = out.getvalue()
    problems = _problems(_write(tmp_path, lines))
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'export.csv'}, line 4, column 'Ind4Rate': ")
    assert "1.5" in problems[0]


def test_duplicate_district_year_and_unknown_year_are_refused(data_root, tmp_path):
    lines = _edsight_lines(data_root)
    problems = _problems(_write(tmp_path, [*lines, lines[3]]))
    assert any("line 4" in p for p in problems) and any("line 7" in p for p in problems)
    problems = _problems(_write(tmp_path, lines), years=["2023-24"])
    assert len(problems) == 3 and all("2024-25" in p for p in problems)


def test_file_that_is_not_an_export_is_refused(tmp_path):
    problems = _problems(_write(tmp_path, ["a,b", "1,2"]))
    assert problems == [f"{tmp_path / 'export.csv'}: no header row found"]


def test_folder_reader_refuses_the_same_district_year_in_two_files(data_root, tmp_path):
    lines = _edsight_lines(data_root)
    _write(tmp_path, lines, "accountability-a.csv")
    _write(tmp_path, lines, "accountability-b.csv")
    with pytest.raises(DataError) as caught:
        reader.read_folder(tmp_path, "accountability-*.csv", "test")
    assert len(caught.value.problems) == 3
    assert "already read from another file" in str(caught.value.problems[0])


def test_edbot_2024_25_index_equals_the_edsight_export(data_root, published):
    edbot = reader.read_edbot(data_root / "raw/edbot317-public-ct-ed-data")[reader.EDBOT_TABLE]
    assert len(edbot) == 199 and set(edbot["school_year"]) == {"2024-25"}
    merged = edbot.merge(published[published["school_year"] == "2024-25"], on="district_code",
                         suffixes=("_edbot", ""))
    assert len(merged) == 199
    assert (merged["index_edbot"] - merged["index"]).abs().max() < 1e-6


def test_edbot_reader_reads_only_its_own_file(tmp_path):
    (tmp_path / reader.EDBOT_FILE).write_text(
        "District,District Code,fiscal_year,ela_growth,math_growth,accountability_index\n"
        "Andover School District,10011,2025,68.6,70.4,74.376753875\n"
        "Bad District,10011,2025,68.6,70.4,174\n", encoding="utf-8")
    (tmp_path / "district_year_enrollment_selected_years.csv").write_text("not,this\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        reader.read_edbot(tmp_path)
    text = " | ".join(str(p) for p in caught.value.problems)
    assert "line 3, column 'index'" in text           # 174 out of 0-100
    assert "line 2" in text and "line 3" in text        # duplicate district-year, both lines


# --- property: a malformed export is refused with DataError, never a crash ------------------------

@pytest.fixture(scope="module")
def sample_lines(data_root) -> list[str]:
    return _edsight_lines(data_root)


def _not_a_value(text: str) -> bool:
    stripped = text.strip().replace(",", "")
    if stripped in ("", ".", "*"):
        return False
    try:
        float(stripped)
    except ValueError:
        return True
    return False


NUMERIC_COLUMNS = [*reader.INDICATOR_COLUMNS, "TotalPoints", "TotalPossiblePoints", "OutcomeRatePct"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=st.sampled_from(NUMERIC_COLUMNS), row=st.integers(0, 2), text=st.text(min_size=1, max_size=12))
def test_any_non_number_in_a_numeric_cell_is_a_data_error(tmp_path_factory, sample_lines, column, row, text):
    assume(_not_a_value(text))
    lines = list(sample_lines)
    header = next(csv.reader([lines[2]]))
    cells = next(csv.reader([lines[3 + row]]))
    cells[header.index(column)] = text
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[3 + row] = out.getvalue()
    path = _write(tmp_path_factory.mktemp("bad"), lines)
    with pytest.raises(DataError):
        reader.read_ngas_export(path, YEARS)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_randomly_damaged_export_is_read_or_refused_never_a_crash(tmp_path_factory, sample_lines, data):
    text = "\n".join(sample_lines) + "\n"
    start = data.draw(st.integers(0, len(text) - 1))
    length = data.draw(st.integers(0, 400))
    insert = data.draw(st.text(max_size=30))
    damaged = text[:start] + insert + text[start + length:]
    path = tmp_path_factory.mktemp("damaged") / "export.csv"
    path.write_bytes(damaged.encode("utf-8", errors="surrogatepass"))
    try:
        frame = reader.read_ngas_export(path, YEARS)
    except DataError as exc:
        assert exc.problems
    else:
        assert len(frame) >= 1


def test_bytes_that_are_not_text_are_a_data_error(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(DataError):
        reader.read_ngas_export(path, YEARS)


# The first rows of the real data.ct.gov h28j-iix5 CSV export
# (Next_Generation_Accountability_System_20260407.csv, mirrored in GitHub
# tpereanez18/FInal-Project-DSC-205-Group-6): state row, district rows (SchoolName
# "District", SchoolCode 0000000) and school rows, thousands separators in both totals, blank = missing.
H28J_EXCERPT = Path(__file__).with_name("h28j_iix5_excerpt.csv")


def test_real_h28j_excerpt_is_read_and_every_published_index_reproduced(params):
    from alliance.rules import ngas

    tables = reader.split_levels(reader.read_ngas_export(H28J_EXCERPT, YEARS), "h28j")
    entities, schools = tables["accountability"], tables["accountability_schools"]
    assert entities["district_code"].tolist() == ["0000000", "0010011", "0020011", "0040011"]
    assert schools["school_code"].tolist() == ["0010111", "0046111"]
    avon = entities.set_index("district_code").loc["0040011"]
    # published as "1,129.326687" and "1,250"
    assert (avon["total_points"], avon["possible_points"]) == (1129.326687, 1250.0)
    scored = ngas.compute_index(entities, params)
    published = {"0010011": 95.22217638, "0020011": 68.9903831, "0040011": 90.34613497}
    for position, code in enumerate(entities["district_code"]):
        if code in published:
            assert abs(scored["index"].iloc[position] - published[code]) < 0.01, code
    assert round(scored["index"].iloc[0], 1) == 76.1                  # state row, published "76.1"
