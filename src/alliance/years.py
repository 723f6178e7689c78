"""School years, fiscal years and fall years: the one place they are converted.

A school year is written ``2023-24``; it starts in the fall of 2023 (its *fall year*) and is
fiscal year ``FY2024`` (July 1 2023 - June 30 2024). Connecticut's fiscal year starts July 1.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_FISCAL_YEAR = re.compile(r"^(?:FY)?\s*(\d{4})$", re.IGNORECASE)


@total_ordering
@dataclass(frozen=True)
class SchoolYear:
    """A school year such as 2023-24, identified by the calendar year of its fall."""

    fall_year: int

    @classmethod
    def parse(cls, text: str | int) -> SchoolYear:
        """Read ``2023-24`` (or a fall year such as 2023)."""
        if isinstance(text, int):
            return cls(text)
        match = _SCHOOL_YEAR.match(str(text).strip())
        if not match:
            raise ValueError(f"not a school year: {text!r} (expected the form 2023-24)")
        fall, end = int(match.group(1)), int(match.group(2))
        if (fall + 1) % 100 != end:
            raise ValueError(f"not a school year: {text!r} ({fall} is not followed by {end:02d})")
        return cls(fall)

    @classmethod
    def of_fiscal_year(cls, fiscal_year: int) -> SchoolYear:
        return cls(fiscal_year - 1)

    @property
    def fiscal_year(self) -> int:
        return self.fall_year + 1

    @property
    def label(self) -> str:
        return f"{self.fall_year}-{(self.fall_year + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label

    def __lt__(self, other: SchoolYear) -> bool:
        return self.fall_year < other.fall_year

    def shifted(self, years: int) -> SchoolYear:
        return SchoolYear(self.fall_year + years)


def parse_fiscal_year(text: str | int) -> int:
    """Read ``FY2024``, ``fy2024``, ``2024`` or the int 2024 as the fiscal year ending in 2024."""
    if isinstance(text, int):
        return text
    match = _FISCAL_YEAR.match(str(text).strip())
    if not match:
        raise ValueError(f"not a fiscal year: {text!r} (expected the form FY2024 or 2024)")
    return int(match.group(1))


def fiscal_year_label(fiscal_year: int) -> str:
    return f"FY{fiscal_year}"


def fiscal_year_start(fiscal_year: int) -> dt.date:
    """July 1 of the calendar year before the year the fiscal year is named after."""
    return dt.date(fiscal_year - 1, 7, 1)


def fiscal_year_of_date(day: dt.date) -> int:
    return day.year + 1 if day.month >= 7 else day.year


def school_year_label(fall_year: int) -> str:
    return SchoolYear(fall_year).label
