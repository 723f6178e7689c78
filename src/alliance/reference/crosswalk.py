"""Towns and districts: which towns a district serves, so designation can meet ECS money (paid to towns).

A local district serves its own town (its code is town code x 10,000 + 11). A regional district serves
its member towns, listed in ``regional_member_towns.csv`` with the school years of any change (Regional
School District 06 became part of Regional School District 20 in 2024-25). Other organisation types
(charters, RESCs, technical high schools, ...) serve no town for ECS purposes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pandera.pandas as pa

from alliance.codes import org_type_of, town_code_of_local_district
from alliance.data.source import SOURCE_ID
from alliance.data.tabular import Converter, read_rows, validate
from alliance.years import SchoolYear

CROSSWALK_FILE = Path(__file__).with_name("regional_member_towns.csv")
TABLE = "regional_member_towns"
SOURCE_ID_CROSSWALK = "reference-regional-member-towns"
_SCHOOL_YEAR = r"^\d{4}-\d{2}$"

SCHEMA = pa.DataFrameSchema(
    {
        "district_code": pa.Column(str, pa.Check.str_matches(r"^\d{5}12$")),
        "district_name": pa.Column(str, pa.Check.str_startswith("Regional School District")),
        "town_code": pa.Column("int64", pa.Check.in_range(1, 169)),
        "town": pa.Column(str, pa.Check.str_length(min_value=1)),
        "grades": pa.Column(str, pa.Check.isin(["K-12", "7-12", "9-12"])),
        "first_school_year": pa.Column(str, pa.Check.str_matches(_SCHOOL_YEAR), nullable=True),
        "last_school_year": pa.Column(str, pa.Check.str_matches(_SCHOOL_YEAR), nullable=True),
        "source": pa.Column(str),
        "confidence": pa.Column(str, pa.Check.isin(["confirmed", "secondary", "unconfirmed"])),
        "note": pa.Column(str, nullable=True),
    },
    unique=["district_code", "town_code"],
)


def read_regional_member_towns(path: Path = CROSSWALK_FILE) -> pd.DataFrame:
    """The crosswalk, validated; a bad row is refused with its file, line and column."""
    return _read_validated(path, path.stat().st_mtime_ns).copy()


@cache
def _read_validated(path: Path, modified: int) -> pd.DataFrame:
    """Read once per file version: designation and money look the crosswalk up many times."""
    rows = read_rows(path, required=list(SCHEMA.columns))
    convert = Converter(path, rows)
    frame = rows.assign(district_code=convert.district_code("district_code"),
                        town_code=convert.integer("town_code"))
    convert.raise_if_any()
    frame["town_code"] = frame["town_code"].astype("int64")
    for column in ("first_school_year", "last_school_year", "note"):
        frame[column] = frame[column].str.strip().replace("", None)
    frame = validate(frame, SCHEMA, path)
    return frame.drop(columns=["_line"]).assign(**{SOURCE_ID: SOURCE_ID_CROSSWALK})


def member_towns(crosswalk: pd.DataFrame, district_code: str, fiscal_year: int) -> list[int]:
    """Town codes a district serves in a fiscal year (empty for charters, RESCs and the like)."""
    kind = org_type_of(district_code)
    if kind == "local":
        return [town_code_of_local_district(district_code)]
    if kind != "regional":
        return []
    school_year = SchoolYear.of_fiscal_year(fiscal_year).label
    rows = crosswalk[crosswalk["district_code"] == district_code]
    current = rows[(rows["first_school_year"].isna() | (rows["first_school_year"] <= school_year))
                   & (rows["last_school_year"].isna() | (rows["last_school_year"] >= school_year))]
    return sorted(int(t) for t in current["town_code"])


@dataclass(frozen=True)
class Succession:
    """A regional district that ceased, and the district that took over (some of) its towns."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    from_school_year: str       # first school year of the successor

    def describe(self) -> str:
        return (f"{self.old_name} ({self.old_code}) became part of {self.new_name} ({self.new_code}) "
                f"from {self.from_school_year}")


def successions(crosswalk: pd.DataFrame) -> list[Succession]:
    """Each district whose membership ends, paired with the district its towns join the next year."""
    ended = crosswalk[crosswalk["last_school_year"].notna()]
    found = set()
    for row in ended.itertuples():
        following = SchoolYear.parse(row.last_school_year).shifted(1).label
        joins = crosswalk[(crosswalk["town_code"] == row.town_code)
                          & (crosswalk["first_school_year"] == following)]
        for new in joins.itertuples():
            found.add(Succession(row.district_code, row.district_name, new.district_code,
                                 new.district_name, following))
    return sorted(found, key=lambda s: (s.from_school_year, s.old_code))


def derive_regional_member_towns(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouse step: the crosswalk as table ``regional_member_towns``."""
    frame = read_regional_member_towns()
    con.register("incoming_crosswalk", frame)
    con.execute(f"CREATE OR REPLACE TABLE {TABLE} AS SELECT * FROM incoming_crosswalk")
    con.unregister("incoming_crosswalk")
