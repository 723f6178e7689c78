"""Every step of one town's ECS entitlement, with the parameter it used and that parameter's citation."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from alliance.rules.ecs import EcsRules

ROUNDING = "ecs.rounding"


def explain_entitlement(inputs: pd.Series, result: pd.Series, rules: EcsRules, params) -> list[dict]:
    """Steps in order: need students, aid ratio, fully funded grant, phase-in, hold-harmless.

    ``inputs`` and ``result`` are the town's rows of the formula's input and output frames.
    """
    r, fy, x = result, rules.fiscal_year, {k: _show(v) for k, v in inputs.items()}

    def step(name: str, formula: str, value, *parameters: str) -> dict:
        """``parameters``: dotted names, or ``name:key`` for one entry of a mapping parameter."""
        names = list(dict.fromkeys(p.split(":")[0] for p in parameters))
        return {"step": name, "formula": formula, "value": _show(value),
                "parameters": ", ".join(_setting(p, params, fy) for p in parameters),
                "citation": "; ".join(f"{n}: {params.parameter(n).citation()}" for n in names)}

    floor = "alliance_or_priority" if (inputs["alliance"] or inputs["priority"]) else "other"
    held = "yes, paid the floor" if r["hold_harmless_applied"] else "no"
    alliance = "an Alliance town" if inputs["alliance"] else "not an Alliance town: no floor"
    return [
        step("resident students", "October count of resident students", x["resident_students"]),
        step("low-income weight", f"{rules.low_income_weight} × FRPL {x['frpl_count']}",
             r["low_income_students_weighted"], "ecs.low_income_weight"),
        step("excess FRPL students", f"max(0, FRPL − {rules.concentrated_poverty_threshold} × residents)",
             r["excess_frpl_students"], "ecs.concentrated_poverty_threshold",
             f"{ROUNDING}:excess_need_students"),
        step("concentrated-poverty weight", f"{rules.concentrated_poverty_weight} × excess FRPL students",
             r["concentrated_poverty_students_weighted"], "ecs.concentrated_poverty_weight",
             f"{ROUNDING}:weighted_excess_need_students"),
        step("English-learner weight", f"{rules.english_learner_weight} × EL {x['ell_count']}",
             r["english_learners_weighted"], "ecs.english_learner_weight"),
        step("need students", "residents + the three weighted terms", r["need_students"]),
        step("ENGL threshold", f"state median ENGL per capita {_show(r['engl_median'])} × factor",
             r["engl_threshold"], "ecs.wealth_threshold_factor", f"{ROUNDING}:wealth_threshold"),
        step("ENGL factor", f"town ENGL per capita {x['engl_per_capita']} / threshold", r["engl_factor"],
             f"{ROUNDING}:wealth_factor"),
        step("MHI threshold", f"state median household income {_show(r['mhi_median'])} × factor",
             r["mhi_threshold"], "ecs.wealth_threshold_factor", f"{ROUNDING}:wealth_threshold"),
        step("MHI factor", f"town MHI {x['mhi']} / threshold", r["mhi_factor"], f"{ROUNDING}:wealth_factor"),
        step("wealth aid ratio", "1 − (property weight × ENGL factor + income weight × MHI factor)",
             r["wealth_aid_ratio"], "ecs.wealth_weights:property", "ecs.wealth_weights:income",
             f"{ROUNDING}:base_aid_ratio"),
        step("base aid ratio", f"max(wealth aid ratio, floor {_show(r['aid_ratio_floor'])})",
             r["base_aid_ratio"], f"ecs.minimum_aid_ratio:{floor}"),
        step("PIC adjustment", f"points for PIC rank {x['pic_rank']} (0 = not ranked)", r["pic_points"],
             "ecs.pic_adjustment"),
        step("final aid ratio", "base aid ratio + PIC points", r["final_aid_ratio"]),
        step("base formula aid", "foundation × need students × final aid ratio", r["base_formula_aid"],
             "ecs.foundation", f"{ROUNDING}:base_formula_aid"),
        step("regional bonus", f"{x['rsd_students']} students × {x['rsd_grades']} grades × rate",
             r["regional_bonus"], "ecs.regional_bonus_per_student_grade"),
        step("endowed academy bonus",
             f"{x['endowed_students']} students × {x['endowed_grades']} grades × rate",
             r["endowed_bonus"], "ecs.endowed_bonus_per_student_grade"),
        step("fully funded grant", "base formula aid + bonuses", r["fully_funded_grant"]),
        step("phase-in gap", f"fully funded grant − {rules.gap_base} grant {_show(r['gap_base'])}", r["gap"],
             "ecs.phase_in_gap_base"),
        step("phase-in share", f"{r['funding_status']}: share of the gap applied this year",
             r["phase_in_share"], "ecs.underfunded_phase_in", "ecs.overfunded_phase_in"),
        step("calculated entitlement", f"{rules.start_base} grant {_show(r['phase_in_start'])} + share × gap",
             r["calculated_entitlement"], "ecs.phase_in_start_base"),
        step("Alliance hold-harmless", f"{alliance}; floor = greatest of {', '.join(rules.hold_harmless)} "
             f"grants; applied: {held}", r["hold_harmless_floor"], "ecs.alliance_hold_harmless"),
        step("entitlement", "rounded to whole dollars", r["entitlement"], f"{ROUNDING}:entitlement"),
    ]


def _setting(parameter: str, params, fiscal_year: int) -> str:
    name, _, key = parameter.partition(":")
    value = params.get(name, fiscal_year)
    if not key:
        return f"{name} = {_show(value)}"
    if name == ROUNDING:
        return f"{name}.{key} = {value[key]} decimal places, {value['mode']}"
    return f"{name}.{key} = {_show(value[key])}"


def _show(value) -> str:
    """Numbers as a reader writes them: 15868 not 15868.0, 0.30 as given, lists joined."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "; ".join(_show(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {_show(v)}" for k, v in value.items())
    return str(value)
