"""The one Great Expectations suite, made from the landing tables' contracts (sources/tidy.py
TableContract), as data: (expectation class, kwargs) per table.

From a contract: allowed values, patterns (GSS codes) and the unique key; required columns only
where no DDL made from the same contract enforces NOT NULL already (such an expectation could never
fail). The tidy contract adds its own rules (a status wherever a value is missing, a value inside
its interval, counts and percentages in range). Invariants across tables (counts that reconcile
with England, every area known, harmonised rows unique) are SQL checks (sql/checks/).
"""

from __future__ import annotations

from sources.records.model import TABLES as RECORD_TABLES
from sources.records.validation import SQL_TYPES as RECORD_TYPES
from sources.tidy import TIDY_CONTRACT, TIDY_TABLE, TableContract, TidyColumn, column

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


# The records engine adds where each row came from, and lands a contributor id only as its pseudonym.
PROVENANCE = (column("source_file"), column("source_sheet"), column("source_row", "BIGINT"))
LANDED_AS = {"contributor_id": "contributor_pseudonym"}


def _landed_column(c) -> TidyColumn:
    """A records model column as landed: several values in one cell stay text (their rows are in
    the link table records_<table>__<column>)."""
    return column(LANDED_AS.get(c.name, c.name), "VARCHAR" if c.many else RECORD_TYPES.get(c.kind, "VARCHAR"))


def _columns(*spec: str) -> tuple[TidyColumn, ...]:
    """column("name", "TYPE") for each "name TYPE"."""
    return tuple(column(*item.split()) for item in spec)


# What the records engine and the records assets write beside the rows: files seen, problems found,
# rows quarantined, read/loaded/quarantined counts per sheet, and the load's status.
RECORDS_BOOKKEEPING = {
    "records_files": TableContract(
        _columns("path VARCHAR", "kind VARCHAR", "bytes BIGINT", "sha256 VARCHAR"), key=("path",)
    ),
    "records_problems": TableContract(
        _columns(
            "file VARCHAR",
            "sheet VARCHAR",
            "row BIGINT",
            "column VARCHAR",
            "kind VARCHAR",
            "message VARCHAR",
            "allowed VARCHAR",
            "file_id VARCHAR",
            "table_name VARCHAR",
            "template_column VARCHAR",
        )
    ),
    "records_quarantine": TableContract(
        _columns(
            "file VARCHAR",
            "sheet VARCHAR",
            "table_name VARCHAR",
            "row BIGINT",
            "kinds VARCHAR",
            "reasons VARCHAR",
            "row_values VARCHAR",
            "file_id VARCHAR",
        )
    ),
    "records_reconciliation": TableContract(
        _columns(
            "file VARCHAR",
            "sheet VARCHAR",
            "table_name VARCHAR",
            "status VARCHAR",
            "read BIGINT",
            "loaded BIGINT",
            "quarantined BIGINT",
            "kept_previous INTEGER",
            "file_id VARCHAR",
        )
    ),
    "records_status": TableContract(
        _columns(
            "example_data BOOLEAN",
            "files BIGINT",
            "rejected_files BIGINT",
            "problems BIGINT",
            "loaded_at VARCHAR",
            "fingerprint VARCHAR",
        )
    ),
}


def records_contracts() -> dict[str, TableContract]:
    """The contract of each landing.records_<table> and link table, from the records data model
    (sources/records/model.py): columns and types, and the key unique across the records folder
    (none for a table whose identical repeats are allowed). Required values and allowed choices are
    the records checker's (rows breaking them are quarantined before landing), so not repeated."""
    contracts = {}
    for table in RECORD_TABLES:
        key = () if table.same_duplicates_ok else tuple(LANDED_AS.get(k, k) for k in table.key)
        loaded = tuple(_landed_column(c) for c in table.columns if c.loaded)
        contracts[f"records_{table.name}"] = TableContract((*PROVENANCE, *loaded), key=key)
        for c in table.columns:
            if c.many:
                link = (column("source_file"), column(table.key[0]), column("value"))
                contracts[f"records_{table.name}__{c.name}"] = TableContract(link)
    return contracts | RECORDS_BOOKKEEPING


def columns_suite(contract: TableContract) -> Suite:
    """For a table no DDL of ours made: its columns and types, over its catalogue rows ("name TYPE")."""
    expected = [f"{c.name} {c.sql_type}" for c in contract.columns]
    return [("ExpectColumnDistinctValuesToEqualSet", {"column": "name_and_type", "value_set": expected})]


def tidy_contract_suite() -> Suite:
    """A source's rows in both tidy landing tables (tidy_rows_for_source.sql adds `landing_table`):
    one row per landing table, indicator, area, period and release."""
    both = TableContract(TIDY_CONTRACT, key=("landing_table", *TIDY_TABLE.key))
    return suite_for(both)
