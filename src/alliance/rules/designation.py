"""Who is an Alliance District and an Opportunity District in a round, and why (C.G.S. § 10-262u).

Pure functions. A ranked round takes one row per district for the round's data year
(district_code, district_name, org_type, index, enrollment; NaN where the data has no value) and the
districts designated in earlier rounds, and returns one Designation per district with its status,
basis, rank and a plain-language reason. ``compose_rounds`` runs the rounds in order, each
grandfathering the members of the earlier ones.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from alliance.codes import org_type_of
from alliance.rules.designation_rounds import GIVEN, RoundRules

ALLIANCE = "alliance"
OPPORTUNITY = "opportunity"
NOT_DESIGNATED = "not designated"
BY_RANK = "rank"
GRANDFATHERED = "grandfathered"
BY_LIST = "given"

COLUMNS = ("district_code", "district_name", "org_type", "index", "enrollment")
ORG_TYPE_LABEL = {"local": "local", "regional": "regional", "charter": "charter", "resc": "RESC",
                  "unified": "unified", "technical": "technical high school", "other": "other",
                  "endowed_academy": "endowed academy"}


@dataclass(frozen=True)
class Step:
    """One step of a derivation: what was looked at, the rule applied, its source, the outcome."""

    step: str
    data: str
    rule: str
    citation: str
    outcome: str


@dataclass(frozen=True)
class PriorMember:
    """A district designated in earlier rounds: the fiscal years it was designated for."""

    district_code: str
    district_name: str
    first_fy: int
    designated_fys: tuple[int, ...]


@dataclass(frozen=True)
class Designation:
    district_code: str
    district_name: str
    org_type: str
    status: str
    basis: str | None
    rank: int | None
    ranked_of: int | None
    index: float | None
    enrollment: float | None
    cohort_fy: int
    first_fy: int | None
    reason: str
    eligible: bool
    steps: tuple[Step, ...] = ()

    @property
    def designated(self) -> bool:
        return self.status != NOT_DESIGNATED

    def record(self) -> dict:
        """The fields every output format carries (no derivation steps)."""
        return {"district_code": self.district_code, "district_name": self.district_name,
                "org_type": self.org_type, "status": self.status, "basis": self.basis,
                "rank": self.rank, "ranked_of": self.ranked_of, "index": self.index,
                "enrollment": self.enrollment, "cohort_fy": self.cohort_fy,
                "first_fy": self.first_fy, "reason": self.reason}


@dataclass(frozen=True)
class RoundResult:
    rules: RoundRules
    designations: tuple[Designation, ...]
    ties: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def members(self) -> list[Designation]:
        return [d for d in self.designations if d.designated]

    def size_check(self) -> str:
        size, expected = len(self.members), self.rules.statutory_size
        if expected is None:
            return f"{size} Alliance Districts (no statutory size for FY{self.rules.cohort_fy})"
        verdict = "matches" if size == expected else "DIFFERS FROM"
        return f"{size} Alliance Districts: {verdict} the statutory {expected} for FY{self.rules.cohort_fy}"

    def find(self, district_code: str) -> Designation | None:
        return next((d for d in self.designations if d.district_code == district_code), None)


# ---------------------------------------------------------------- eligibility

def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _exclusion(row: Mapping, rules: RoundRules) -> str | None:
    """Why a district cannot be ranked in this round (None: it can)."""
    sy_index, sy_enrol = rules.index_school_year, rules.enrollment_school_year
    if row["org_type"] not in rules.eligible_org_types:
        allowed = ", ".join(rules.eligible_org_types)
        label = ORG_TYPE_LABEL.get(row["org_type"], row["org_type"])
        return f"{label} districts are not eligible ({allowed} only)"
    if not row.get("in_data", True):
        return f"not in the {sy_index} accountability or {sy_enrol} enrollment data"
    if not _present(row["index"]):
        return f"no accountability index for {sy_index}"
    if not _present(row["enrollment"]):
        return f"no enrollment count for {sy_enrol}"
    if row["enrollment"] < rules.min_enrollment:
        return f"{row['enrollment']:,.0f} students in {sy_enrol}, fewer than {rules.min_enrollment:,}"
    return None


def eligible_codes(frame: pd.DataFrame, rules: RoundRules) -> set[str]:
    """Districts that may be ranked: eligible type, an index, at least the minimum enrollment."""
    return {row["district_code"] for row in frame.to_dict("records") if _exclusion(row, rules) is None}


# ---------------------------------------------------------------- ranking

def rank_by_index(frame: pd.DataFrame, ties: str) -> pd.Series:
    """Rank 1 = lowest index. Ties share the lowest rank (include_all) or the highest (exclude_all)."""
    method = "min" if ties == "include_all" else "max"
    return frame["index"].rank(method=method, ascending=True).astype(int)


def _lowest(frame: pd.DataFrame, count: int, ties: str) -> tuple[pd.Series, list[str]]:
    """Ranks, and the names of the districts tied at the cutoff when the tie straddles it."""
    if frame.empty:
        return pd.Series(dtype=int), []
    ranks = rank_by_index(frame, ties)
    if count <= 0 or count >= len(frame):
        return ranks, []
    cut_value = frame["index"].nsmallest(count).iloc[-1]
    if (frame["index"] <= cut_value).sum() <= count:
        return ranks, []
    return ranks, list(frame.loc[frame["index"] == cut_value, "district_name"])


# ---------------------------------------------------------------- one ranked round

def designate_round(
    frame: pd.DataFrame, prior: Mapping[str, PriorMember], rules: RoundRules
) -> RoundResult:
    """Alliance and Opportunity status of every district in ``frame`` for one ranked round.

    Prior members missing from ``frame`` are added (shown as absent from the data) so that none is
    dropped. Alliance = the ``lowest_count`` lowest ranked ∪ members of earlier rounds whose
    designation falls in the grandfather window.
    """
    frame = _with_absent_prior(_checked(frame), prior)
    rows = frame.to_dict("records")
    exclusions = {row["district_code"]: _exclusion(row, rules) for row in rows}
    ranked = frame[frame["district_code"].map(exclusions).isna()].copy()
    ranks, tied_names = _lowest(ranked, rules.lowest_count, rules.cutoff_ties)
    rank_of = dict(zip(ranked["district_code"], ranks, strict=True))
    by_rank = {code for code, rank in rank_of.items() if rank <= rules.lowest_count}
    kept = {code for code, member in prior.items() if rules.keeps(member.designated_fys)}
    members = by_rank | kept
    opportunity, opp_rank, opp_ties = _opportunity(frame, members, rank_of, rules)
    designations = tuple(
        _designation(row, rules, exclusions, rank_of, len(ranked), by_rank, kept, prior,
                     opportunity, opp_rank)
        for row in rows
    )
    ties = tuple(f"tie at the {label} cutoff: {', '.join(names)} ({rules.cutoff_ties})"
                 for label, names in (("rank", tied_names), ("opportunity", opp_ties)) if names)
    return RoundResult(rules, designations, ties)


def _checked(frame: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"designation input lacks column(s): {', '.join(missing)}")
    duplicated = frame["district_code"][frame["district_code"].duplicated()].tolist()
    if duplicated:
        raise ValueError(f"designation input has more than one row for {', '.join(duplicated)}")
    out = frame.copy()
    out["index"] = pd.to_numeric(out["index"], errors="coerce").astype("float64")
    out["enrollment"] = pd.to_numeric(out["enrollment"], errors="coerce").astype("float64")
    if "in_data" not in out.columns:
        out["in_data"] = True
    return out


def _with_absent_prior(frame: pd.DataFrame, prior: Mapping[str, PriorMember]) -> pd.DataFrame:
    present = set(frame["district_code"])
    absent = [m for code, m in prior.items() if code not in present]
    if not absent:
        return frame
    rows = pd.DataFrame([{"district_code": m.district_code, "district_name": m.district_name,
                          "org_type": org_type_of(m.district_code), "index": math.nan,
                          "enrollment": math.nan, "in_data": False} for m in absent])
    return pd.concat([frame, rows], ignore_index=True)


def _opportunity(frame, members, rank_of, rules):
    """The ``opportunity_count`` lowest Alliance Districts by index, their positions and ties."""
    if rules.opportunity_pool == "alliance_members":
        pool = frame[frame["district_code"].isin(members) & frame["index"].notna()]
    else:
        pool = frame[frame["district_code"].isin(set(rank_of) & members)]
    ranks, tied = _lowest(pool, rules.opportunity_count, rules.cutoff_ties)
    position = dict(zip(pool["district_code"], ranks, strict=True))
    chosen = {code for code, rank in position.items() if rank <= rules.opportunity_count}
    return chosen, position, tied


def _designation(row, rules, exclusions, rank_of, ranked_of, by_rank, kept, prior, opportunity,
                 opp_rank) -> Designation:
    code = row["district_code"]
    member = prior.get(code)
    designated = code in by_rank or code in kept
    status = (OPPORTUNITY if code in opportunity else ALLIANCE) if designated else NOT_DESIGNATED
    basis = (BY_RANK if code in by_rank else GRANDFATHERED) if designated else None
    first_fy = (member.first_fy if member else rules.cohort_fy) if designated else None
    rank = rank_of.get(code)
    reason = _reason(row, rules, exclusions[code], rank, ranked_of, basis, member, status,
                     opp_rank.get(code))
    return Designation(
        district_code=code, district_name=row["district_name"], org_type=row["org_type"],
        status=status, basis=basis, rank=rank, ranked_of=ranked_of if rank else None,
        index=row["index"] if _present(row["index"]) else None,
        enrollment=int(row["enrollment"]) if _present(row["enrollment"]) else None,
        cohort_fy=rules.cohort_fy, first_fy=first_fy, reason=reason,
        eligible=exclusions[code] is None,
    )


def _reason(row, rules, exclusion, rank, ranked_of, basis, member, status, opp_position) -> str:
    parts = []
    if exclusion:
        parts.append(f"excluded: {exclusion}")
    else:
        where = "among" if rank <= rules.lowest_count else "not among"
        digits = 2 if rules.selection else 1  # a bar is compared at full precision: show enough of it
        parts.append(f"rank {rank} of {ranked_of} (index {row['index']:.{digits}f}), "
                     f"{where} {rules.selected_lowest}")
    if basis == GRANDFATHERED:
        parts.append(f"kept: designated FY{member.first_fy}")
    elif member and basis is None:
        parts.append(f"not kept: designated {_fy_span(member.designated_fys)}, outside the window "
                     f"FY{rules.grandfather_first_fy}-FY{rules.grandfather_last_fy}")
    if status == OPPORTUNITY:
        parts.append(f"Opportunity District: {opp_position} of the {rules.opportunity_count} lowest "
                     "Alliance Districts")
    return "; ".join(parts)


def _fy_span(years: Sequence[int]) -> str:
    return f"FY{min(years)}-FY{max(years)}"


# ---------------------------------------------------------------- the given round (FY2013)

def given_round(given_codes: Sequence[str], universe: pd.DataFrame, rules: RoundRules) -> RoundResult:
    """The round whose members are a published list: every listed district is an Alliance District.

    ``universe`` names the districts to report (district_code, district_name, org_type); listed
    districts missing from it are still reported. Opportunity status is not computed: the list
    carries no index.
    """
    listed = set(given_codes)
    frame = universe[["district_code", "district_name", "org_type"]].drop_duplicates("district_code")
    known = set(frame["district_code"])
    extra = [{"district_code": c, "district_name": c, "org_type": org_type_of(c)}
             for c in sorted(listed - known)]
    rows = frame.to_dict("records") + extra
    designations = tuple(_given_designation(row, row["district_code"] in listed, rules) for row in rows)
    note = (f"FY{rules.cohort_fy} Opportunity (educational reform) status is not computed: the "
            "published list carries no index")
    return RoundResult(rules, designations, notes=(note,))


def _given_designation(row: Mapping, listed: bool, rules: RoundRules) -> Designation:
    reason = (f"designated FY{rules.cohort_fy}: on the published list of the first {rules.statutory_size} "
              "Alliance Districts" if listed else
              f"not on the published FY{rules.cohort_fy} list")
    return Designation(
        district_code=row["district_code"], district_name=row["district_name"], org_type=row["org_type"],
        status=ALLIANCE if listed else NOT_DESIGNATED, basis=BY_LIST if listed else None, rank=None,
        ranked_of=None, index=None, enrollment=None, cohort_fy=rules.cohort_fy,
        first_fy=rules.cohort_fy if listed else None, reason=reason, eligible=listed,
    )


# ---------------------------------------------------------------- composition

def compose_rounds(
    rounds: Sequence[RoundRules],
    inputs: Mapping[int, pd.DataFrame],
    given_codes: Sequence[str] = (),
) -> list[RoundResult]:
    """Run the rounds in order; each later round grandfathers the members of the earlier ones.

    ``inputs`` holds, per cohort fiscal year, the ranked round's district frame (for a given round,
    the universe of districts to report).
    """
    prior: dict[str, PriorMember] = {}
    results = []
    for rules in rounds:
        if rules.source == GIVEN:
            result = given_round(given_codes, inputs[rules.cohort_fy], rules)
        else:
            result = designate_round(inputs[rules.cohort_fy], prior, rules)
        results.append(result)
        prior = _remember(prior, result)
    return results


def _remember(prior: Mapping[str, PriorMember], result: RoundResult) -> dict[str, PriorMember]:
    updated = dict(prior)
    term = tuple(range(result.rules.cohort_fy, result.rules.last_fy + 1))
    for d in result.members:
        before = updated.get(d.district_code)
        if before:
            updated[d.district_code] = replace(before, designated_fys=before.designated_fys + term)
        else:
            updated[d.district_code] = PriorMember(d.district_code, d.district_name, result.rules.cohort_fy,
                                                   term)
    return updated


def prior_members(results: Sequence[RoundResult]) -> dict[str, PriorMember]:
    """Every district designated in the given rounds, with its designated fiscal years."""
    prior: dict[str, PriorMember] = {}
    for result in results:
        prior = _remember(prior, result)
    return prior
