"""``alliance data pull`` against a local Socrata look-alike on 127.0.0.1 (never the real host).

The server pages a fixture in the h28j-iix5 CSV format by ``$limit``/``$offset`` - as the API
does, with the columns named by field name (``accountability_index``), and the display names in
``/api/views/<id>.json`` - and can be told to fail a request (HTTP 503, 404, or a body cut off
mid-way) before answering it properly. The file written must equal the official export.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.data import pull

FIXTURE = Path(__file__).parent / "fixtures" / "h28j-iix5-sample.csv"
H28J = pull.dataset_by_id("h28j-iix5")
FAST = pull.PullOptions(page_size=2, attempts=3, backoff_seconds=0, timeout_seconds=5)


def records(text: str) -> tuple[str, list[str]]:
    """The header line and each record's exact text (a record may span lines)."""
    lines = io.StringIO(text).readlines()
    reader = csv.reader(lines)
    next(reader)
    header, done, out = lines[0], 1, []
    for _ in reader:
        out.append("".join(lines[done:reader.line_num]))
        done = reader.line_num
    return header, out


def field_name(display: str) -> str:
    """Socrata's API name for a column: lower case, runs of other characters as '_'."""
    return re.sub(r"[^a-z0-9]+", "_", display.strip().lower()).strip("_")


class Portal:
    """What the fake portal serves, what it is told to do wrong, and what it was asked."""

    def __init__(self, text: str):
        display, self.rows = records(text)
        names = next(csv.reader([display]))
        self.header = ",".join(f'"{field_name(n)}"' for n in names) + "\n"
        self.metadata = {"id": H28J.id, "columns": [{"fieldName": field_name(n), "name": n} for n in names]}
        self.faults: dict[int, list[str]] = {}     # offset -> faults to play, in order
        self.requests: list[tuple[str, int, int]] = []

    def page(self, offset: int, limit: int) -> str:
        return self.header + "".join(self.rows[offset:offset + limit])


class Handler(BaseHTTPRequestHandler):
    portal: Portal

    def do_GET(self):  # noqa: N802 (http.server's name)
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        offset, limit = int(query.get("$offset", 0)), int(query.get("$limit", 1000))
        self.portal.requests.append((url.path, offset, limit))
        if url.path == f"/api/views/{H28J.id}.json":
            return self._send(200, json.dumps(self.portal.metadata).encode())
        if url.path != f"/resource/{H28J.id}.csv":
            return self._send(404, b"no such dataset")
        faults = self.portal.faults.get(offset, [])
        fault = faults.pop(0) if faults else "ok"
        body = self.portal.page(offset, limit).encode()
        if fault == "cut":   # promise the whole page, send half, hang up
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return None
        if fault.isdigit():
            return self._send(int(fault), b"try later")
        return self._send(200, body)

    def _send(self, status: int, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", "text/csv; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def portal() -> Iterator[tuple[Portal, str]]:
    served = Portal(FIXTURE.read_text())
    handler = type("BoundHandler", (Handler,), {"portal": served})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield served, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def target(root: Path) -> Path:
    return root / "raw" / H28J.folder / H28J.file


def offsets(portal: Portal) -> list[int]:
    return [offset for path, offset, _ in portal.requests if path.startswith("/resource/")]


def test_pages_are_joined_into_the_export_with_a_checksum(portal, tmp_path):
    served, url = portal
    [entry] = pull.pull(tmp_path, [H28J], url, FAST)
    path = target(tmp_path)
    # 5 records in pages of 2: offsets 0, 2, 4 (the last page short, so the end)
    assert offsets(served) == [0, 2, 4]
    # the API's field names ("accountability_index") are written as the export's display names
    assert path.read_text() == FIXTURE.read_text()
    assert '"Accountability Index "' in path.read_text().splitlines()[0]
    manifest = json.loads((path.parent / pull.MANIFEST).read_text())["files"][H28J.file]
    assert manifest["sha256"] == hashlib.sha256(FIXTURE.read_bytes()).hexdigest()
    assert (manifest["bytes"], manifest["rows"]) == (FIXTURE.stat().st_size, 5)
    assert manifest["url"] == f"{url}/resource/h28j-iix5.csv"
    assert entry["status"] == "downloaded"


def test_page_exactly_full_ends_with_an_empty_page(portal, tmp_path):
    served, url = portal
    pull.pull(tmp_path, [H28J], url, pull.PullOptions(page_size=5, backoff_seconds=0))
    # 5 records, page of 5: a second request (offset 5) returns the header only
    assert offsets(served) == [0, 5]
    assert target(tmp_path).read_text() == FIXTURE.read_text()


def test_failing_then_succeeding_requests_are_retried(portal, tmp_path):
    served, url = portal
    served.faults = {2: ["503", "cut"], 4: ["429"]}
    pull.pull(tmp_path, [H28J], url, FAST)
    assert offsets(served) == [0, 2, 2, 2, 4, 4]
    assert target(tmp_path).read_text() == FIXTURE.read_text()


def test_retries_are_bounded(portal, tmp_path):
    served, url = portal
    served.faults = {2: ["503"] * 10}
    with pytest.raises(pull.PullError, match=r"offset 2: failed after 3 attempt\(s\) \(HTTP 503\)"):
        pull.pull(tmp_path, [H28J], url, FAST)
    assert offsets(served) == [0, 2, 2, 2]
    assert not target(tmp_path).exists()


def test_a_missing_dataset_is_not_retried(portal, tmp_path):
    served, url = portal
    missing = pull.Dataset("xxxx-0000", "nowhere", "x.csv", "missing")
    with pytest.raises(pull.PullError, match="HTTP 404"):
        pull.pull(tmp_path, [missing], url, FAST)
    assert offsets(served) == [0]


def test_an_interrupted_run_resumes_where_it_stopped(portal, tmp_path):
    served, url = portal
    served.faults = {4: ["500"] * 3}
    with pytest.raises(pull.PullError):
        pull.pull(tmp_path, [H28J], url, FAST)
    part = target(tmp_path).with_name(H28J.file + ".part")
    header, rows = records(FIXTURE.read_text())
    assert part.read_text() == header + "".join(rows[:4])      # pages at offsets 0 and 2 kept
    # Simulate a crash mid-append: bytes beyond the recorded state are dropped on resume.
    with part.open("a") as handle:
        handle.write('"2018","half a row')
    served.requests.clear()
    pull.pull(tmp_path, [H28J], url, FAST)
    assert offsets(served) == [4]
    assert target(tmp_path).read_text() == FIXTURE.read_text()
    assert not part.exists()


def test_a_complete_file_is_skipped(portal, tmp_path):
    served, url = portal
    pull.pull(tmp_path, [H28J], url, FAST)
    served.requests.clear()
    [entry] = pull.pull(tmp_path, [H28J], url, FAST)
    assert entry["status"] == "already complete" and served.requests == []
    target(tmp_path).write_text("changed")          # a file that no longer matches is fetched again
    [entry] = pull.pull(tmp_path, [H28J], url, FAST)
    assert entry["status"] == "downloaded" and target(tmp_path).read_text() == FIXTURE.read_text()


def test_a_page_with_another_header_is_refused(portal, tmp_path):
    served, url = portal
    original = served.page
    served.page = lambda offset, limit: (original(offset, limit) if offset == 0
                                         else "other,header\n" + "".join(served.rows[offset:offset + limit]))
    with pytest.raises(pull.PullError, match="different header"):
        pull.pull(tmp_path, [H28J], url, FAST)


def test_cli_pull_uses_the_base_url_option_and_env(portal, tmp_path, monkeypatch):
    served, url = portal
    monkeypatch.setenv(pull.BASE_URL_ENV, url)
    result = CliRunner().invoke(app, ["data", "pull", "--into", str(tmp_path), "--page-size", "2",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["files"][0]["rows"] == 5
    assert target(tmp_path).read_text() == FIXTURE.read_text()
    assert served.requests[0][0] == "/resource/h28j-iix5.csv"
