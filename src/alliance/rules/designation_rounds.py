"""Designation rounds as data: the parameters of one round, and which round is in force in a fiscal year.

A round (FY2013, FY2018, FY2023, ...) designates a cohort for a term of five fiscal years. Its rule
values are the parameters under ``parameters/designation/`` in force on the round's first day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from alliance.errors import UnknownEntityError
from alliance.parameters import Parameters
from alliance.years import fiscal_year_of_date

PREFIX = "designation"
GIVEN = "given"
RANKED = "ranked"
# rule values only a ranked round reads (a given round's list is data)
_RANKING_VALUES = ("min_enrollment", "enrollment_measure")


@dataclass(frozen=True)
class RoundRules:
    """The rule values of one designation round, with the citation of each."""

    cohort_fy: int
    source: str
    term_years: int
    index_school_year: str | None = None
    enrollment_school_year: str | None = None
    lowest_count: int = 0
    min_enrollment: int = 0
    eligible_org_types: tuple[str, ...] = ()
    opportunity_count: int = 0
    opportunity_pool: str = "alliance_members"
    cutoff_ties: str = "include_all"
    grandfather_first_fy: int | None = None
    grandfather_last_fy: int | None = None
    statutory_size: int | None = None
    citations: Mapping[str, str] = field(default_factory=dict)
    # how N was chosen when a policy option (selection.*) set it, e.g. "index below 76.1"; None = current law
    selection: str | None = None

    @property
    def selected_lowest(self) -> str:
        """``the 30 lowest``, or ``the 39 lowest (index below 76.1)`` under a selection option."""
        label = f"the {self.lowest_count} lowest"
        return f"{label} ({self.selection})" if self.selection else label

    @property
    def last_fy(self) -> int:
        return self.cohort_fy + self.term_years - 1

    @property
    def term(self) -> str:
        return f"FY{self.cohort_fy}-FY{self.last_fy}"

    def covers(self, fiscal_year: int) -> bool:
        return self.cohort_fy <= fiscal_year <= self.last_fy

    def keeps(self, designated_fys: Sequence[int]) -> bool:
        """Whether a district designated in these fiscal years is grandfathered in this round."""
        if self.grandfather_first_fy is None or self.grandfather_last_fy is None:
            return False
        return any(self.grandfather_first_fy <= fy <= self.grandfather_last_fy for fy in designated_fys)

    def cite(self, name: str) -> str:
        return self.citations.get(name, "")


def round_rules(params: Parameters, cohort_fy: int) -> RoundRules:
    """The rule values in force for the round that starts in ``cohort_fy``."""
    ranked = _ranked(params, cohort_fy)
    values = params.group(PREFIX, cohort_fy) if ranked else _given_values(params, cohort_fy)
    window = values.get("grandfather_window") or {}
    names = [n for n in params.names() if n.startswith(PREFIX + ".")]
    return RoundRules(
        cohort_fy=cohort_fy,
        source=values["cohort_source"],
        term_years=int(values["term_years"]),
        index_school_year=values.get("index_school_year"),
        enrollment_school_year=values.get("enrollment_school_year"),
        lowest_count=int(values.get("lowest_count") or 0),
        min_enrollment=int(values.get("min_enrollment") or 0),
        eligible_org_types=tuple(values.get("eligible_org_types") or ()),
        opportunity_count=int(values.get("opportunity_count") or 0),
        opportunity_pool=values.get("opportunity_pool", "alliance_members"),
        cutoff_ties=values.get("cutoff_ties", "include_all"),
        grandfather_first_fy=window.get("first_fy"),
        grandfather_last_fy=window.get("last_fy"),
        statutory_size=values.get("cohort_size"),
        citations={n.split(".", 1)[1]: f"{n} ({params.parameter(n).confidence}): "
                   f"{params.parameter(n).citation()}" for n in names},
    )


def _ranked(params: Parameters, cohort_fy: int) -> bool:
    return params.get(f"{PREFIX}.cohort_source", cohort_fy) == RANKED


def _given_values(params: Parameters, cohort_fy: int) -> dict:
    names = [n.split(".", 1)[1] for n in params.names() if n.startswith(PREFIX + ".")]
    return {n: params.get(f"{PREFIX}.{n}", cohort_fy) for n in names if n not in _RANKING_VALUES}


def all_rounds(params: Parameters, fiscal_year: int) -> list[RoundRules]:
    """Every round that has started by ``fiscal_year``, oldest first (the composition order)."""
    listing = params.parameter(f"{PREFIX}.round_fiscal_years")
    first_listed = fiscal_year_of_date(next(iter(listing.values)))
    years = sorted(listing.value_for(max(fiscal_year, first_listed)))
    started = [fy for fy in years if fy <= fiscal_year]
    if not started:
        raise UnknownEntityError(
            f"FY{fiscal_year} is before the first Alliance District round (FY{years[0]})")
    return [round_rules(params, fy) for fy in started]


def round_in_force(rounds: Sequence[RoundRules], fiscal_year: int) -> RoundRules:
    """The latest round whose term covers the fiscal year; a clear error past the last term."""
    covering = [r for r in rounds if r.covers(fiscal_year)]
    if not covering:
        last = rounds[-1]
        raise UnknownEntityError(
            f"no designation round covers FY{fiscal_year}: the last round, FY{last.cohort_fy}, runs "
            f"{last.term} (parameter designation.round_fiscal_years lists the rounds)")
    return covering[-1]
