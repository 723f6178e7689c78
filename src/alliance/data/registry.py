"""Every source the warehouse imports. Add a reader's SOURCE here to import it."""

from __future__ import annotations

from alliance.data.readers import alspur as alspur_reader
from alliance.data.readers import designation_list, edsight2017, enrollment
from alliance.data.readers import ecs as ecs_reader
from alliance.data.source import Source

SOURCES: list[Source] = []
SOURCES.append(enrollment.SOURCE)
SOURCES.append(edsight2017.SOURCE)
SOURCES.append(designation_list.SOURCE)
SOURCES.append(ecs_reader.SOURCE)
SOURCES.append(alspur_reader.SOURCE)


def source_by_id(source_id: str) -> Source:
    for source in SOURCES:
        if source.id == source_id:
            return source
    known = ", ".join(s.id for s in SOURCES)
    raise KeyError(f"unknown source {source_id!r} (known: {known})")

from alliance.data.readers import accountability as accountability_reader  # noqa: E402

SOURCES.append(accountability_reader.SOURCE)
SOURCES.append(accountability_reader.EDBOT_SOURCE)
