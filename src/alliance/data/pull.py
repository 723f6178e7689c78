"""Download the official exports from the state's open-data portal (Socrata, data.ct.gov).

Each dataset is fetched as CSV page by page (``$limit``/``$offset``, ordered by row id) into
``raw/<folder>/<file>`` under a data root, the layout the readers expect, with the header in the
official export's display names (from the dataset's ``/api/views/<id>.json`` column metadata). Downloads are
resumable: pages go to ``<file>.part`` and the rows done so far to ``<file>.part.json``, so an
interrupted run continues where it stopped; a file the manifest already records with a matching
checksum is skipped. Failed requests are retried a bounded number of times. ``MANIFEST.json``
beside the files records each file's sha256, size, rows, URL and download time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from alliance.data.source import sha256_of
from alliance.errors import DataError, Problem

DEFAULT_BASE_URL = "https://data.ct.gov"
BASE_URL_ENV = "ALLIANCE_OPEN_DATA_URL"
MANIFEST = "MANIFEST.json"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Dataset:
    """One Socrata dataset and where its export lives under ``raw/``."""

    id: str
    folder: str
    file: str
    title: str


DATASETS = [
    Dataset("h28j-iix5", "datact-h28j-iix5", "h28j-iix5.csv", "Next Generation Accountability System"),
]


@dataclass(frozen=True)
class PullOptions:
    page_size: int = 50_000
    attempts: int = 5
    backoff_seconds: float = 1.0
    timeout_seconds: float = 60.0


class PullError(DataError):
    """A download that failed for good (after its retries) or returned something unusable."""

    def __init__(self, url: str, reason: str):
        super().__init__([Problem(url, None, None, reason)])


def base_url(explicit: str | None = None) -> str:
    return (explicit or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def dataset_by_id(dataset_id: str) -> Dataset:
    for dataset in DATASETS:
        if dataset.id == dataset_id:
            return dataset
    known = ", ".join(d.id for d in DATASETS)
    raise DataError([Problem(dataset_id, None, None, f"unknown dataset (known: {known})")])


def pull(
    data_root: Path,
    datasets: list[Dataset],
    url: str,
    options: PullOptions = PullOptions(),
    progress: Callable[[str], None] = lambda _: None,
) -> list[dict]:
    """Fetch every dataset; returns one manifest entry per file (with its status)."""
    entries = []
    with httpx.Client(timeout=options.timeout_seconds, follow_redirects=True) as client:
        for dataset in datasets:
            progress(dataset.id)
            entries.append(Download(client, url, dataset, data_root, options).run())
    return entries


class Download:
    """One dataset's file: resume what is there, fetch the rest, record the checksum."""

    def __init__(self, client: httpx.Client, url: str, dataset: Dataset, data_root: Path,
                 options: PullOptions):
        self.client = client
        self.dataset = dataset
        self.options = options
        self.url = f"{url}/resource/{dataset.id}.csv"
        self.metadata_url = f"{url}/api/views/{dataset.id}.json"
        self.folder = data_root / "raw" / dataset.folder
        self.target = self.folder / dataset.file
        self.part = self.target.with_name(self.target.name + ".part")
        self.state_file = self.target.with_name(self.target.name + ".part.json")

    def run(self) -> dict:
        self.folder.mkdir(parents=True, exist_ok=True)
        recorded = read_manifest(self.folder).get(self.dataset.file)
        if recorded and self.target.exists() and sha256_of(self.target) == recorded["sha256"]:
            return {**recorded, "file": self.dataset.file, "status": "already complete"}
        state = self._resume_state()
        while True:
            page = self._fetch(state["rows"])
            header, body, rows = split_page(page, self.url)
            if state["header"] is None:
                state["header"] = header
            elif header != state["header"]:
                raise PullError(self.url, f"page at offset {state['rows']} has a different header")
            self._append(self._display_header(header) if state["rows"] == 0 else "", body)
            state["rows"] += rows
            state["bytes"] = self.part.stat().st_size
            self._save_state(state)
            if rows < self.options.page_size:
                break
        return self._complete(state)

    def _resume_state(self) -> dict:
        """Continue a partial file from its last complete page; otherwise start afresh."""
        if self.part.exists() and self.state_file.exists():
            state = json.loads(self.state_file.read_text())
            with self.part.open("r+b") as handle:
                handle.truncate(state["bytes"])
            return state
        self.part.unlink(missing_ok=True)
        return {"rows": 0, "bytes": 0, "header": None}

    def _fetch(self, offset: int) -> str:
        params = {"$limit": self.options.page_size, "$offset": offset, "$order": ":id"}
        return self._get(self.url, params, f"offset {offset}")

    def _get(self, url: str, params: dict, what: str) -> str:
        last = ""
        for attempt in range(self.options.attempts):
            if attempt:
                time.sleep(self.options.backoff_seconds * 2 ** (attempt - 1))
            try:
                response = self.client.get(url, params=params)
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code == 200:
                return response.text
            last = f"HTTP {response.status_code}"
            if response.status_code not in RETRY_STATUSES:
                break
        raise PullError(url, f"{what}: failed after {attempt + 1} attempt(s) ({last})")

    def _display_header(self, header: str) -> str:
        """The API names its CSV columns by field name (``accountability_index``); the official
        export, which the readers know, by display name (``Accountability Index ``). The
        dataset's metadata maps one to the other; a column it does not name keeps its name."""
        text = self._get(self.metadata_url, {}, "column metadata")
        try:
            names = {c["fieldName"]: c["name"] for c in json.loads(text)["columns"]}
        except (json.JSONDecodeError, KeyError, TypeError):
            raise PullError(self.metadata_url, "not Socrata view metadata (no columns with "
                                               "fieldName and name)") from None
        fields = next(csv.reader([header]))
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(
            [names.get(field, field) for field in fields])
        return out.getvalue()

    def _append(self, header: str, body: str) -> None:
        with self.part.open("a", encoding="utf-8", newline="") as handle:
            handle.write(header + body)
            handle.flush()
            os.fsync(handle.fileno())

    def _save_state(self, state: dict) -> None:
        write_atomically(self.state_file, json.dumps(state))

    def _complete(self, state: dict) -> dict:
        os.replace(self.part, self.target)
        self.state_file.unlink(missing_ok=True)
        entry = {
            "dataset": self.dataset.id,
            "title": self.dataset.title,
            "url": self.url,
            "sha256": sha256_of(self.target),
            "bytes": self.target.stat().st_size,
            "rows": state["rows"],
            "downloaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        manifest = read_manifest(self.folder)
        manifest[self.dataset.file] = entry
        write_atomically(self.folder / MANIFEST, json.dumps({"files": manifest}, indent=2, sort_keys=True))
        return {**entry, "file": self.dataset.file, "status": "downloaded"}


def split_page(text: str, url: str) -> tuple[str, str, int]:
    """A CSV page as (header line, data lines, number of records); quoted newlines allowed."""
    if not text.strip():
        raise PullError(url, "empty response (a Socrata CSV page always has a header)")
    reader = csv.reader(io.StringIO(text))
    try:
        next(reader)
        header_lines = reader.line_num
        rows = sum(1 for row in reader if row)
    except csv.Error as exc:
        raise PullError(url, f"malformed CSV page: {exc}") from None
    lines = io.StringIO(text).readlines()
    header, body = "".join(lines[:header_lines]), "".join(lines[header_lines:])
    if not header.endswith("\n"):
        header += "\n"
    if body and not body.endswith("\n"):
        body += "\n"
    return header, body, rows


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text()).get("files", {})
    except (json.JSONDecodeError, AttributeError):
        reason = "not a valid manifest (JSON with 'files')"
        raise DataError([Problem(str(path), None, None, reason)]) from None


def write_atomically(path: Path, text: str) -> None:
    staging = path.with_name(path.name + ".tmp")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, path)
