"""Every source the warehouse imports. Add a reader's SOURCE here to import it."""

from __future__ import annotations

from alliance.data.readers import (
    accountability,
    alspur,
    designation_list,
    ecs,
    edsight2017,
    enrollment,
)
from alliance.data.source import Source

SOURCES: list[Source] = [
    accountability.SOURCE,
    accountability.EDBOT_SOURCE,
    enrollment.SOURCE,
    edsight2017.SOURCE,
    designation_list.SOURCE,
    ecs.SOURCE,
    alspur.SOURCE,
]

