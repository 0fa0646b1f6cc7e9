"""The ONS-style tidy format every source produces: one row per indicator, area and period."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

GSS_CODE = r"^[EWSNK]\d{8}$"


@dataclass(frozen=True)
class TidyColumn:
    name: str
    sql_type: str  # DuckDB type of the landing column
    required: bool  # NOT NULL
    meaning: str
    allowed: tuple[str, ...] = ()  # when set, the only values it may hold (besides null)
    pattern: str = ""  # when set, a regular expression every value matches


@dataclass(frozen=True)
class TableContract:
    """What a landing table holds: its columns (names, DuckDB types, which are required, allowed values
    and patterns) and, when it has one, the key unique across its rows. The landing DDL and the one
    Great Expectations suite (assets/suites.py) are made from it."""

    columns: tuple[TidyColumn, ...]
    key: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def column(name: str, sql_type: str = "VARCHAR", *, required: bool = False, meaning: str = "", **rules) -> TidyColumn:
    """A landing column, briefly: column("lad_code", required=True, pattern=GSS_CODE)."""
    return TidyColumn(name, sql_type, required, meaning, **rules)


# Vocabulary for observation_status, after the ONS/SDMX observation status codes.
OBSERVATION_STATUSES = {
    "suppressed": "withheld by the publisher or by us to protect confidentiality",
    "unreliable": "published with a warning that the estimate is unreliable",
    "not_available": "the publisher has no value ([x], .., :)",
    "not_applicable": "no value can exist ([z])",
    "provisional": "a provisional estimate that may be revised",
    "estimated": "estimated by the publisher (e.g. a rough-sleeping estimate rather than a count)",
}

UNITS = {"count", "percent", "rate_per_100k", "gbp_per_hour", "gbp", "index", "score", "rate"}


# The tidy contract. The landing tables' DDL (assets/landing.py), the GX suite over them
# (assets/suites.py) and to_tidy() below are all made from this one list.
TIDY_CONTRACT = (
    TidyColumn("indicator_id", "VARCHAR", True, "e.g. rough_sleeping_count"),
    TidyColumn("area_code", "VARCHAR", True, "GSS code, e.g. E08000016", pattern=GSS_CODE),
    TidyColumn("period", "VARCHAR", True, 'the publisher\'s period label, e.g. "2022" or "2021/22"'),
    TidyColumn("period_start", "DATE", False, "first day of the period"),
    TidyColumn("period_end", "DATE", False, "last day of the period"),
    TidyColumn("value", "DOUBLE", False, "null when observation_status says why"),
    TidyColumn("unit", "VARCHAR", False, "one of UNITS", allowed=tuple(sorted(UNITS))),
    TidyColumn("lower_ci", "DOUBLE", False, "lower bound of the 95% confidence interval"),
    TidyColumn("upper_ci", "DOUBLE", False, "upper bound of the 95% confidence interval"),
    TidyColumn(
        "observation_status",
        "VARCHAR",
        False,
        "null for a normal value; else a word from OBSERVATION_STATUSES",
        allowed=tuple(sorted(OBSERVATION_STATUSES)),
    ),
    TidyColumn("source_id", "VARCHAR", True, "the source package that parsed it"),
    TidyColumn("release", "VARCHAR", False, 'the edition the value came from, e.g. "autumn 2022"'),
)
# One row per indicator, area, period and release: the tidy tables and the extra tables in tidy form.
TIDY_TABLE = TableContract(TIDY_CONTRACT, key=("indicator_id", "area_code", "period", "release"))
TIDY_COLUMNS = [c.name for c in TIDY_CONTRACT]
NUMBER_COLUMNS = [c.name for c in TIDY_CONTRACT if c.sql_type == "DOUBLE"]
DATE_COLUMNS = [c.name for c in TIDY_CONTRACT if c.sql_type == "DATE"]


def empty_tidy() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype="object") for c in TIDY_COLUMNS}).astype(
        dict.fromkeys(NUMBER_COLUMNS, "float64")
    )


def to_tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Order and type columns; missing optional columns become null."""
    import pandas as pd

    out = df.copy()
    for col in TIDY_COLUMNS:
        if col not in out.columns:
            out[col] = None
    out = out[TIDY_COLUMNS]
    for col in NUMBER_COLUMNS:
        out[col] = pd.to_numeric(out[col], errors="raise").astype("float64")
    for col in DATE_COLUMNS:
        out[col] = pd.to_datetime(out[col]).dt.date
    bad_status = set(out["observation_status"].dropna()) - set(OBSERVATION_STATUSES)
    if bad_status:
        raise ValueError(f"unknown observation_status values: {sorted(bad_status)}")
    bad_units = set(out["unit"].dropna()) - UNITS
    if bad_units:
        raise ValueError(f"unknown units: {sorted(bad_units)}")
    return out.reset_index(drop=True)
