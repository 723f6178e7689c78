"""The whole import (every registered source, validated, into a new DuckDB file, derived tables
included) against plainly reading the same files with pandas, in the same run.

The baseline is ``pd.read_csv`` on each file the sources list, told only each file's width so that
title lines do not stop it: no validation, no reshaping, no database. The ratio (import / plain
read) is printed and kept in the benchmark's extra_info.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd
import pytest

from alliance import config
from alliance.data import derived, warehouse
from alliance.data.registry import SOURCES

PROJECT = Path(__file__).resolve().parents[1]

MEANS: dict[str, float] = {}


@pytest.fixture(scope="module")
def data_root() -> Path:
    return Path(os.environ.get(config.DATA_ENV, PROJECT.parent / "shared" / "data")).resolve()


def files_with_widths(data_root: Path) -> list[tuple[Path, int]]:
    files = sorted({path for source in SOURCES for path in source.file_list(data_root)})
    widths = []
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            widths.append(max((len(row) for row in csv.reader(handle)), default=1))
    return list(zip(files, widths, strict=True))


def plain_read(files: list[tuple[Path, int]]) -> int:
    rows = 0
    for path, width in files:
        rows += len(pd.read_csv(path, header=None, names=range(width), encoding="utf-8-sig"))
    return rows


def full_import(data_root: Path, target: Path) -> warehouse.ImportSummary:
    return warehouse.build(SOURCES, data_root, target, derive=derived.STEPS)


@pytest.mark.benchmark(group="import")
def test_full_import(benchmark, data_root, tmp_path):
    summary = benchmark.pedantic(full_import, args=(data_root, tmp_path / "warehouse.duckdb"),
                                 rounds=5, warmup_rounds=1)
    MEANS["import"] = benchmark.stats.stats.mean
    assert summary.tables["enrollment"] > 0


@pytest.mark.benchmark(group="import")
def test_plain_pandas_read_of_the_same_files(benchmark, data_root):
    files = files_with_widths(data_root)
    rows = benchmark.pedantic(plain_read, args=(files,), rounds=5, warmup_rounds=1)
    MEANS["plain"] = benchmark.stats.stats.mean
    assert rows > 0
    if "import" in MEANS:
        ratio = MEANS["import"] / MEANS["plain"]
        benchmark.extra_info["import_over_plain_read"] = round(ratio, 2)
        print(f"\nimport {MEANS['import']:.3f} s / plain pandas read {MEANS['plain']:.3f} s "
              f"= {ratio:.2f} ({len(files)} files)")
