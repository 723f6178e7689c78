"""Each district's standing in every results year under the rules of a round: was it among the
selected lowest, and what was the cut? The exit rule reads this history.

For a results year the round's eligibility rules (type, size, an index) are applied to that year's
index and enrollment, and the selection rule picks the lowest; the cut is the highest index
selected. Pure: frames in, frame out.
"""

from __future__ import annotations

import pandas as pd

from alliance.rules.designation import eligible_codes
from alliance.rules.designation_rounds import RoundRules
from alliance.rules.selection import SelectionRule, cut_index, select


def year_standing(year_frame: pd.DataFrame, rules: RoundRules, selection: SelectionRule) -> pd.DataFrame:
    """One results year: every district with ``selected`` and the year's ``cut``.

    ``year_frame``: district_code, district_name, org_type, index, enrollment (+ any columns to
    keep, such as scored and not_far_below). Districts that cannot be ranked are not selected.
    """
    eligible = year_frame[year_frame["district_code"].isin(eligible_codes(year_frame, rules))]
    chosen = select(eligible[["district_code", "index"]], selection)
    selected = set(chosen.loc[chosen["selected"], "district_code"])
    return year_frame.assign(selected=year_frame["district_code"].isin(selected),
                             cut=cut_index(chosen))


def standing_history(history: pd.DataFrame, enrollment: pd.DataFrame, rules: RoundRules,
                     selection: SelectionRule, last_year: str) -> pd.DataFrame:
    """Every results year up to ``last_year``: the districts' standing (see ``year_standing``).

    ``history``: results_history rows; ``enrollment``: district_code, fiscal_year, students.
    """
    frames = [year_standing(with_enrollment(frame, enrollment), rules, selection)
              for _, frame in history[history["school_year"] <= last_year].groupby("school_year", sort=True)]
    return pd.concat(frames, ignore_index=True) if frames else history.iloc[0:0]


def with_enrollment(year_frame: pd.DataFrame, enrollment: pd.DataFrame) -> pd.DataFrame:
    """One results year's rows with the same school year's enrollment (``enrollment`` column)."""
    fiscal_year = int(year_frame["fiscal_year"].iloc[0])
    counts = enrollment.loc[enrollment["fiscal_year"] == fiscal_year, ["district_code", "students"]]
    return year_frame.merge(counts.rename(columns={"students": "enrollment"}), on="district_code",
                            how="left")
