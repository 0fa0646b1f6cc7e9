"""The ONS-style tidy format every source produces: one row per indicator, area and period."""

from __future__ import annotations

import pandas as pd

TIDY_COLUMNS = [
    "indicator_id",  # e.g. rough_sleeping_count
    "area_code",  # GSS code, e.g. E08000016
    "period",  # publisher's period label, e.g. "2022" or "2021/22"
    "period_start",  # ISO date
    "period_end",  # ISO date
    "value",  # DOUBLE; null when observation_status says why
    "unit",  # count | percent | rate_per_100k | gbp_per_hour | index | score
    "lower_ci",
    "upper_ci",
    "observation_status",  # null for a normal value; else a word from OBSERVATION_STATUSES
    "source_id",
    "release",  # the edition the value came from, e.g. "autumn 2022"
]

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


def empty_tidy() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in TIDY_COLUMNS}).astype(
        {"value": "float64", "lower_ci": "float64", "upper_ci": "float64"}
    )


def to_tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Order and type columns; missing optional columns become null."""
    out = df.copy()
    for col in TIDY_COLUMNS:
        if col not in out.columns:
            out[col] = None
    out = out[TIDY_COLUMNS]
    for col in ("value", "lower_ci", "upper_ci"):
        out[col] = pd.to_numeric(out[col], errors="raise").astype("float64")
    for col in ("period_start", "period_end"):
        out[col] = pd.to_datetime(out[col]).dt.date
    bad_status = set(out["observation_status"].dropna()) - set(OBSERVATION_STATUSES)
    if bad_status:
        raise ValueError(f"unknown observation_status values: {sorted(bad_status)}")
    bad_units = set(out["unit"].dropna()) - UNITS
    if bad_units:
        raise ValueError(f"unknown units: {sorted(bad_units)}")
    return out.reset_index(drop=True)
