"""Asset checks: the one Great Expectations suite (the tidy contract) on each source's landed rows,
freshness per source, and SQL checks across tables ("a check query returns the violating rows;
zero rows pass")."""

from importlib.metadata import version as installed_version
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

if TYPE_CHECKING:  # pandas is imported by what runs the checks, not when they are defined
    import pandas as pd

from assets.resources import WarehouseResource
from assets.warehouse import SQL_DIR, Warehouse, quote_ident
from sources.registry import SOURCE_IDS, package_name, source

from . import landing as ld
from .lineage import deps_from_sql, digest, python_code_version, sql_code_version
from .quality import check_result, validate_tables
from .sources import landing_key
from .suites import columns_suite, records_contracts, suite_for, tidy_contract_suite
from .versions import check_outcome

RECONCILED_COUNTS = ["rough_sleeping_count", "population_all_ages"]
# What a check's answer depends on besides its data: this module and what it imports (the GX
# adapter and suites included), and the Great Expectations release (read without importing it).
CHECKS_CODE_VERSION = digest(python_code_version("assets.checks"), installed_version("great_expectations"))


def build_gx_check(source_id: str) -> dg.AssetChecksDefinition:
    # The source's contracts (its meta.py, read through the registry) are part of what the check asks.
    gx_code = digest(
        CHECKS_CODE_VERSION,
        sql_code_version("landing/tidy_rows_for_source.sql"),
        python_code_version(package_name(source_id) + ".meta"),
    )

    @dg.asset_check(
        asset=landing_key(source_id),
        name="gx_tidy_contract",
        blocking=True,
        description="Great Expectations: the contract of every landing table the source writes: its rows in "
        "landing.indicator_values and landing.aggregate_values (GSS codes, units, statuses, a value or a reason, "
        "intervals, no duplicates) and each landing.<source>__<table> (allowed values, GSS codes, unique keys).",
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        def run() -> dg.AssetCheckResult:
            with warehouse.connect() as con:
                ld.ensure_landing(con)
                batches = landing_batches(con, source_id)
            return check_result(validate_tables(batches))

        return check_outcome(context, gx_code, [landing_key(source_id)], run)

    return _check


def landing_batches(con, source_id: str) -> dict:
    """Each landing table of the source with the suite its contract gives: (rows, suite) by table."""
    described = source(source_id)
    batches = {}
    if described.indicators:
        tidy = Warehouse.frame(con, "landing/tidy_rows_for_source.sql", {"source_id": source_id})
        batches["tidy_rows"] = (tidy, tidy_contract_suite())
    landed = set(ld.table_rows(con, "landing", [f"{source_id}__{n}" for n in described.extra_tables]))
    for name, contract in described.extra_tables.items():
        table = f"{source_id}__{name}"
        if table in landed:  # absent until the source first lands
            # An identifier cannot be bound; it is quote_ident()-quoted and comes from the registry.
            batches[table] = (con.execute("SELECT * FROM landing." + quote_ident(table)).df(), suite_for(contract))
    return batches


RECORDS_LANDING = dg.AssetKey(["landing", "records"])


def records_batches(con) -> dict:
    """Each landed records table: its catalogue rows against its columns and types, its rows against
    its unique key (tables not landed yet are left out)."""
    contracts = records_contracts()
    landed = set(ld.table_rows(con, "landing", list(contracts)))
    batches = {}
    for table, contract in contracts.items():
        if table in landed:
            columns = Warehouse.frame(con, "landing/landed_columns.sql", {"table_name": table})
            batches[table + ":columns"] = (columns, columns_suite(contract))
            rows = contract_rows(con, table, contract)
            batches[table] = (rows, suite_for(contract, ddl_enforced=False))
    return batches


def contract_rows(con, table: str, contract) -> "pd.DataFrame":
    """The key columns of a landed table: all the row-level expectations read (no other values)."""
    key = ", ".join(quote_ident(k) for k in contract.key) or "1 AS no_key"
    # Identifiers cannot be bound: the key columns and table are quote_ident()-quoted names declared
    # by the landing contract (code, never data or user text).
    return con.execute(f"SELECT {key} FROM landing.{quote_ident(table)}").df()  # safe: quoted names from code


def build_records_gx_check() -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=RECORDS_LANDING,
        name="gx_tidy_contract",
        blocking=False,  # records problems fail only the records branch, never the public statistics
        description="Great Expectations: each landing.records_* table's columns and types as the records data "
        "model gives them, and its key unique across the folder (last good rows kept for a rejected file included).",
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        def run() -> dg.AssetCheckResult:
            with warehouse.connect() as con:
                outcome = validate_tables(records_batches(con))
            for result in outcome.results:  # keys may be pseudonyms: counts only in Dagster's records
                result["examples"] = []
            return check_result(outcome)

        return check_outcome(context, CHECKS_CODE_VERSION, [RECORDS_LANDING], run)

    return _check


def build_freshness_check(source_id: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=landing_key(source_id),
        name="fresh",
        blocking=False,
        description="Warns when the source's latest refresh failed and last good data is kept.",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect() as con:
            ld.ensure_landing(con)
            status = ld.status_of(con, source_id) or {}
        ok = status.get("status") == "ok"
        return dg.AssetCheckResult(
            passed=ok,
            severity=dg.AssetCheckSeverity.WARN,
            description="up to date" if ok else f"{status.get('status')}: {status.get('reason')}",
            metadata={"status": str(status.get("status")), "last_success_at": str(status.get("last_success_at"))},
        )

    return _check


def build_sql_check(name: str, asset: dg.AssetKey, params=None, *, blocking: bool = True) -> dg.AssetChecksDefinition:
    relpath = f"checks/{name}.sql"
    severity = dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN

    # The other tables the check's SQL reads run before it too (lineage read from the SQL).
    others = [k for k in deps_from_sql(relpath, list(SOURCE_IDS)) if k != asset]
    code = digest(CHECKS_CODE_VERSION, sql_code_version(relpath, tuple(params or {})))

    @dg.asset_check(
        asset=asset,
        name=name,
        blocking=blocking,
        additional_deps=others,
        description=(SQL_DIR / relpath).read_text().splitlines()[0].lstrip("- "),
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        def run() -> dg.AssetCheckResult:
            with warehouse.connect() as con:
                violations = Warehouse.frame(con, relpath, params or {})
            return dg.AssetCheckResult(
                passed=violations.empty,
                severity=severity,
                metadata={
                    "violations": len(violations),
                    "examples": dg.MetadataValue.md(
                        violations.head(20).to_markdown(index=False) if not violations.empty else "none"
                    ),
                },
            )

        return check_outcome(context, code, [asset, *others], run, params)

    return _check


INDICATOR_VALUES = dg.AssetKey(["marts", "indicator_values"])
SOURCES = dg.AssetKey(["marts", "sources"])
check_defs = (
    # A source with no indicators and no extra tables lands nothing to check: a check could never fail.
    [build_gx_check(s) for s in SOURCE_IDS if source(s).indicators or source(s).extra_tables]
    + [build_records_gx_check()]
    + [build_freshness_check(s) for s in SOURCE_IDS]
    + [
        build_sql_check(
            Path(p).stem, INDICATOR_VALUES, {"reconciled_indicators": RECONCILED_COUNTS} if "reconcile" in p else None
        )
        for p in sorted(str(x) for x in (SQL_DIR / "checks").glob("indicator_values_*.sql"))
        + [str(SQL_DIR / "checks" / "counts_reconcile_with_england.sql")]
    ]
    + [build_sql_check("completeness_for_vintage", INDICATOR_VALUES, blocking=False)]
    + [build_sql_check("sources_release_titled", SOURCES)]
)
