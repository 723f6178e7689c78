"""Scenarios as data: a YAML file that changes some parameters of the current law.

Modelled on Tax-Calculator's reform files: the change is data, with a title, the reason for it
and its sources, and every override names an existing parameter and stays within its declared
range. A bad file is refused with its path, the key and the reason.

    title: Designate every eligible district below an index bar
    rationale: ...
    references: [{title: ..., href: ...}]
    baseline: current-law
    effective_fy: 2023          # optional: overrides apply from this fiscal year on
    overrides:
      selection.mode: threshold
      selection.index_threshold: 65
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alliance.errors import ParameterError
from alliance.parameters.loader import Parameters, Reference, load_parameters

BASELINES = ("current-law",)


class Scenario(BaseModel):
    """A policy change: what it is, why, where it comes from, and the parameter values it sets."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=3)
    rationale: str = Field(min_length=10)
    references: list[Reference] = Field(min_length=1)
    baseline: Literal["current-law"] = "current-law"
    effective_fy: int | None = Field(default=None, ge=2013, le=2100)
    overrides: dict[str, Any] = Field(min_length=1)
    source: str = ""

    def apply(self, params: Parameters) -> Parameters:
        """The baseline parameters with this scenario's overrides (range-checked)."""
        return params.override(self.overrides, from_fiscal_year=self.effective_fy)


def load_scenario(path: str | Path, baseline: Parameters | None = None) -> tuple[Scenario, Parameters]:
    """Read, validate and apply a scenario file; returns it and its parameters."""
    path = Path(path)
    scenario = _parse(path)
    baseline = baseline or load_parameters()
    for name in scenario.overrides:
        if name not in baseline:
            close = [n for n in baseline.names() if n.split(".")[-1] == name.split(".")[-1]]
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise ParameterError(f"{path}: key overrides.{name}: no parameter named {name!r}{hint}")
    for name, value in scenario.overrides.items():
        current = list(baseline.parameter(name).values.values())[-1]
        problem = shape_problem(current, value)
        if problem:
            raise ParameterError(f"{path}: key overrides.{name}: {problem}")
        try:
            baseline.override({name: value}, from_fiscal_year=scenario.effective_fy)
        except ParameterError as exc:
            raise ParameterError(f"{path}: key overrides.{name}: {exc}") from None
    return scenario, scenario.apply(baseline)


def shape_problem(current: Any, value: Any) -> str | None:
    """Why ``value`` cannot replace ``current`` (a different kind of value), or None."""
    if isinstance(current, bool) or isinstance(value, bool):
        ok = isinstance(current, bool) and isinstance(value, bool)
    elif isinstance(current, int | float):
        ok = isinstance(value, int | float)
    elif isinstance(current, dict):
        if not isinstance(value, dict):
            return f"expected a mapping with keys {sorted(current)}, got {value!r}"
        if set(value) != set(current):
            return f"expected the keys {sorted(current)}, got {sorted(value)}"
        problems = [shape_problem(current[k], value[k]) for k in current]
        return next((f"{k}: {p}" for k, p in zip(current, problems, strict=True) if p), None)
    else:
        ok = isinstance(value, type(current))
    return None if ok else f"expected a {type(current).__name__} like {current!r}, got {value!r}"


def _parse(path: Path) -> Scenario:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"{path}: scenario file not found") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ParameterError(f"{path}: expected a mapping with title, rationale, references, overrides")
    try:
        return Scenario.model_validate({**raw, "source": str(path)})
    except ValidationError as exc:
        details = "; ".join(f"key {'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
                            for err in exc.errors())
        raise ParameterError(f"{path}: {details}") from None
