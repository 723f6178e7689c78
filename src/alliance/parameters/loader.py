"""Load, validate and look up dated, cited parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from alliance.errors import ParameterError
from alliance.years import fiscal_year_start

PARAMETER_ROOT = Path(__file__).parent
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it: 5x faster


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=3)
    href: str = Field(pattern=r"^(https?://|docs/|\.\./shared/)")


class Valid(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min: float | None = None
    max: float | None = None
    choices: list[Any] | None = None


class Parameter(BaseModel):
    """One rule value over time, with what it means and where it comes from."""

    model_config = ConfigDict(extra="forbid")
    name: str = ""
    description: str = Field(min_length=10)
    unit: str
    valid: Valid | None = None
    values: dict[dt.date, Any]
    reference: list[Reference] = Field(min_length=1)
    confidence: Literal["confirmed", "secondary", "unconfirmed", "derived-from-data"]
    note: str | None = None

    @field_validator("values")
    @classmethod
    def _dated_values(cls, values: dict[dt.date, Any]) -> dict[dt.date, Any]:
        if not values:
            raise ValueError("needs at least one dated value")
        for day in values:
            if (day.month, day.day) != (7, 1):
                raise ValueError(f"{day}: values take effect on July 1, the first day of a fiscal year")
        return dict(sorted(values.items()))

    def check_bounds(self) -> None:
        for day, value in self.values.items():
            for key, item in _leaves(value):
                problem = _out_of_bounds(item, self.valid)
                if problem:
                    raise ParameterError(f"{self.name}: key values.{day}{key}: {problem}")

    def value_for(self, fiscal_year: int) -> Any:
        """The value in force for a fiscal year."""
        start = fiscal_year_start(fiscal_year)
        in_force = [value for day, value in self.values.items() if day <= start]
        if not in_force:
            first = next(iter(self.values))
            raise ParameterError(
                f"{self.name} has no value for FY{fiscal_year}; its first value takes effect {first}"
            )
        return in_force[-1]

    def citation(self) -> str:
        return "; ".join(f"{ref.title} <{ref.href}>" for ref in self.reference)


def _leaves(value: Any, key: str = ""):
    """Every scalar inside a value, with its key path (``.growth.pi_ela_all``, ``[2].points``)."""
    if isinstance(value, Mapping):
        for name, item in value.items():
            yield from _leaves(item, f"{key}.{name}")
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _leaves(item, f"{key}[{position}]")
    else:
        yield key, value


def _out_of_bounds(value: Any, valid: Valid | None) -> str | None:
    if valid is None:
        return None
    if valid.choices is not None and value not in valid.choices:
        return f"{value!r} is not one of {valid.choices}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if valid.min is not None and value < valid.min:
        return f"{value} is below the minimum {valid.min}"
    if valid.max is not None and value > valid.max:
        return f"{value} is above the maximum {valid.max}"
    return None


class Parameters:
    """Every parameter by dotted name, with lookups by fiscal year and policy overrides."""

    def __init__(self, parameters: Mapping[str, Parameter]):
        self._parameters = dict(parameters)

    def __contains__(self, name: str) -> bool:
        return name in self._parameters

    def names(self) -> list[str]:
        return sorted(self._parameters)

    def parameter(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            close = [n for n in self._parameters if n.split(".")[-1] == name.split(".")[-1]]
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise ParameterError(f"no parameter named {name!r}{hint}") from None

    def get(self, name: str, fiscal_year: int) -> Any:
        return self.parameter(name).value_for(fiscal_year)

    def group(self, prefix: str, fiscal_year: int) -> dict[str, Any]:
        """Every value under a folder, by its short name, for one fiscal year."""
        start = prefix.rstrip(".") + "."
        return {name[len(start):]: p.value_for(fiscal_year)
                for name, p in self._parameters.items() if name.startswith(start)}

    def override(self, changes: Mapping[str, Any], from_fiscal_year: int | None = None) -> Parameters:
        """A copy with some values replaced: for every year, or from one fiscal year on.

        Overridden values are checked against the parameter's declared range.
        """
        updated = dict(self._parameters)
        for name, value in changes.items():
            base = self.parameter(name)
            if from_fiscal_year is None:
                values = {next(iter(base.values)): value}
            else:
                start = fiscal_year_start(from_fiscal_year)
                values = {d: v for d, v in base.values.items() if d < start} | {start: value}
            changed = base.model_copy(update={"values": values})
            changed.check_bounds()
            updated[name] = changed
        return Parameters(updated)


def read_parameter_file(path: Path, root: Path) -> Parameter:
    name = ".".join(path.relative_to(root).with_suffix("").parts)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML: {exc}") from None
    except ValueError as exc:  # a date key YAML reads but the calendar refuses, e.g. 2012-13-01
        raise ParameterError(f"{path}: key values: not a date: {exc}") from None
    if not isinstance(raw, dict):
        raise ParameterError(f"{path}: expected a mapping with description, unit, values, reference")
    try:
        parameter = Parameter.model_validate({**raw, "name": name})
    except ValidationError as exc:
        details = "; ".join(
            f"key {'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ParameterError(f"{path}: {details}") from None
    try:
        parameter.check_bounds()
    except ParameterError as exc:
        raise ParameterError(f"{path}: {exc}") from None
    return parameter


def load_parameters(root: Path | None = None) -> Parameters:
    """Read and validate every parameter file under ``root`` (default: the package's tree)."""
    if root is None:
        return _package_parameters()
    return _load(root)


@cache
def _package_parameters() -> Parameters:
    return _load(PARAMETER_ROOT)


def _load(root: Path) -> Parameters:
    files = sorted(root.rglob("*.yaml"))
    return Parameters({p.name: p for p in (read_parameter_file(f, root) for f in files)})
