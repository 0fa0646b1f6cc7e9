"""Landing a checked records load: the landing.records_* tables of a database replaced in one
transaction. Pure Python and SQL (no Dagster): landing/records (assets/records.py) runs it on the
warehouse's connection after ingest(), and benchmarks/bench_records.py runs it the same way.

Each table is written once, from the engine's output straight into its landing table. With
keep_previous, a file rejected whole keeps its last good rows (same mode only). Every table is
replaced, or none: a failure part-way leaves the last landing as it was.
"""

from __future__ import annotations

import duckdb

from ..archive import now_utc
from ..sqlnames import quote_ident, swap_in_staged
from .ingest import RecordsLoad
from .validation import text_sql

# Tables describing this load only: never topped up with a rejected file's previous rows.
BOOKKEEPING = ("records_quarantine", "records_problems", "records_reconciliation")
# Only a previous row of the same file (or, for a CSV folder named 'folder/', of a file in it) is kept.
KEPT_WHERE = "WHERE source_file = $file OR (right($file, 1) = '/' AND starts_with(source_file, $file))"


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    # No value bound: binding one makes DuckDB's Python client import pandas, which a refresh with
    # nothing new otherwise never needs; the few names are compared here instead.
    return (schema, name) in con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()


def same_mode(con: duckdb.DuckDBPyConnection, example: bool) -> bool:
    """Whether the landed records are of the same kind (the example set, or real records) as `example`."""
    if not table_exists(con, "landing", "records_status"):
        return False
    row = con.execute("SELECT example_data FROM landing.records_status LIMIT 1").fetchone()
    return row is not None and bool(row[0]) == example


def _columns(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, str]:
    return dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'landing' AND table_name = $name",
            {"name": name},
        ).fetchall()
    )


def _stage(con: duckdb.DuckDBPyConnection, load: RecordsLoad, name: str, source: str, staged: str) -> None:
    """CREATE `staged` AS the engine's table `source`: directly when the engine ran on this
    connection (the refresh), else through Arrow batches (a load checked on its own connection).
    A table landed from its scans is written part by part (a file at a time), each part in the
    order its scan stored it, so its rows keep file order with no sort."""
    # f-strings below splice only identifiers: `staged` and `source` are quote_ident()-quoted names of
    # the records data model (never user text); DuckDB cannot bind identifiers as parameters.
    if load.con is con:
        parts = load.output_parts.get(name)
        if parts:
            # A connection set not to keep insertion order keeps it for these statements.
            (ordered,) = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone() or (True,)
            if not ordered:
                con.execute("SET preserve_insertion_order = true")
            try:
                # Identifiers as above; each part is the engine's SQL (Engine._scanned_output), whose only
                # text from outside the code, a file or sheet name, is spliced as hex digits (text_sql).
                con.execute(f"CREATE OR REPLACE TABLE {staged} AS {parts[0]}")  # safe: engine SQL, quoted name
                for part in parts[1:]:
                    con.execute(f"INSERT INTO {staged} {part}")  # safe: engine SQL, quoted name
            finally:
                if not ordered:
                    con.execute("SET preserve_insertion_order = false")
            return
        # Identifiers only (DuckDB cannot bind them): quote_ident()-quoted data-model table names.
        copy = f"CREATE OR REPLACE TABLE {staged} AS SELECT * FROM {quote_ident(source)}"  # safe: quoted names
        con.execute(copy)
        return
    reader = load.con.execute(f"SELECT * FROM {quote_ident(source)}").fetch_record_batch()
    con.register("records_incoming", reader)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {staged} AS SELECT * FROM records_incoming")
    finally:
        con.unregister("records_incoming")


def land(con: duckdb.DuckDBPyConnection, load: RecordsLoad, fingerprint: str, keep_previous: bool = False) -> list[str]:
    """Replace the landing.records_* tables (and landing.records_status) with this load, in one
    transaction. Returns notes (counts only, never a file name: Dagster keeps its logs)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS landing")
    con.execute("BEGIN TRANSACTION")
    try:
        notes = _replace(con, load, fingerprint, keep_previous)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return notes


def _replace(con: duckdb.DuckDBPyConnection, load: RecordsLoad, fingerprint: str, keep_previous: bool) -> list[str]:
    kept_from = load.rejected_files if keep_previous and same_mode(con, load.example_data) else []
    notes: list[str] = []
    kept_rows: list[tuple] = []
    for name, source in load.relations().items():
        target = "landing." + quote_ident(name)
        staged = "landing." + quote_ident(name + "__next")
        _stage(con, load, name, source, staged)
        if kept_from and name not in BOOKKEEPING and table_exists(con, "landing", name):
            previous, now = _columns(con, name), _columns(con, name + "__next")
            if any(now.get(column) != kind for column, kind in previous.items()):
                # Checked beforehand, not tried: a failed statement would abort the whole transaction.
                notes.append(f"previous {name} rows of a rejected file no longer match the data model; not kept")
            else:
                # The f-strings splice only `target` and `staged`, quote_ident()-quoted names of the
                # records data model (never user text; DuckDB cannot bind identifiers); the file is bound.
                for file in kept_from:
                    if "__" not in name:
                        kept_rows += con.execute(
                            f"SELECT source_file, source_sheet, $table, 'kept_previous', 0, 0, 0, count(*) "
                            f"FROM {target} {KEPT_WHERE} GROUP BY ALL",
                            {"file": file, "table": name.removeprefix("records_")},
                        ).fetchall()
                    con.execute(f"INSERT INTO {staged} BY NAME SELECT * FROM {target} {KEPT_WHERE}", {"file": file})
        swap_in_staged(con, "landing", name)
    if kept_rows:
        con.executemany(
            "INSERT INTO landing.records_reconciliation (file, sheet, table_name, status, read, loaded, "
            "quarantined, kept_previous) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [list(r) for r in kept_rows],
        )
        for table in sorted({r[2] for r in kept_rows}):
            notes.append(
                f"kept {sum(r[7] for r in kept_rows if r[2] == table)} previous good {table} rows "
                "of files rejected whole"
            )
    # Constants spliced, not bound (binding a value makes DuckDB's Python client import pandas,
    # numpy and pyarrow, about 0.4 s): TRUE/FALSE, integers, and texts as hex digits (text_sql).
    status = [
        ("example_data", "BOOLEAN", "TRUE" if load.example_data else "FALSE"),
        ("files", "BIGINT", str(int(len(load.files)))),
        ("rejected_files", "BIGINT", str(int(len(load.rejected_files)))),
        ("problems", "BIGINT", str(int(load.problem_count))),
        ("loaded_at", "VARCHAR", text_sql(now_utc())),
        ("fingerprint", "VARCHAR", text_sql(fingerprint)),
    ]
    con.execute(
        "CREATE OR REPLACE TABLE landing.records_status AS SELECT "
        + ", ".join(f"{value}::{kind} AS {name}" for name, kind, value in status)  # safe: the constants above
    )
    return notes
