"""What a data source is: where its files live, who published them, and how to read them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

SOURCE_ID = "source_id"
# The table a reader fills with the files it read but did not import, and why (file, reason).
NOT_IMPORTED = "source_files_not_imported"


@dataclass(frozen=True)
class Source:
    """One folder under ``raw/`` and the reader that turns its files into warehouse tables.

    ``read`` takes the folder and returns tables by warehouse table name; every frame carries a
    ``source_id`` column naming this source (and, where useful, the file). A reader raises
    DataError for any bad file; the import then refuses the whole run.
    """

    id: str
    folder: str
    title: str
    publisher: str
    licence: str
    years: str
    as_of: str
    read: Callable[[Path], dict[str, pd.DataFrame]]
    files: tuple[str, ...] = field(default=("*.csv",))

    def path(self, data_root: Path) -> Path:
        return data_root / "raw" / self.folder

    def file_list(self, data_root: Path) -> list[Path]:
        folder = self.path(data_root)
        return sorted({p for pattern in self.files for p in folder.rglob(pattern)})


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
