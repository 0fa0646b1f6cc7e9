"""An in-memory DuckDB with the landing tables, for tests of single SQL steps."""

import duckdb

from assets import landing as ld


def landing_connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for schema in ("landing", "staging", "marts"):
        con.execute(f"CREATE SCHEMA {schema}")
    ld.ensure_landing(con)
    return con
