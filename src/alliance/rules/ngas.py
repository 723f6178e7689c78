"""The Next Generation Accountability Index, computed from indicator rates (vectorised).

Input: one row per entity (district, school or state) and school year, in the warehouse layout of
``accountability`` (``<indicator>_rate`` columns; ``<indicator>_possible`` where the export states
which indicators apply; ``fiscal_year``). Parameters: ``ngas.*`` in force for each fiscal year.
Output: per row, each indicator's earned and possible points, the totals, the index, the flags,
and the basis of the possible points. Published earned points and index are never read here.

Rules (docs/methodology.md, "Accountability Index (NGAS)"):
- points = min(rate / target, 1) × max; chronic absenteeism: max × clamp((30% − r) / 25%, 0, 1);
  fitness: × the share kept at its test-participation band;
- max = the published possible cell, when the export has possible cells for the row (a cell with
  a missing rate earns zero); otherwise the parameter maximum for every rate present, the
  achievement maxima chosen by entity kind (growth / high_school / no_growth);
- index = 100 × earned / possible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliance.parameters import Parameters

ACHIEVEMENT = ("pi_ela_all", "pi_ela_hn", "pi_math_all", "pi_math_hn", "pi_sci_all", "pi_sci_hn")
SCIENCE = ("pi_sci_all", "pi_sci_hn")
GROWTH = ("growth_ela_all", "growth_math_all", "growth_ela_hn", "growth_math_hn")
ENGLISH_LEARNER = ("elp_literacy", "elp_oral")
CHRONIC_ABSENCE = ("chronic_absence_all", "chronic_absence_hn")
RATIO_OTHER = ("prep_coursework", "prep_exams", "on_track_9th", "grad_4yr", "grad_6yr_hn",
               "postsecondary_entrance", "arts_access")
FITNESS = "fitness"
INDICATORS = ACHIEVEMENT + GROWTH + ENGLISH_LEARNER + CHRONIC_ABSENCE + RATIO_OTHER + (FITNESS,)
AREAS = ("achievement", "growth", "engagement", "readiness", "graduation", "postsecondary", "wellness",
         "arts")
PARTICIPATION = tuple(f"participation_{s}_{g}_rate" for s in ("ela", "math", "sci") for g in ("all", "hn"))
GAP_SUBJECTS = {"ela": "pi_ela", "math": "pi_math", "sci": "pi_sci"}
KINDS = ("growth", "high_school", "no_growth")


@dataclass(frozen=True)
class NgasRules:
    """The ``ngas.*`` parameters in force for one fiscal year."""

    fiscal_year: int
    targets: dict[str, float]
    achievement_maxima: dict[str, dict[str, float]]
    indicator_maxima: dict[str, float]
    high_school_indicators: list[str]
    science_in_index: bool
    chronic_absence_scale: dict[str, float]
    fitness_participation_factors: list[list[float]]
    participation_threshold: float
    achievement_gap_nhn_cap: float
    graduation_gap_nhn_cap: float
    graduation_gap_floor: float | None
    areas: dict[str, str]

    @classmethod
    def for_year(cls, params: Parameters, fiscal_year: int) -> NgasRules:
        values: dict[str, Any] = params.group("ngas", fiscal_year)
        fields = {name: values[name] for name in cls.__dataclass_fields__ if name != "fiscal_year"}
        return cls(fiscal_year=fiscal_year, **fields)

    def maximum(self, indicator: str, kind: str) -> float:
        if indicator in ACHIEVEMENT:
            return float(self.achievement_maxima[kind][indicator])
        return float(self.indicator_maxima[indicator])


def rate_columns(indicators=INDICATORS) -> list[str]:
    return [f"{i}_rate" for i in indicators]


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A numeric column as floats, or all-missing when the export does not have it."""
    if name in frame.columns:
        return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return np.full(len(frame), np.nan)


def _matrix(frame: pd.DataFrame, names: list[str]) -> np.ndarray:
    """Rows × names float matrix (missing columns all-NaN)."""
    return np.column_stack([_column(frame, name) for name in names]) if names else np.empty((len(frame), 0))


@dataclass(frozen=True)
class YearTable:
    """The rules of every fiscal year in the input, as arrays indexed by year position."""

    rules: list[NgasRules]
    row_year: np.ndarray                # each row's position in ``rules``

    @classmethod
    def build(cls, fiscal_years: np.ndarray, params: Parameters) -> YearTable:
        years, positions = np.unique(fiscal_years.astype(int), return_inverse=True)
        return cls([NgasRules.for_year(params, int(y)) for y in years], positions)

    def per_row(self, value_of) -> np.ndarray:
        """``value_of(rules)`` (a scalar or a vector) for each row's year."""
        values = np.array([value_of(rules) for rules in self.rules], dtype="float64")
        return values[self.row_year]


# --- applicability (possible points) --------------------------------------------------------------

def _positions(names) -> list[int]:
    return [INDICATORS.index(name) for name in names]


def entity_kind(rates: np.ndarray, years: YearTable) -> np.ndarray:
    """growth if any growth rate; high_school if any high-school-only rate; else no_growth."""
    has_growth = ~np.isnan(rates[:, _positions(GROWTH)]).all(axis=1)
    high_school = years.per_row(lambda r: [i in r.high_school_indicators for i in INDICATORS]).astype(bool)
    has_high_school = (~np.isnan(rates) & high_school).any(axis=1)
    return np.where(has_growth, "growth", np.where(has_high_school, "high_school", "no_growth"))


def possible_from_rates(rates: np.ndarray, kind: np.ndarray, years: YearTable) -> np.ndarray:
    """Each indicator's maximum where its rate is present (for rows without published cells)."""
    maxima = np.zeros(rates.shape)
    for name in KINDS:
        of_kind = years.per_row(lambda r, k=name: [r.maximum(i, k) for i in INDICATORS])
        maxima = np.where((kind == name)[:, None], of_kind, maxima)
    counted = years.per_row(lambda r: [r.science_in_index or i not in SCIENCE for i in INDICATORS])
    return np.where(~np.isnan(rates) & counted.astype(bool), maxima, 0.0)


def possible_points(frame: pd.DataFrame, rates: np.ndarray, kind: np.ndarray,
                    years: YearTable) -> tuple[np.ndarray, np.ndarray]:
    """Possible points per indicator, and per row the basis: 'published' cells or 'rates'."""
    published = _matrix(frame, [f"{i}_possible" for i in INDICATORS])
    has_published = ~np.isnan(published).all(axis=1)
    derived = possible_from_rates(rates, kind, years)
    possible = np.where(has_published[:, None], np.nan_to_num(published, nan=0.0), derived)
    return possible, np.where(has_published, "published", "rates")


# --- earned points --------------------------------------------------------------------------------

def ratio_points(rate, target, maximum) -> np.ndarray:
    """min(rate / target, 1) × maximum; a missing rate earns 0."""
    return np.nan_to_num(np.minimum(np.asarray(rate) / target, 1.0) * maximum, nan=0.0)


def chronic_absence_points(rate, maximum, full_points_at, zero_points_at) -> np.ndarray:
    """Full points at or below the low rate, none at or above the high rate, linear between."""
    share = np.clip((zero_points_at - np.asarray(rate)) / (zero_points_at - full_points_at), 0.0, 1.0)
    return np.nan_to_num(share * maximum, nan=0.0)


def fitness_share(participation: np.ndarray, bands: list[list[float]]) -> np.ndarray:
    """Share of the fitness points kept: the first band (highest minimum first) the rate reaches."""
    ordered = sorted(bands, key=lambda band: band[0], reverse=True)
    conditions = [participation >= minimum for minimum, _ in ordered]
    shares = [share for _, share in ordered]
    return np.where(np.isnan(participation), 1.0, np.select(conditions, shares, default=0.0))


def earned_points(rates: np.ndarray, possible: np.ndarray, participation: np.ndarray,
                  years: YearTable) -> np.ndarray:
    targets = years.per_row(lambda r: [r.targets.get(i, np.nan) for i in INDICATORS])
    earned = ratio_points(rates, targets, possible)
    chronic = _positions(CHRONIC_ABSENCE)
    full = years.per_row(lambda r: r.chronic_absence_scale["full_points_at"])[:, None]
    zero = years.per_row(lambda r: r.chronic_absence_scale["zero_points_at"])[:, None]
    earned[:, chronic] = chronic_absence_points(rates[:, chronic], possible[:, chronic], full, zero)
    share = np.ones(len(rates))
    for position, rules in enumerate(years.rules):
        in_year = years.row_year == position
        share[in_year] = fitness_share(participation[in_year], rules.fitness_participation_factors)
    earned[:, INDICATORS.index(FITNESS)] *= share
    return earned


# --- flags ------------------------------------------------------------------------------------------

def _any_true(conditions: np.ndarray, known: np.ndarray) -> pd.array:
    """True if any condition holds; NA when no input of the row is known."""
    result = pd.array(conditions.any(axis=1), dtype="boolean")
    result[~known.any(axis=1)] = pd.NA
    return result


def flags(frame: pd.DataFrame, years: YearTable) -> dict[str, object]:
    """Participation, achievement-gap and graduation-gap flags with the gaps behind them."""
    participation = _matrix(frame, list(PARTICIPATION))
    threshold = years.per_row(lambda r: r.participation_threshold)[:, None]
    out: dict[str, object] = {
        "participation_flag": _any_true(participation < threshold, ~np.isnan(participation)),
    }
    cap = years.per_row(lambda r: r.achievement_gap_nhn_cap)
    gaps = np.column_stack([
        np.minimum(_column(frame, f"{stem}_nhn_rate"), cap) - _column(frame, f"{stem}_hn_rate")
        for stem in GAP_SUBJECTS.values()
    ])
    hurdles = _matrix(frame, [f"hurdle_{subject}" for subject in GAP_SUBJECTS])
    for position, subject in enumerate(GAP_SUBJECTS):
        out[f"{subject}_gap"] = gaps[:, position]
    out["achievement_gap_flag"] = _any_true(gaps > hurdles, ~np.isnan(gaps) & ~np.isnan(hurdles))
    grad_cap = years.per_row(lambda r: r.graduation_gap_nhn_cap)
    floor = years.per_row(lambda r: np.nan if r.graduation_gap_floor is None else r.graduation_gap_floor)
    grad_gap = np.minimum(_column(frame, "grad6_nhn_rate"), grad_cap) - _column(frame, "grad6_hn_rate")
    grad_gap = np.where(np.isnan(floor), grad_gap, np.fmax(grad_gap, floor))
    hurdle = _column(frame, "hurdle_grad")
    out["grad6_gap"] = grad_gap
    out["grad_gap_flag"] = _any_true((grad_gap * 100 > hurdle)[:, None],
                                     (~np.isnan(grad_gap) & ~np.isnan(hurdle))[:, None])
    return out


# --- the index ----------------------------------------------------------------------------------------

def compute_index(frame: pd.DataFrame, params: Parameters) -> pd.DataFrame:
    """Score every entity-year in one vectorised pass; each row uses its own year's parameters."""
    if frame.empty:
        return pd.DataFrame()
    years = YearTable.build(_column(frame, "fiscal_year"), params)
    rates = _matrix(frame, rate_columns())
    kind = entity_kind(rates, years)
    possible, basis = possible_points(frame, rates, kind, years)
    earned = earned_points(rates, possible, _column(frame, "fitness_participation_rate"), years)
    total, available = earned.sum(axis=1), possible.sum(axis=1)
    columns: dict[str, object] = {
        "entity_kind": kind,
        "possible_basis": basis,
        "index": _percent(total, available),
        "points": total,
        "possible": available,
    }
    for position, indicator in enumerate(INDICATORS):
        columns[f"{indicator}_points"] = earned[:, position]
        columns[f"{indicator}_possible"] = possible[:, position]
    columns |= _areas(earned, possible, years)
    columns |= flags(frame, years)
    return pd.DataFrame(columns, index=frame.index)


def _percent(points: np.ndarray, possible: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(possible > 0, 100 * points / possible, np.nan)


def _areas(earned: np.ndarray, possible: np.ndarray, years: YearTable) -> dict[str, np.ndarray]:
    out = {}
    for area in AREAS:
        member = years.per_row(lambda r, a=area: [r.areas.get(i) == a for i in INDICATORS])
        points, available = (earned * member).sum(axis=1), (possible * member).sum(axis=1)
        out[f"{area}_points"] = points
        out[f"{area}_possible"] = available
        out[f"{area}_index"] = _percent(points, available)
    return out


# --- validation against the published figures -------------------------------------------------------

def compare_with_published(frame: pd.DataFrame, scored: pd.DataFrame) -> pd.DataFrame:
    """Computed vs published index and points, and the indicator whose points differ most."""
    published_points = np.nan_to_num(_matrix(frame, [f"{i}_points" for i in INDICATORS]), nan=0.0)
    computed_points = scored[[f"{i}_points" for i in INDICATORS]].to_numpy()
    differences = computed_points - published_points
    worst = np.abs(differences).argmax(axis=1)
    rows = np.arange(len(frame))
    return pd.DataFrame({
        "published_index": _column(frame, "index"),
        "published_points": _column(frame, "total_points"),
        "published_possible": _column(frame, "possible_points"),
        "index_error": scored["index"] - _column(frame, "index"),
        "points_error": scored["points"] - _column(frame, "total_points"),
        "possible_error": scored["possible"] - _column(frame, "possible_points"),
        "worst_indicator": np.array(INDICATORS)[worst],
        "worst_indicator_error": differences[rows, worst],
    }, index=frame.index)
