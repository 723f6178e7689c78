"""Every source the warehouse imports. Add a reader's SOURCE here to import it."""

from __future__ import annotations

from alliance.data.source import Source

SOURCES: list[Source] = []


def source_by_id(source_id: str) -> Source:
    for source in SOURCES:
        if source.id == source_id:
            return source
    known = ", ".join(s.id for s in SOURCES)
    raise KeyError(f"unknown source {source_id!r} (known: {known})")
