"""The Education Cost Sharing (ECS) grant formula, FY2019 on (C.G.S. §§ 10-262f, 10-262h).

    need students    = residents + w_li × FRPL + w_cp × excess FRPL + w_el × EL
    base aid ratio   = max(floor, 1 − (w_p × ENGLPC / (1.35 × median) + w_i × MHI / (1.35 × median)))
                       + PIC points
    fully funded     = foundation × need students × aid ratio + regional and academy bonuses
    entitlement      = start + phase-in share × (fully funded − gap base),
                       then, for Alliance towns, at least the hold-harmless floors

Every value comes from ``parameters/ecs/`` for the fiscal year; the state's worksheet rounds at
set steps (``ecs.rounding``), and so does this module. Arithmetic is exact (Decimal), done on
whole-state arrays: one call computes every town of a year. FY2018 grants were set by statute,
not by this formula, so the phase-in parameters start with FY2019.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}
ZERO = Decimal(0)
ONE = Decimal(1)

# The formula's inputs, one row per town (see data/ecs_tables.py for how the warehouse fills them).
INPUT_COLUMNS = (
    "town_code", "town", "resident_students", "frpl_count", "ell_count", "engl_per_capita", "mhi",
    "pic_rank", "alliance", "priority", "rsd_students", "rsd_grades", "endowed_students",
    "endowed_grades", "fy2017_grant", "prior_grant",
)
_NUMERIC_INPUTS = ("resident_students", "frpl_count", "ell_count", "engl_per_capita", "mhi",
                   "rsd_students", "rsd_grades", "endowed_students", "endowed_grades", "fy2017_grant",
                   "prior_grant")


def decimal(value) -> Decimal:
    """Exact Decimal of a number; a float is read through its shortest repr (0.3 → 0.3, not 0.299…)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if hasattr(value, "item"):
        return decimal(value.item())
    return Decimal(value)


def decimals(values: Iterable) -> np.ndarray:
    """Exact Decimals of a column; Python scalars first (``tolist``), floats straight through repr."""
    items = values.tolist() if hasattr(values, "tolist") else list(values)
    return np.array([Decimal(repr(v)) if type(v) is float else decimal(v) for v in items], dtype=object)


@dataclass(frozen=True)
class EcsRules:
    """The ECS parameters in force for one fiscal year, as exact numbers."""

    fiscal_year: int
    foundation: Decimal
    low_income_weight: Decimal
    concentrated_poverty_weight: Decimal
    concentrated_poverty_threshold: Decimal
    english_learner_weight: Decimal
    property_weight: Decimal
    income_weight: Decimal
    wealth_threshold_factor: Decimal
    floor_alliance_or_priority: Decimal
    floor_other: Decimal
    pic_tiers: tuple[tuple[int, Decimal], ...]
    regional_bonus: Decimal
    endowed_bonus: Decimal
    underfunded_share: Decimal
    overfunded_share: Decimal
    gap_base: str
    start_base: str
    hold_harmless: tuple[str, ...]
    rounding: dict

    @classmethod
    def from_parameters(cls, params, fiscal_year: int) -> EcsRules:
        v = params.group("ecs", fiscal_year)
        tiers = sorted((int(t["max_rank"]), decimal(t["points"])) for t in v["pic_adjustment"])
        return cls(
            fiscal_year=fiscal_year,
            foundation=decimal(v["foundation"]),
            low_income_weight=decimal(v["low_income_weight"]),
            concentrated_poverty_weight=decimal(v["concentrated_poverty_weight"]),
            concentrated_poverty_threshold=decimal(v["concentrated_poverty_threshold"]),
            english_learner_weight=decimal(v["english_learner_weight"]),
            property_weight=decimal(v["wealth_weights"]["property"]),
            income_weight=decimal(v["wealth_weights"]["income"]),
            wealth_threshold_factor=decimal(v["wealth_threshold_factor"]),
            floor_alliance_or_priority=decimal(v["minimum_aid_ratio"]["alliance_or_priority"]),
            floor_other=decimal(v["minimum_aid_ratio"]["other"]),
            pic_tiers=tuple(tiers),
            regional_bonus=decimal(v["regional_bonus_per_student_grade"]),
            endowed_bonus=decimal(v["endowed_bonus_per_student_grade"]),
            underfunded_share=decimal(v["underfunded_phase_in"]),
            overfunded_share=decimal(v["overfunded_phase_in"]),
            gap_base=v["phase_in_gap_base"],
            start_base=v["phase_in_start_base"],
            hold_harmless=tuple(v["alliance_hold_harmless"]),
            rounding=dict(v["rounding"]),
        )

    def round(self, values: np.ndarray, step: str) -> np.ndarray:
        """Round as the state's worksheet does at ``step`` (ecs.rounding)."""
        exponent = Decimal(1).scaleb(-int(self.rounding[step]))
        mode = ROUNDING_MODES[self.rounding["mode"]]
        return np.array([v.quantize(exponent, rounding=mode) for v in values], dtype=object)


@dataclass(frozen=True)
class WealthMedians:
    """State medians of town ENGL per capita and town median household income."""

    engl_per_capita: Decimal
    mhi: Decimal


def wealth_medians(inputs: pd.DataFrame) -> WealthMedians:
    """Medians over every town in the frame (the state computes them over all 169 towns)."""
    return WealthMedians(_median(inputs["engl_per_capita"]), _median(inputs["mhi"]))


def _median(values: Iterable) -> Decimal:
    ordered = sorted(decimals(values))
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def compute_entitlements(inputs: pd.DataFrame, rules: EcsRules,
                         medians: WealthMedians | None = None) -> pd.DataFrame:
    """Every step of the formula for every town in ``inputs``; one row per town.

    ``medians`` defaults to the medians of ``inputs`` (pass them when ``inputs`` is not the whole
    state). Money columns are Decimals except ``entitlement``, whole dollars as int.
    """
    missing = [c for c in INPUT_COLUMNS if c not in inputs.columns]
    if missing:
        raise ValueError(f"ECS inputs lack column(s): {', '.join(missing)}")
    x = {name: decimals(inputs[name]) for name in _NUMERIC_INPUTS}
    medians = medians or WealthMedians(_median(x["engl_per_capita"]), _median(x["mhi"]))
    steps: dict[str, np.ndarray] = {}
    steps.update(need_students(x, rules))
    steps.update(aid_ratio(x, inputs, rules, medians))
    steps.update(fully_funded_grant(x, steps, rules))
    steps.update(phase_in(x, steps, inputs["alliance"].to_numpy(dtype=bool), rules))
    frame = pd.DataFrame({"town_code": inputs["town_code"].to_numpy(), "town": inputs["town"].to_numpy(),
                          "fiscal_year": rules.fiscal_year, **steps})
    return frame


def need_students(x: dict, rules: EcsRules) -> dict[str, np.ndarray]:
    residents, frpl = x["resident_students"], x["frpl_count"]
    excess = rules.round(np.maximum(frpl - rules.concentrated_poverty_threshold * residents, ZERO),
                         "excess_need_students")
    weighted_excess = rules.round(rules.concentrated_poverty_weight * excess, "weighted_excess_need_students")
    low_income = rules.low_income_weight * frpl
    english_learners = rules.english_learner_weight * x["ell_count"]
    return {
        "excess_frpl_students": excess,
        "low_income_students_weighted": low_income,
        "concentrated_poverty_students_weighted": weighted_excess,
        "english_learners_weighted": english_learners,
        "need_students": residents + low_income + weighted_excess + english_learners,
    }


def aid_ratio(x: dict, inputs: pd.DataFrame, rules: EcsRules,
              medians: WealthMedians) -> dict[str, np.ndarray]:
    factor = rules.wealth_threshold_factor
    engl_threshold = rules.round(np.array([medians.engl_per_capita * factor]), "wealth_threshold")[0]
    mhi_threshold = rules.round(np.array([medians.mhi * factor]), "wealth_threshold")[0]
    engl_factor = rules.round(x["engl_per_capita"] / engl_threshold, "wealth_factor")
    mhi_factor = rules.round(x["mhi"] / mhi_threshold, "wealth_factor")
    wealth_ratio = rules.round(ONE - (rules.property_weight * engl_factor + rules.income_weight * mhi_factor),
                               "base_aid_ratio")
    designated = inputs["alliance"].to_numpy(dtype=bool) | inputs["priority"].to_numpy(dtype=bool)
    floor = np.where(designated, rules.floor_alliance_or_priority, rules.floor_other)
    base_ratio = np.maximum(wealth_ratio, floor)
    pic_points = pic_adjustment(inputs["pic_rank"].fillna(0).to_numpy(dtype=int), rules)
    return {
        "engl_median": np.full(len(inputs), medians.engl_per_capita, dtype=object),
        "engl_threshold": np.full(len(inputs), engl_threshold, dtype=object),
        "engl_factor": engl_factor,
        "mhi_median": np.full(len(inputs), medians.mhi, dtype=object),
        "mhi_threshold": np.full(len(inputs), mhi_threshold, dtype=object),
        "mhi_factor": mhi_factor,
        "wealth_aid_ratio": wealth_ratio,
        "aid_ratio_floor": floor,
        "at_aid_ratio_floor": wealth_ratio < floor,
        "base_aid_ratio": base_ratio,
        "pic_points": pic_points,
        "final_aid_ratio": base_ratio + pic_points,
    }


def pic_adjustment(ranks: np.ndarray, rules: EcsRules) -> np.ndarray:
    """Points by Public Investment Community rank (0 = not ranked): the first tier the rank fits."""
    points = np.full(len(ranks), ZERO, dtype=object)
    assigned = ranks < 1
    for max_rank, tier_points in rules.pic_tiers:
        fits = ~assigned & (ranks <= max_rank)
        points[fits] = tier_points
        assigned |= fits
    return points


def fully_funded_grant(x: dict, steps: dict, rules: EcsRules) -> dict[str, np.ndarray]:
    base_aid = rules.round(steps["need_students"] * steps["final_aid_ratio"] * rules.foundation,
                           "base_formula_aid")
    regional = x["rsd_students"] * x["rsd_grades"] * rules.regional_bonus
    endowed = x["endowed_students"] * x["endowed_grades"] * rules.endowed_bonus
    return {"base_formula_aid": base_aid, "regional_bonus": regional, "endowed_bonus": endowed,
            "fully_funded_grant": base_aid + regional + endowed}


def phase_in(x: dict, steps: dict, alliance: np.ndarray, rules: EcsRules) -> dict[str, np.ndarray]:
    bases = {"fy2017": x["fy2017_grant"], "prior": x["prior_grant"]}
    gap = steps["fully_funded_grant"] - bases[rules.gap_base]
    underfunded = gap > ZERO
    share = np.where(underfunded, rules.underfunded_share, rules.overfunded_share)
    calculated = bases[rules.start_base] + share * gap
    floor = _greatest([bases[name] for name in rules.hold_harmless], len(gap))
    held = alliance & (floor > calculated)
    final = np.where(held, floor, calculated)
    whole = rules.round(final, "entitlement")
    return {
        "gap_base": bases[rules.gap_base], "gap": gap,
        "funding_status": np.where(underfunded, "under-funded",
                                   np.where(gap < ZERO, "over-funded", "funded")),
        "phase_in_share": share, "phase_in_start": bases[rules.start_base],
        "calculated_entitlement": calculated,
        "hold_harmless_floor": np.where(alliance, floor, None),
        "hold_harmless_applied": held,
        "entitlement": np.array([int(v) for v in whole], dtype=object),
    }


def _greatest(arrays: list[np.ndarray], size: int) -> np.ndarray:
    if not arrays:
        return np.full(size, ZERO, dtype=object)
    result = arrays[0]
    for other in arrays[1:]:
        result = np.maximum(result, other)
    return result
