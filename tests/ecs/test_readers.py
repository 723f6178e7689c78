"""The ECS readers: real files read whole, bad files refused with file, line, column and reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.data.readers import alspur, ecs
from alliance.errors import DataError

EDBOT = "edbot317-public-ct-ed-data"
HEADER = ("town_code,district_code,town,fiscal_year,entitlement,alliance_portion,"
          "education_diversity_portion,non_alliance_portion\n")


@pytest.fixture(scope="module")
def ecs_tables(data_root):
    return ecs.SOURCE.read(data_root / "raw" / EDBOT)


def test_every_year_lists_169_towns_once(ecs_tables):
    entitlement = ecs_tables["ecs_entitlement"]
    # 14 years in the selected-years file (FY2012-FY2024, FY2027) + FY2025, FY2026 = 16 × 169
    assert len(entitlement) == 16 * 169
    assert entitlement.groupby("fiscal_year")["town_code"].nunique().eq(169).all()
    assert len(ecs_tables["ecs_inputs"]) == 3 * 169
    assert len(ecs_tables["towns"]) == 169


def test_published_alliance_portions_read_as_stored(ecs_tables):
    e = ecs_tables["ecs_entitlement"].set_index(["fiscal_year", "town_code"])
    # PROVENANCE.md: Hartford (64) FY2013 4,808,111; Bridgeport (15) FY2027 48,601,013
    assert e.at[(2013, 64), "alliance_portion"] == 4_808_111
    assert e.at[(2027, 15), "alliance_portion"] == 48_601_013
    # FY2012 has no breakout: NULL, not zero
    assert e.loc[2012, "alliance_portion"].isna().all()


def test_the_one_known_source_discrepancy_is_kept_and_listed(ecs_tables):
    listed = ecs_tables["ecs_discrepancies"]
    assert listed[["fiscal_year", "town_code", "entitlement", "portions_total", "difference"]].to_dict(
        "records") == [{"fiscal_year": 2016, "town_code": 150, "entitlement": 221936,
                        "portions_total": 221935, "difference": 1}]
    row = ecs_tables["ecs_entitlement"].set_index(["fiscal_year", "town_code"]).loc[(2016, 150)]
    assert (row["entitlement"], row["non_alliance_portion"]) == (221936, 221935)


def test_towns_carry_title_case_names_and_local_district_codes(ecs_tables):
    towns = ecs_tables["towns"].set_index("town_code")
    assert towns.at[64, "town"] == "Hartford" and towns.at[64, "district_code"] == "0640011"
    assert towns.at[165, "town"] == "Windsor Locks"


def test_reader_reads_only_its_own_files(data_root):
    names = {p.name for p in ecs.SOURCE.file_list(data_root)}
    assert names == {*ecs.ENTITLEMENT_FILES, ecs.INPUTS_FILE}


# --- refused files -------------------------------------------------------------------------------

def _folder_with(tmp_path: Path, data_root: Path, replace: dict[str, str] | None = None) -> Path:
    folder = tmp_path / EDBOT
    folder.mkdir()
    for name in (*ecs.ENTITLEMENT_FILES, ecs.INPUTS_FILE):
        shutil.copy(data_root / "raw" / EDBOT / name, folder / name)
    for name, text in (replace or {}).items():
        (folder / name).write_text(text)
    return folder


def _edited(data_root: Path, name: str, line: int, old: str, new: str) -> str:
    lines = (data_root / "raw" / EDBOT / name).read_text().splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "".join(lines)


FY2526 = "town_year_ecs_entitlement_fy2025_fy2026.csv"


def test_bad_town_code_is_refused_with_its_line(tmp_path, data_root):
    # line 2 is FY2025 Andover (town 1); 170 is no Connecticut town
    text = _edited(data_root, FY2526, 2, "1,1,ANDOVER", "170,170,ANDOVER")
    with pytest.raises(DataError) as caught:
        ecs.read(_folder_with(tmp_path, data_root, {FY2526: text}))
    message = str(caught.value)
    assert FY2526 in message and "line 2" in message and "'town_code'" in message


def test_negative_amount_is_refused(tmp_path, data_root):
    text = _edited(data_root, FY2526, 2, ",2004782,", ",-2004782,")
    with pytest.raises(DataError) as caught:
        ecs.read(_folder_with(tmp_path, data_root, {FY2526: text}))
    assert "line 2" in str(caught.value) and "'entitlement'" in str(caught.value)


def test_missing_column_is_refused(tmp_path, data_root):
    lines = (data_root / "raw" / EDBOT / FY2526).read_text().splitlines()
    dropped = "\n".join(",".join(line.split(",")[:-1]) for line in lines) + "\n"
    with pytest.raises(DataError, match="missing column.*non_alliance_portion"):
        ecs.read(_folder_with(tmp_path, data_root, {FY2526: dropped}))


def test_portions_not_adding_up_are_refused_with_the_difference(tmp_path, data_root):
    # line 3 is FY2025 Ansonia: 20315782 = 5223090 + 61024 + 15031668; take $5 off the Alliance portion
    text = _edited(data_root, FY2526, 3, "5223090.0", "5223085.0")
    with pytest.raises(DataError) as caught:
        ecs.read(_folder_with(tmp_path, data_root, {FY2526: text}))
    assert "line 3" in str(caught.value) and "difference 5" in str(caught.value)


def _one_year_file(path: Path, amounts: list[tuple[int, int, int, int]]) -> Path:
    rows = [f"{code},{code},TOWN{code},2030,{e},{a},{d},{n}"
            for code, (e, a, d, n) in enumerate(amounts, start=1)]
    path.write_text(HEADER + "\n".join(rows) + "\n")
    return path


portions = st.tuples(st.integers(0, 10**8), st.integers(0, 10**6), st.integers(0, 10**8))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(portions, min_size=169, max_size=169), town=st.integers(0, 168),
       delta=st.integers(-10**6, 10**6).filter(lambda d: d != 0))
def test_any_row_whose_portions_miss_the_entitlement_is_refused(tmp_path, amounts, town, delta):
    rows = [(a + d + n, a, d, n) for a, d, n in amounts]
    path = _one_year_file(tmp_path / "ok.csv", rows)
    frame = ecs.read_entitlement_file(path)
    assert ecs.portion_discrepancies(frame, tmp_path).empty  # exact sums pass
    entitlement, a, d, n = rows[town]
    rows[town] = (entitlement + delta, a, d, n) if entitlement + delta >= 0 else (entitlement, a + 1, d, n)
    bad = ecs.read_entitlement_file(_one_year_file(tmp_path / "bad.csv", rows))
    with pytest.raises(DataError) as caught:
        ecs.portion_discrepancies(bad, tmp_path)
    assert f"line {town + 2}" in str(caught.value)


# --- alspur ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def alspur_tables(data_root):
    return alspur.SOURCE.read(data_root / "raw" / "alspur-ecstargets")


def test_alspur_tables_have_every_town(alspur_tables):
    history = alspur_tables["ecs_grant_history"]
    assert history.groupby(["fiscal_year", "measure"])["town_code"].nunique().eq(169).all()
    assert len(alspur_tables["ecs_resident_students"]) == 169
    assert "allianceDistricts.csv" not in alspur.SOURCE.files


def test_alspur_fy2015_grants_agree_with_csde_except_bridgeport(alspur_tables, ecs_tables):
    # Two sources: PA 14-47 grants (alspur) vs CSDE final FY2015 entitlements (edbot317).
    grants = alspur_tables["ecs_grant_history"]
    fy15 = grants[(grants["fiscal_year"] == 2015) & (grants["measure"] == "grant")].set_index("town_code")
    csde = ecs_tables["ecs_entitlement"].query("fiscal_year == 2015").set_index("town_code")
    differences = (fy15["amount"] - csde["entitlement"])
    # Bridgeport (15): 179,600,148 in the act vs 178,900,148 final: $700,000
    assert differences[differences != 0].to_dict() == {15: 700_000}


def test_alspur_town_names_without_codes_must_be_known(tmp_path, data_root):
    folder = tmp_path / "alspur-ecstargets"
    shutil.copytree(data_root / "raw" / "alspur-ecstargets", folder)
    path = folder / "ctvoicesECS.csv"
    path.write_text(path.read_text().replace("Andover,", "Atlantis,", 1))
    expected = r"ctvoicesECS.csv, line 2, column 'town_name': unknown town 'Atlantis'"
    with pytest.raises(DataError, match=expected):
        alspur.read(folder)
