"""Great Expectations suites, as data: (expectation class, kwargs)."""

from __future__ import annotations

GSS_LAD = r"^E0[6-9]\d{6}$"
GSS_ANY = r"^[EWSNK]\d{8}$"


def landing_values_suite(units: set[str]) -> list[tuple[str, dict]]:
    """Local-authority rows a source produced (the landing table for that source)."""
    suite = [
        ("ExpectColumnValuesToNotBeNull", {"column": "indicator_id"}),
        ("ExpectColumnValuesToNotBeNull", {"column": "area_code"}),
        ("ExpectColumnValuesToNotBeNull", {"column": "period"}),
        ("ExpectColumnValuesToMatchRegex", {"column": "area_code", "regex": GSS_ANY}),
        ("ExpectCompoundColumnsToBeUnique", {"column_list": ["indicator_id", "area_code", "period", "release"]}),
        # A value is either a number or carries a status saying why not.
        (
            "ExpectColumnValuesToBeInSet",
            {
                "column": "observation_status",
                "value_set": [
                    "suppressed",
                    "unreliable",
                    "not_available",
                    "not_applicable",
                    "provisional",
                    "estimated",
                ],
            },
        ),
        # Counts can never be negative; other units (index scores) may be.
        (
            "ExpectColumnValuesToBeBetween",
            {"column": "value", "min_value": 0, "condition_parser": "pandas", "row_condition": 'unit=="count"'},
        ),
    ]
    if "percent" in units:
        suite.append(
            (
                "ExpectColumnValuesToBeBetween",
                {
                    "column": "value",
                    "min_value": 0,
                    "max_value": 100,
                    "condition_parser": "pandas",
                    "row_condition": 'unit=="percent"',
                },
            )
        )
    return suite
