"""Shared fixtures: the real data under ../shared/data and a warehouse built from it once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from alliance import config

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def data_root() -> Path:
    root = Path(os.environ.get(config.DATA_ENV, PROJECT.parent / "shared" / "data")).resolve()
    if not (root / "raw").is_dir():
        pytest.fail(f"real data not found at {root}: set ALLIANCE_DATA or lay out ../shared/data")
    return root


@pytest.fixture(scope="session")
def warehouse(data_root, tmp_path_factory) -> Path:
    """A warehouse built once per test session from the real data, in a private ALLIANCE_HOME."""
    from alliance.data import derived
    from alliance.data import warehouse as wh
    from alliance.data.registry import SOURCES

    home = tmp_path_factory.mktemp("alliance-home")
    target = home / "warehouse.duckdb"
    wh.build(SOURCES, data_root, target, derive=derived.STEPS)
    return target


@pytest.fixture()
def alliance_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv(config.HOME_ENV, str(tmp_path))
    return tmp_path
