"""Errors that name what is wrong and where: file, line, column and reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One bad value or row in an input file."""

    file: str
    line: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.reason}"


class DataError(Exception):
    """An input was refused whole; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem], limit: int = 20):
        self.problems = problems
        in_order = sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or ""))
        shown = "\n  ".join(str(p) for p in in_order[:limit])
        more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
        super().__init__(f"{len(problems)} problem(s):\n  {shown}{more}")


class ParameterError(Exception):
    """A parameter file is malformed or a value is out of its declared range."""


class UnknownEntityError(LookupError):
    """A district, town or year that the data does not know."""
