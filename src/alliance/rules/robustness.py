"""How sure is a designation? Resample every district's index with measurement error and count.

The whole state is resampled at once: a (resamples × districts) matrix of perturbed indices, the
selection rule applied row by row with numpy, and membership counted with ``bincount``. Districts
come in the order of the plain designation (index, then district code), so that with zero error a
stable sort reproduces the plain ranking exactly, ties included.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.rules.selection import SelectionRule

CHUNK = 10_000  # rows drawn at a time: bounds memory at CHUNK × districts × 8 bytes


@dataclass(frozen=True)
class ErrorModel:
    """Measurement error added to each index: ``normal`` with standard deviation ``sd`` points."""

    kind: str
    sd: float

    @classmethod
    def from_parameters(cls, params, fiscal_year: int) -> ErrorModel:
        return cls(params.get("robustness.error_model", fiscal_year),
                   float(params.get("robustness.index_error_sd", fiscal_year)))

    def draw(self, rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
        if self.kind != "normal":
            raise ValueError(f"unknown error model {self.kind!r} (known: normal)")
        if self.sd == 0:
            return np.zeros(shape)
        return rng.normal(0.0, self.sd, size=shape)


def selected_counts(index: np.ndarray, rule: SelectionRule, error: ErrorModel,
                    resamples: int, rng: np.random.Generator) -> np.ndarray:
    """How many of ``resamples`` perturbed states select each district (index in ranking order)."""
    districts = len(index)
    counts = np.zeros(districts, dtype=np.int64)
    done = 0
    while done < resamples:
        rows = min(CHUNK, resamples - done)
        perturbed = index[np.newaxis, :] + error.draw(rng, (rows, districts))
        counts += _count_selected(perturbed, rule, exact_order=error.sd == 0)
        done += rows
    return counts


def _count_selected(perturbed: np.ndarray, rule: SelectionRule, exact_order: bool) -> np.ndarray:
    """Per district, the rows selecting it. Without error, ties must fall as in the plain ranking
    (a stable sort); with continuous error ties have probability 0 and a partition is enough."""
    districts = perturbed.shape[1]
    if rule.mode == "threshold":
        return (perturbed < rule.threshold).sum(axis=0)
    count = rule.count_for(districts)
    if count == 0:
        return np.zeros(districts, dtype=np.int64)
    if exact_order or count == districts:
        lowest = np.argsort(perturbed, axis=1, kind="stable")[:, :count]
    else:
        lowest = np.argpartition(perturbed, count - 1, axis=1)[:, :count]
    return np.bincount(lowest.ravel(), minlength=districts)


def designation_probability(eligible: pd.DataFrame, rule: SelectionRule, error: ErrorModel,
                            resamples: int, seed: int) -> pd.DataFrame:
    """Each eligible district's probability of being selected by index under measurement error.

    ``eligible``: district_code and index, one row per eligible district. Returns the rows in
    ranking order with ``probability`` (share of resamples that select the district).
    """
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1 (got {resamples})")
    ranked = eligible.sort_values(["index", "district_code"], kind="stable").reset_index(drop=True)
    rng = np.random.default_rng(seed)
    counts = selected_counts(ranked["index"].to_numpy(dtype=float), rule, error, resamples, rng)
    return ranked.assign(probability=counts / resamples, resamples=resamples)


def flag_marginal(probability: pd.Series, band: float) -> pd.Series:
    """True where the probability is neither near 0 nor near 1: strictly between band and 1 - band."""
    return (probability > band) & (probability < 1 - band)


def loop_selected_counts(index: list[float], count: int, sd: float, resamples: int,
                         seed: int) -> list[int]:
    """The same count of lowest-N selections, one resample at a time in plain Python.

    The baseline the vectorised version is benchmarked against; not used by the CLI.
    """
    import random

    rng = random.Random(seed)
    counts = [0] * len(index)
    order = range(len(index))
    for _ in range(resamples):
        perturbed = [value + rng.gauss(0.0, sd) for value in index]
        for position in sorted(order, key=perturbed.__getitem__)[:count]:
            counts[position] += 1
    return counts
