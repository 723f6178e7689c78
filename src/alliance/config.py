"""Where things live: the home directory (warehouse, records) and the source-data root."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

HOME_ENV = "ALLIANCE_HOME"
DATA_ENV = "ALLIANCE_DATA"


def home_dir() -> Path:
    """ALLIANCE_HOME, or a per-user data directory."""
    configured = os.environ.get(HOME_ENV)
    path = Path(configured) if configured else Path(user_data_dir("alliance", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def warehouse_path() -> Path:
    return home_dir() / "warehouse.duckdb"


def data_root(explicit: str | Path | None = None) -> Path:
    """The source-data root (laid out as ``raw/<source>/...``).

    Order: an explicit ``--data`` option, then ALLIANCE_DATA, then ``../shared/data`` beside the
    working directory (the layout of a development checkout and of CI).
    """
    for candidate in (explicit, os.environ.get(DATA_ENV)):
        if candidate:
            return Path(candidate).expanduser().resolve()
    return (Path.cwd() / ".." / "shared" / "data").resolve()
