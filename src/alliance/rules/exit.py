"""The off-ramp: when a member may leave, how far each member is from it, and the phase-down of its
conditioned money after it leaves.

Not current law (C.G.S. § 10-262u keeps every district designated FY2013-FY2022); a DESIGN
proposal after tiered_support.md §4. A results year counts toward exit when the member is out of
the selected lowest districts, its index is at or above the designation cut plus a margin, and
enough of its indicators are not far below target. It exits after a run of such years; years
without results (2019-20, 2020-21) are not in the sequence, so they neither count nor break a run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@dataclass(frozen=True)
class ExitRules:
    enabled: bool
    consecutive_years: int
    index_margin_points: float
    targets_met_share: float
    phase_down_share: float

    @classmethod
    def from_parameters(cls, params, fiscal_year: int) -> ExitRules:
        values = params.group("exit", fiscal_year)
        return cls(enabled=bool(values["enabled"]),
                   consecutive_years=int(values["consecutive_years"]),
                   index_margin_points=float(values["index_margin_points"]),
                   targets_met_share=float(values["targets_met_share"]),
                   phase_down_share=float(values["phase_down_share"]))


def year_meets(row: dict, rules: ExitRules) -> bool:
    """Whether one results year counts toward exit (see the module docstring)."""
    if _missing(row.get("index")) or _missing(row.get("cut")):
        return False
    return (not row["selected"]
            and row["index"] >= row["cut"] + rules.index_margin_points
            and _share(row) >= rules.targets_met_share)


def exit_status(standing: pd.DataFrame, results_years: list[str], rules: ExitRules) -> pd.DataFrame:
    """Each member's run of qualifying years, whether it exits, and its distance to exit.

    ``standing``: one row per member × results year with district_code, school_year, index,
    selected (in that year's selected lowest districts), cut (highest selected index that year),
    not_far_below and scored (indicator counts). ``results_years``: every results year, in order.
    """
    rows = []
    for code, history in standing.groupby("district_code", sort=True):
        by_year = {row["school_year"]: row for row in history.to_dict("records")}
        rows.append(_status_of(code, by_year, results_years, rules))
    return pd.DataFrame(rows)


def _status_of(code: str, by_year: dict, results_years: list[str], rules: ExitRules) -> dict:
    streak = 0
    for year in reversed(results_years):
        if year not in by_year or not year_meets(by_year[year], rules):
            break
        streak += 1
    latest_year = results_years[-1]
    latest = by_year.get(latest_year, {})
    bar = None if _missing(latest.get("cut")) else latest["cut"] + rules.index_margin_points
    index_gap = None if bar is None or _missing(latest.get("index")) else max(0.0, bar - latest["index"])
    indicators_short = _indicators_short(latest, rules)
    years_needed = max(0, rules.consecutive_years - streak)
    return {
        "district_code": code, "results_year": latest_year, "index": latest.get("index"),
        "exit_bar": bar, "index_gap": index_gap, "targets_share": _share(latest) if latest else None,
        "indicators_short": indicators_short, "qualifying_years": streak, "years_needed": years_needed,
        "meets_criteria": years_needed == 0,
        "exits": rules.enabled and years_needed == 0,
        "distance": distance_text(index_gap, indicators_short, years_needed, streak),
    }


def _indicators_short(row: dict, rules: ExitRules) -> int | None:
    if not row or _missing(row.get("scored")):
        return None
    needed = math.ceil(rules.targets_met_share * row["scored"] - 1e-9)
    return max(0, needed - int(row["not_far_below"]))


def distance_text(index_gap: float | None, indicators_short: int | None, years_needed: int,
                  streak: int) -> str:
    """``needs +3.2 index points and two more years above the cut`` and the like."""
    if years_needed == 0:
        return "meets the exit criteria"
    if index_gap is None:
        return "no index in the latest results year"
    needs = []
    if index_gap > 0:
        needs.append(f"+{index_gap:.1f} index points")
    if indicators_short:
        needs.append(f"{indicators_short} more indicator{'s' if indicators_short > 1 else ''} "
                     "at half their points or better")
    years = NUMBER_WORDS[years_needed] if years_needed < len(NUMBER_WORDS) else str(years_needed)
    plural = "s" if years_needed > 1 else ""
    when = "more " if streak else ""
    needs.append(f"{years} {when}year{plural} above the cut")
    if len(needs) == 1:
        return f"needs {needs[0]}"
    return f"needs {', '.join(needs[:-1])} and {needs[-1]}"


def phase_down(exits: pd.DataFrame, conditioned: pd.DataFrame, share: float) -> pd.DataFrame:
    """Money freed each fiscal year from members that exit.

    ``exits``: district_code, exit_fy. ``conditioned``: district_code, fiscal_year, amount (the
    whole dollars withheld under current law). In the exit year ``share`` of the amount is freed,
    twice that the next year, and so on up to all of it. Returns district_code, fiscal_year,
    amount, freed_share, freed, still_conditioned (whole dollars, rounded half up).
    """
    merged = conditioned.merge(exits, on="district_code", how="inner")
    merged = merged[merged["fiscal_year"] >= merged["exit_fy"]].copy()
    step = Decimal(str(share))
    freed_shares = [min(Decimal(1), step * (fy - exit_fy + 1))
                    for fy, exit_fy in zip(merged["fiscal_year"], merged["exit_fy"], strict=True)]
    freed = [int((Decimal(int(amount)) * portion).quantize(Decimal(1), rounding=ROUND_HALF_UP))
             for amount, portion in zip(merged["amount"], freed_shares, strict=True)]
    merged["freed_share"] = [float(s) for s in freed_shares]
    merged["freed"] = pd.array(freed, dtype="int64")
    merged["still_conditioned"] = merged["amount"].astype("int64") - merged["freed"]
    columns = ["district_code", "fiscal_year", "exit_fy", "amount", "freed_share", "freed",
               "still_conditioned"]
    return merged[columns].sort_values(["district_code", "fiscal_year"]).reset_index(drop=True)


def _share(row: dict) -> float:
    scored = row.get("scored")
    if _missing(scored) or not scored:
        return 0.0
    return float(row["not_far_below"]) / float(scored)


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
