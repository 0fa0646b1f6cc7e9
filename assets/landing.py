"""Helpers shared by the source assets: landing tables, status records, fingerprints."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from assets.warehouse import Warehouse, quote_ident
from sources.archive import RawFile, now_utc
from sources.sqlnames import swap_in_staged
from sources.tidy import TIDY_COLUMNS, TIDY_CONTRACT, TableContract, TidyColumn

# The landing tables in the tidy contract (sources/tidy.py), one slice per source; their DDL is
# made from the contract, so the two tables cannot drift apart or from what the parsers produce.
TIDY_TABLES = (
    "indicator_values",  # local-authority rows, as each source parsed them (before harmonisation)
    "aggregate_values",  # England, regions and other aggregates, exactly as the publisher printed them
)
SQL_TYPES = {"VARCHAR", "DOUBLE", "DATE", "BIGINT", "BOOLEAN"}  # the contracts' types; anything else is a mistake
LANDING_DDL = (
    "landing/create_raw_files.sql",
    "landing/create_source_status.sql",
    "landing/create_unavailable_indicators.sql",
    "landing/create_raw_files_landed.sql",
    "landing/create_source_editions.sql",
    "landing/create_publisher_releases.sql",
)


def tidy_table_ddl(table: str) -> str:
    """CREATE TABLE IF NOT EXISTS landing.<table> with the tidy contract's columns, types and NOT NULLs."""
    return contract_ddl(table, TIDY_CONTRACT, "CREATE TABLE IF NOT EXISTS")


def contract_ddl(table: str, columns: tuple[TidyColumn, ...], create: str = "CREATE OR REPLACE TABLE") -> str:
    """The DDL of landing.<table> from a contract's columns, types and NOT NULLs (identifiers and
    types come from code, never from data, and are checked)."""
    bad = sorted({c.sql_type for c in columns} - SQL_TYPES)
    if bad:
        raise ValueError(f"landing.{table}: unknown column types {bad} in its contract")
    lines = ",\n".join(f"    {quote_ident(c.name)} {c.sql_type}{' NOT NULL' if c.required else ''}" for c in columns)
    return f"{create} landing.{quote_ident(table)} (\n{lines}\n)"


def undeclared_columns(contract: TableContract, frame: pd.DataFrame) -> list[str]:
    return [str(c) for c in frame.columns if c not in contract.names]


def replace_contract_table(con, table: str, contract: TableContract, frame: pd.DataFrame) -> int:
    """landing.<table> replaced whole by `frame`, in the columns and types of its contract (a column
    the frame lacks is null; one the contract lacks, a value of another type or a missing required
    value is an error, before anything is replaced)."""
    unknown = undeclared_columns(contract, frame)
    if unknown:
        raise ValueError(f"landing.{table}: columns {unknown} are not in its contract")
    staged = Warehouse.qualified("landing", table + "__next")
    con.register("incoming_frame", frame)
    try:
        con.execute(contract_ddl(table + "__next", contract.columns))
        # Identifiers spliced, values not: DuckDB cannot bind identifiers, and these are a landing
        # contract's name (code), quote_ident()-quoted; the rows come from the registered frame.
        con.execute(f"INSERT INTO {staged} BY NAME SELECT * FROM incoming_frame")  # safe: quoted name from code
    finally:
        con.unregister("incoming_frame")
    swap_in_staged(con, "landing", table)
    return len(frame)


# The tables the DDL above creates (each file creates landing.<name after "create_">).
LANDING_TABLES = frozenset(
    [*TIDY_TABLES, *(ddl.removeprefix("landing/create_").removesuffix(".sql") for ddl in LANDING_DDL)]
)


def ensure_landing(con) -> None:
    """The landing tables every source step shares, created if missing (CREATE TABLE IF NOT EXISTS
    only). Asked some twenty times a refresh: one look at the catalogue when they are all there."""
    present = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'landing'"
    ).fetchall()
    if LANDING_TABLES <= {name for (name,) in present}:
        return
    for table in TIDY_TABLES:
        con.execute(tidy_table_ddl(table))
    for ddl in LANDING_DDL:
        Warehouse.run(con, ddl)


def fingerprint(shas: list[str], salt: str = "") -> str:
    return hashlib.sha256((salt + "|" + ",".join(sorted(shas))).encode()).hexdigest()[:20]


def status_of(con, source_id: str) -> dict | None:
    rows = Warehouse.records(con, "landing/source_status.sql", {"source_id": source_id})
    return rows[0] if rows else None


def record_attempt(
    con,
    source_id: str,
    status: str,
    *,
    reason: str | None = None,
    mode: str | None = None,
    releases: list[str] | None = None,
    raw_fingerprint: str | None = None,
    parsed_fingerprint: str | None = None,
) -> None:
    Warehouse.run_prepared(
        con,
        "landing/record_attempt.sql",
        {
            "source_id": source_id,
            "status": status,
            "reason": reason,
            "mode": mode,
            "releases": "; ".join(releases) if releases else None,
            "raw_fingerprint": raw_fingerprint,
            "parsed_fingerprint": parsed_fingerprint,
            "attempted_at": now_utc(),
        },
    )


def record_acquired(con, source_id: str, mode: str, raw_fingerprint: str) -> None:
    Warehouse.run_prepared(
        con,
        "landing/record_acquired.sql",
        {"source_id": source_id, "mode": mode, "raw_fingerprint": raw_fingerprint, "attempted_at": now_utc()},
    )


def raw_files(con, source_id: str) -> list[RawFile]:
    import pandas as pd

    df = Warehouse.frame(con, "landing/raw_files_for_source.sql", {"source_id": source_id})
    return [RawFile(**{k: (None if pd.isna(v) else v) for k, v in row.items()}) for row in df.to_dict("records")]


def replace_raw_files(con, source_id: str, files: list[RawFile]) -> None:
    params = {"source_id": source_id}
    if (status_of(con, source_id) or {}).get("status") == "ok" and not Warehouse.run_prepared(
        con, "landing/count_landed_raw_files.sql", params
    ).fetchone()[0]:
        remember_landed_files(con, source_id)  # a warehouse from before landed files were kept
    Warehouse.run_prepared(con, "landing/delete_raw_files.sql", params)
    for f in files:  # row by row, values bound: no DataFrame (pandas) for a few rows
        Warehouse.run_prepared(con, "landing/insert_raw_file.sql", f.to_dict())


def replace_publisher_releases(con, source_id: str, listed: list, checked_at: str | None) -> None:
    """What the publisher listed at this live check; none (a mirror refresh) means not checked."""
    Warehouse.run_prepared(con, "landing/delete_publisher_releases.sql", {"source_id": source_id})
    if not listed:  # nothing to insert (a mirror refresh lists nothing): pandas is not needed
        return
    import pandas as pd

    frame = pd.DataFrame(
        [
            {
                "source_id": source_id,
                "release_title": r.title,
                "release_date": r.release_date,
                "listed_rank": len(listed) - i,
                "state": r.state,
                "url": r.url,
                "checked_at": checked_at,
            }
            for i, r in enumerate(listed)
        ],
        columns=["source_id", "release_title", "release_date", "listed_rank", "state", "url", "checked_at"],
    )
    frame["release_date"] = pd.to_datetime(frame["release_date"]).dt.date
    frame["checked_at"] = pd.to_datetime(frame["checked_at"])
    _insert(con, "landing/insert_publisher_releases.sql", frame)


def replace_source_editions(con, source_id: str, editions: pd.DataFrame | None) -> None:
    Warehouse.run_prepared(con, "landing/delete_source_editions.sql", {"source_id": source_id})
    if editions is not None:
        _insert(con, "landing/insert_source_editions.sql", editions)


def remember_landed_files(con, source_id: str) -> None:
    """The raw files now behind the source's landed rows (put back if a later release is refused)."""
    Warehouse.run_prepared(con, "landing/delete_raw_files_landed.sql", {"source_id": source_id})
    Warehouse.run_prepared(con, "landing/insert_raw_files_landed.sql", {"source_id": source_id})


def restore_landed_files(con, source_id: str) -> None:
    """Provenance follows the rows kept: a refused release's files give way to the last good ones."""
    params = {"source_id": source_id}
    if Warehouse.run_prepared(con, "landing/count_landed_raw_files.sql", params).fetchone()[0]:
        Warehouse.run_prepared(con, "landing/delete_raw_files.sql", params)
        Warehouse.run_prepared(con, "landing/restore_raw_files.sql", params)


def values_extent(con, source_id: str) -> pd.DataFrame:
    return Warehouse.frame(con, "landing/values_extent.sql", {"source_id": source_id})


def table_rows(con, schema: str, tables: list[str]) -> dict[str, int]:
    """Row counts of the tables that exist (identifiers come from code, never from data files)."""
    present = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = $s", {"s": schema}
        ).fetchall()
    }
    return {
        t: con.execute("SELECT count(*) FROM " + Warehouse.qualified(schema, t)).fetchone()[0]
        for t in tables
        if t in present
    }


def replace_values(
    con, source_id: str, values: pd.DataFrame, aggregates: pd.DataFrame, unavailable: pd.DataFrame | None = None
) -> None:
    """Swap a source's rows in one transaction, so readers never see half a source."""
    con.execute("BEGIN TRANSACTION")
    try:
        params = {"source_id": source_id}
        Warehouse.run(con, "landing/delete_indicator_values.sql", params)
        Warehouse.run(con, "landing/delete_aggregate_values.sql", params)
        Warehouse.run(con, "landing/delete_unavailable_indicators.sql", params)
        _insert(con, "landing/insert_indicator_values.sql", values[TIDY_COLUMNS])
        _insert(con, "landing/insert_aggregate_values.sql", aggregates[TIDY_COLUMNS])
        if unavailable is not None:
            _insert(
                con,
                "landing/insert_unavailable_indicators.sql",
                unavailable.assign(source_id=source_id)[["source_id", "indicator_id", "reason"]],
            )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def _insert(con, relpath: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    con.register("incoming_frame", frame)
    try:
        Warehouse.run(con, relpath)
    finally:
        con.unregister("incoming_frame")


def provenance_json(files: list[RawFile]) -> str:
    return json.dumps(
        [{k: f.to_dict()[k] for k in ("original_name", "sha256", "origin", "retrieved_at")} for f in files]
    )
