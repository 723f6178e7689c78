"""Designation probabilities for a fiscal year on the warehouse data (the I/O around
rules/robustness.py). ``alliance designate --robustness N`` prints it (``robustness_document``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliance.parameters import Parameters, load_parameters
from alliance.rules.designation import BY_RANK
from alliance.rules.designation_rounds import all_rounds, round_in_force
from alliance.rules.robustness import ErrorModel, designation_probability, flag_marginal
from alliance.rules.selection import SelectionRule
from alliance.simulate import inputs as io
from alliance.simulate.membership import designate, ranking_frame, selection_rules

COLUMNS = ["district_code", "district_name", "index", "rank", "status", "basis", "probability_by_rank",
           "probability", "marginal"]


def robustness_table(fiscal_year: int, warehouse_path: Path, resamples: int | None = None,
                     params: Parameters | None = None) -> tuple[pd.DataFrame, dict]:
    """Every eligible district of the round in force, with its designation probability.

    ``probability_by_rank``: share of resamples in which the district is selected by index.
    ``probability``: of being an Alliance District (1 for a grandfathered member, which stays
    whatever its index). Also returns the settings used.
    """
    params = params or load_parameters()
    inputs = io.round_inputs(warehouse_path, params, fiscal_year)
    rules = round_in_force(all_rounds(params, fiscal_year), fiscal_year)
    rules = selection_rules(params, rules, inputs.frames[rules.cohort_fy])
    selection = SelectionRule.from_parameters(params, rules.cohort_fy, count=rules.lowest_count)
    ranking = ranking_frame(designate(params, fiscal_year, inputs))
    eligible = ranking[ranking["eligible"] & ranking["rank"].notna()]
    error = ErrorModel.from_parameters(params, fiscal_year)
    resamples = resamples or int(params.get("robustness.resamples", fiscal_year))
    seed = int(params.get("robustness.seed", fiscal_year))
    probable = designation_probability(eligible[["district_code", "index"]], selection, error,
                                       resamples, seed)
    table = eligible.drop(columns=["index"]).merge(probable, on="district_code")
    kept = table["designated"] & (table["basis"] != BY_RANK)
    table = table.rename(columns={"probability": "probability_by_rank"})
    table["probability"] = table["probability_by_rank"].where(~kept, 1.0)
    band = float(params.get("robustness.marginal_probability", fiscal_year))
    table["marginal"] = flag_marginal(table["probability"], band)   # a grandfathered member is never marginal
    settings = {"fiscal_year": fiscal_year, "round": rules.cohort_fy,
                "index_school_year": rules.index_school_year,
                "rule": selection.describe(), "error_model": error.kind, "index_error_sd": error.sd,
                "resamples": resamples, "seed": seed, "marginal_band": band}
    return table.sort_values("rank")[COLUMNS].reset_index(drop=True), settings


def robustness_document(fiscal_year: int, warehouse_path: Path, resamples: int | None = None,
                        params: Parameters | None = None) -> dict:
    """JSON-ready: the settings and one record per district with its ``probability``."""
    table, settings = robustness_table(fiscal_year, warehouse_path, resamples, params)
    return {**settings, "districts": table.to_dict("records")}
