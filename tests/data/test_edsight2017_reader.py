"""The CT Data Collaborative EdSight scrape: values as they stand in the files."""

from __future__ import annotations

import csv
import math

import pytest

from alliance.data.readers import edsight2017


@pytest.fixture(scope="module")
def tables(data_root):
    return edsight2017.read(data_root / "raw" / "ctdata-edsight-2017")


def one(frame, **where):
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, where
    return rows.iloc[0]


def test_enrollment_counts_by_group(tables):
    enrollment = tables["enrollment"]
    # enrollment__2015-16_all-students.csv line 80; _lunch.csv line 81; _race.csv line 81
    hartford = enrollment[(enrollment.district_code == "0640011") & (enrollment.school_year == "2015-16")]
    counts = hartford.set_index("student_group")["count"]
    assert (counts["all"], counts["free_lunch"], counts["hispanic"]) == (21463, 16410, 11267)
    # Hartford's lunch parts add to its total: 16,410 + 4,691 + 362 = 21,463
    parts = enrollment[(enrollment.district_code == "0640011") & (enrollment.school_year == "2015-16")
                       & enrollment.student_group.isin(["free_lunch", "reduced_lunch", "not_frpl"])]
    assert parts["count"].sum() == 21463


def test_total_row_is_kept_as_the_state(tables):
    enrollment = tables["enrollment"]
    # line 209: "Total","=""""",541815
    state = one(enrollment, district_code="0000000", school_year="2015-16", student_group="all")
    assert state["count"] == 541815 and state["district_name"] == "State of Connecticut"


def test_star_is_suppressed(tables):
    # East Hartford 2015-16 race: American Indian "*"
    cell = one(tables["enrollment"], district_code="0430011", school_year="2015-16",
               student_group="native_american")
    assert cell["suppressed"] and math.isnan(cell["count"])
    # Union 2016-17 all students "*" (the cell edbot317 leaves blank)
    union = one(tables["enrollment"], district_code="1450011", school_year="2016-17", student_group="all")
    assert union["suppressed"]


def test_chronic_absenteeism_rates_are_fractions(tables):
    chronic = tables["chronic_absenteeism"]
    # chronic-absenteeism__2014-15_all-students.csv line 8: Ansonia 16.3 (%)
    ansonia = one(chronic, district_code="0020011", school_year="2014-15", student_group="all")
    assert ansonia["value"] == pytest.approx(0.163)
    # the _ct file: State of Connecticut 10.6 (%)
    state = one(chronic, district_code="0000000", school_year="2014-15", student_group="all")
    assert state["value"] == pytest.approx(0.106)
    andover = one(chronic, district_code="0010011", school_year="2014-15", student_group="all")
    assert andover["suppressed"] and math.isnan(andover["value"])


def test_graduation_counts_and_rates_from_both_files(tables):
    grad = tables["graduation_rate"]
    ansonia = grad[(grad.district_code == "0020011") & (grad.school_year == "2014-15")
                   & (grad.student_group == "all")].set_index("measure")["value"]
    # _grad.csv line 7: 172,144,83.7 ; _nongrad.csv line 7: 172,17,9.9,11,6.4
    assert ansonia["cohort_count"] == 172        # once, though both files carry it
    assert ansonia["graduation_count"] == 144
    assert ansonia["graduation_rate"] == pytest.approx(0.837)
    assert ansonia["still_enrolled_count"] == 17
    assert ansonia["other_rate"] == pytest.approx(0.064)
    # 144 + 17 + 11 = 172: graduates, still enrolled and others make up the cohort
    assert ansonia["graduation_count"] + ansonia["still_enrolled_count"] + ansonia["other_count"] == 172
    state = one(grad, district_code="0000000", school_year="2014-15", student_group="all",
                measure="graduation_rate")
    assert state["value"] == pytest.approx(0.872)


def test_college_entrance(tables):
    college = tables["college_entrance"]
    # college-entrance-and-persistence__2013-14_.csv line 10: Ansonia 59.4, 78.5
    assert one(college, district_code="0020011", school_year="2013-14", student_group="all",
               measure="college_entrance_rate")["value"] == pytest.approx(0.594)
    assert one(college, district_code="0000000", school_year="2013-14", student_group="all",
               measure="college_entrance_rate")["value"] == pytest.approx(0.726)


def test_blank_group_label_is_kept_as_unlabelled(tables):
    # college-entrance-and-persistence__2007-08_race.csv line 164: Killingly, blank race, *, *
    rows = tables["college_entrance"]
    rows = rows[(rows.student_group == "unlabelled")]
    assert set(rows.district_code) == {"0690011"} and rows["suppressed"].all()


def test_every_file_is_imported_or_listed_with_a_reason(tables, data_root):
    folder = data_root / "raw" / "ctdata-edsight-2017"
    listed = set(tables["source_files_not_imported"]["file"])
    every = {p.relative_to(folder).as_posix() for p in folder.rglob("*.csv")}
    per_pupil = {f for f in every if f.startswith("per-pupil-expenditures-district/")}
    assert per_pupil and per_pupil <= listed
    assert all(tables["source_files_not_imported"]["reason"].str.len() > 10)
    imported = every - listed
    assert "enrollment-district/enrollment__2015-16_race.csv" in imported
    assert len(imported) + len(listed) == len(every)


def test_trend_files_not_imported_repeat_the_total_rows(tables, data_root):
    # The reason given for not importing enrollment__trend_all-students_ct.csv, checked.
    folder = data_root / "raw" / "ctdata-edsight-2017" / "enrollment-district"
    path = folder / "enrollment__trend_all-students_ct.csv"
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    years, state = rows[5][1:], rows[6][1:]
    enrollment = tables["enrollment"]
    for year, total in zip(years, state, strict=True):
        state_row = one(enrollment, district_code="0000000", school_year=year, student_group="all")
        assert state_row["count"] == int(total)
