"""The one Great Expectations suite, made from the landing tables' contracts (sources/tidy.py
TableContract), as data: (expectation class, kwargs) per table.

From a contract: allowed values, patterns (GSS codes) and the unique key; required columns only
where no DDL made from the same contract enforces NOT NULL already (such an expectation could never
fail). The tidy contract adds its own rules (a status wherever a value is missing, a value inside
its interval, counts and percentages in range). Invariants across tables (counts that reconcile
with England, every area known, harmonised rows unique) are SQL checks (sql/checks/).
"""

from __future__ import annotations

from sources.tidy import TIDY_CONTRACT, TIDY_TABLE, TableContract

Suite = list[tuple[str, dict]]


def _between_ci(column_a: str, column_b: str) -> tuple[str, dict]:
    return (
        "ExpectColumnPairValuesAToBeGreaterThanB",
        {"column_A": column_a, "column_B": column_b, "or_equal": True, "ignore_row_if": "either_value_is_missing"},
    )


def contract_suite(contract: TableContract, *, ddl_enforced: bool = True) -> Suite:
    """What a table's contract says beyond the DDL made from it (or, with ddl_enforced=False, for a
    table some other code created: its required columns too)."""
    suite: Suite = []
    for c in contract.columns:
        if c.required and not ddl_enforced:
            suite.append(("ExpectColumnValuesToNotBeNull", {"column": c.name}))
        if c.allowed:
            suite.append(("ExpectColumnValuesToBeInSet", {"column": c.name, "value_set": list(c.allowed)}))
        if c.pattern:
            suite.append(("ExpectColumnValuesToMatchRegex", {"column": c.name, "regex": c.pattern}))
    if len(contract.key) == 1:
        suite.append(("ExpectColumnValuesToBeUnique", {"column": contract.key[0]}))
    elif contract.key:
        suite.append(("ExpectCompoundColumnsToBeUnique", {"column_list": list(contract.key)}))
    return suite


def tidy_rules() -> Suite:
    """The tidy contract's rules across columns of one row."""
    return [
        (
            "ExpectColumnValuesToNotBeNull",
            {"column": "observation_status", "condition_parser": "pandas", "row_condition": "value.isnull()"},
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


def suite_for(contract: TableContract, *, ddl_enforced: bool = True) -> Suite:
    """The suite of one landing table: its contract's, plus the tidy rules for a table in tidy form."""
    tidy = contract.columns == TIDY_CONTRACT
    return contract_suite(contract, ddl_enforced=ddl_enforced) + (tidy_rules() if tidy else [])


def tidy_contract_suite() -> Suite:
    """A source's rows in both tidy landing tables (tidy_rows_for_source.sql adds `landing_table`):
    one row per landing table, indicator, area, period and release."""
    both = TableContract(TIDY_CONTRACT, key=("landing_table", *TIDY_TABLE.key))
    return suite_for(both)
