"""District and town identity: 7-digit district codes and 3-digit town codes, never floats.

The last two digits of a district code give its organisation type; a local district's code is
its town code × 10,000 + 11 (Hartford, town 64 → ``0640011``).
"""

from __future__ import annotations

import re

STATE_CODE = "0000000"

ORG_TYPES = {
    "11": "local",
    "12": "regional",
    "13": "charter",
    "14": "resc",
    "15": "unified",
    "16": "technical",
    "18": "other",
    "22": "endowed_academy",
}

_GUARDED = re.compile(r'^="?(\d+)"?$')


def normalize_district_code(raw: object) -> str:
    """Return the 7-digit code for ``0640011``, ``640011``, ``="0640011"`` or 640011.0.

    Raises ValueError naming the raw value when it is not a district code.
    """
    text = str(raw).strip().strip('"')
    guarded = _GUARDED.match(text)
    if guarded:
        text = guarded.group(1)
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or len(text) > 7:
        raise ValueError(f"not a district code: {raw!r}")
    return text.zfill(7)


def org_type_of(district_code: str) -> str:
    """Organisation type from the code suffix (``local``, ``regional``, ``charter`` ...)."""
    suffix = district_code[-2:]
    if district_code == STATE_CODE:
        return "state"
    if suffix not in ORG_TYPES:
        raise ValueError(f"district code {district_code} has an unknown organisation suffix {suffix}")
    return ORG_TYPES[suffix]


def town_code_of_local_district(district_code: str) -> int | None:
    """The town of a local district (suffix 11); None for every other organisation type."""
    if org_type_of(district_code) != "local":
        return None
    return int(district_code[:-4])


def local_district_code(town_code: int) -> str:
    if not 1 <= town_code <= 169:
        raise ValueError(f"not a Connecticut town code: {town_code} (expected 1-169)")
    return f"{town_code * 10000 + 11:07d}"
