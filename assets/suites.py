"""The one Great Expectations suite: the tidy contract (sources/tidy.py) of the landing tables
landing.indicator_values and landing.aggregate_values, as data: (expectation class, kwargs).

What the DDL made from the same contract already enforces (column names, types, NOT NULL) is not
expected again here: such an expectation could never fail. Invariants across tables (counts that
reconcile with England, every area known, harmonised rows unique) are SQL checks (sql/checks/).
"""

from __future__ import annotations

from sources.tidy import OBSERVATION_STATUSES, UNITS

GSS_ANY = r"^[EWSNK]\d{8}$"
Suite = list[tuple[str, dict]]


def _between_ci(column_a: str, column_b: str) -> tuple[str, dict]:
    return (
        "ExpectColumnPairValuesAToBeGreaterThanB",
        {"column_A": column_a, "column_B": column_b, "or_equal": True, "ignore_row_if": "either_value_is_missing"},
    )


def tidy_contract_suite() -> Suite:
    """One row per landing table, indicator, area, period and release, with a GSS code, a known unit
    and status, a value or a status saying why not, and a value inside its own interval."""
    return [
        ("ExpectColumnValuesToMatchRegex", {"column": "area_code", "regex": GSS_ANY}),
        ("ExpectColumnValuesToBeInSet", {"column": "unit", "value_set": sorted(UNITS)}),
        ("ExpectColumnValuesToBeInSet", {"column": "observation_status", "value_set": sorted(OBSERVATION_STATUSES)}),
        (
            "ExpectColumnValuesToNotBeNull",
            {"column": "observation_status", "condition_parser": "pandas", "row_condition": "value.isnull()"},
        ),
        (
            "ExpectCompoundColumnsToBeUnique",
            {"column_list": ["landing_table", "indicator_id", "area_code", "period", "release"]},
        ),
        _between_ci("value", "lower_ci"),
        _between_ci("upper_ci", "value"),
        _between_ci("period_end", "period_start"),
        # Counts can never be negative; other units (index scores) may be.
        (
            "ExpectColumnValuesToBeBetween",
            {"column": "value", "min_value": 0, "condition_parser": "pandas", "row_condition": 'unit=="count"'},
        ),
        (
            "ExpectColumnValuesToBeBetween",
            {
                "column": "value",
                "min_value": 0,
                "max_value": 100,
                "condition_parser": "pandas",
                "row_condition": 'unit=="percent"',
            },
        ),
    ]
