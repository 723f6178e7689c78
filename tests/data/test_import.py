"""The import as a whole: idempotent, and a failed import leaves the previous warehouse as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from alliance.data import derived, warehouse
from alliance.data.readers import designation_list, edsight2017, enrollment
from alliance.data.registry import SOURCES
from alliance.errors import DataError

OWN_SOURCES = [enrollment.SOURCE, edsight2017.SOURCE, designation_list.SOURCE]


def tables_of(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        return {name: sorted(con.execute(f'SELECT {_stable(name)} FROM "{name}"').fetchall(), key=repr)
                for name in names}


def _stable(name: str) -> str:
    """Every column but the import time."""
    return "* EXCLUDE (imported_at)" if name == "sources" else "*"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_root_with(tmp_path: Path, real_root: Path, replaced: dict[str, str]) -> Path:
    """A data root that links every real source folder, with some files replaced by new text."""
    root = tmp_path / "data"
    (root / "raw").mkdir(parents=True)
    for folder in (real_root / "raw").iterdir():
        target = root / "raw" / folder.name
        if any(name.startswith(folder.name + "/") for name in replaced):
            shutil.copytree(folder, target)
        else:
            target.symlink_to(folder, target_is_directory=True)
    for name, text in replaced.items():
        (root / "raw" / name).write_text(text)
    return root


@pytest.mark.slow
def test_two_imports_give_identical_tables(warehouse, tmp_path, data_root):
    again = tmp_path / "again.duckdb"
    warehouse_module_build(data_root, again)
    first, second = tables_of(warehouse), tables_of(again)
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


def warehouse_module_build(data_root: Path, target: Path) -> None:
    warehouse.build(SOURCES, data_root, target, derive=derived.STEPS)


def test_failed_import_leaves_the_previous_warehouse_unchanged(tmp_path, data_root):
    target = tmp_path / "home" / "warehouse.duckdb"
    warehouse.build(OWN_SOURCES, data_root, target, derive=derived.STEPS)
    before = sha256(target)
    edbot = data_root / "raw" / "edbot317-public-ct-ed-data" / enrollment.FILE
    lines = edbot.read_text().splitlines()
    lines[40] = lines[40].replace(",2015,", ",twenty15,", 1)   # line 41 of the file
    broken = data_root_with(tmp_path, data_root,
                            {f"edbot317-public-ct-ed-data/{enrollment.FILE}": "\n".join(lines) + "\n"})
    with pytest.raises(DataError) as caught:
        warehouse.build(OWN_SOURCES, broken, target, derive=derived.STEPS)
    problem = caught.value.problems[0]
    assert (Path(problem.file).name, problem.line, problem.column) == (enrollment.FILE, 41, "fiscal_year")
    assert sha256(target) == before
    assert not target.with_name(target.name + ".new").exists()


def test_every_row_names_its_source(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in ("enrollment", "chronic_absenteeism", "graduation_rate", "college_entrance",
                      "designation_given", "district_enrollment"):
            missing = con.execute(f"SELECT count(*) FROM {table} WHERE source_id IS NULL").fetchone()[0]
            assert missing == 0, table
        ids = {r[0] for r in con.execute("SELECT source_id FROM sources").fetchall()}
    assert {"edbot317-enrollment", "ctdata-edsight-2017", "alspur-alliance-districts"} <= ids


def test_sources_command_lists_the_files_not_imported(warehouse, monkeypatch):
    import json

    from typer.testing import CliRunner

    from alliance import config
    from alliance.cli import app

    monkeypatch.setenv(config.HOME_ENV, str(warehouse.parent))
    result = CliRunner().invoke(app, ["data", "sources", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    skipped = {row["file"]: row["reason"] for row in document["files_not_imported"]}
    assert "no codes" in skipped["revenue-sources-district/revenue-sources__2010-11_all.csv"]
    edsight = next(s for s in document["sources"] if s["source_id"] == "ctdata-edsight-2017")
    assert (edsight["licence"], edsight["files"]) == ("ODC-By", 404)


def test_sources_table_groups_the_files_not_imported_by_reason(warehouse, monkeypatch):
    from typer.testing import CliRunner

    from alliance import config
    from alliance.cli import app

    monkeypatch.setenv(config.HOME_ENV, str(warehouse.parent))
    result = CliRunner().invoke(app, ["data", "sources"])
    assert result.exit_code == 0, result.output
    # 5 state cross-tabulations (grade x gender, race x ELL / lunch / gender / special education)
    # for each of the 10 school years 2007-08 .. 2016-17: 5 x 10 = 50 files, on one line
    line = next(line for line in result.output.splitlines() if "cross-tabulation" in line)
    assert "│    50 │" in line


def test_the_listing_of_files_not_imported_is_not_counted_as_rows(warehouse):
    # ctdata-edsight-2017 rows = its four tables only: the 117 listed files are not data rows
    with duckdb.connect(str(warehouse), read_only=True) as con:
        listed = con.execute("SELECT rows FROM sources WHERE source_id = 'ctdata-edsight-2017'").fetchone()[0]
        sql = "SELECT count(*) FROM {} WHERE source_id = 'ctdata-edsight-2017'"
        tables = sum(con.execute(sql.format(t)).fetchone()[0]
                     for t in ("enrollment", "chronic_absenteeism", "graduation_rate", "college_entrance"))
    assert listed == tables


def test_import_from_a_folder_without_raw_names_it(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from alliance import config
    from alliance.cli import app

    monkeypatch.setenv(config.HOME_ENV, str(tmp_path / "home"))
    result = CliRunner().invoke(app, ["data", "import", "--data", str(tmp_path / "nowhere")])
    assert isinstance(result.exception, DataError)
    assert "no raw/ folder" in str(result.exception) and "nowhere" in str(result.exception)
    assert not (tmp_path / "home" / "warehouse.duckdb").exists()
