"""The refresh's private DuckDB database and the atomic publish of the analysts' copy.

DuckDB allows one writing process per file, and a reader of a file blocks its writer. So the
refresh writes only to its private work database, under an OS file lock, and analysts read a
separate published file that is replaced in one atomic rename after the blocking checks pass.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd

from sources.sqlnames import qualified, quote_ident

from .settings import checked_memory_limit

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"
SCHEMAS = ("landing", "staging", "intermediate", "marts")
MACROS = tuple(path.read_text() for path in sorted((SQL_DIR / "macros").glob("*.sql")))
# Only these schemas reach the published warehouse: landing/staging may hold pseudonymised
# record-level rows and free text that must never be published.
PUBLISHED_SCHEMAS = ("marts",)


class WarehouseBusy(Exception):
    pass


# Private databases this process keeps open (and locked) for a whole run: Warehouse.held().
_HELD: dict[Path, duckdb.DuckDBPyConnection] = {}


# Model folders: each file is one SELECT, materialised as the table its path names
# (sql/staging/code_map.sql -> staging.code_map), as dbt runs its models; no DDL or DML there.
MODEL_FOLDERS = ("staging", "intermediate", "marts")


def read_sql(relpath: str) -> str:
    path = SQL_DIR / relpath
    if not path.exists():
        raise FileNotFoundError(f"SQL file not found: sql/{relpath}")
    return path.read_text()


def statement_sql(relpath: str) -> str:
    """The statement a file stands for: a model's SELECT wrapped in the CREATE of its table."""
    folder, _, stem = relpath.removesuffix(".sql").partition("/")
    if folder not in MODEL_FOLDERS:
        return read_sql(relpath)
    return "CREATE OR REPLACE TABLE " + quote_ident(folder) + "." + quote_ident(stem) + " AS\n" + read_sql(relpath)


# The format the private database is created in: DuckDB 1.4's (pyproject's lowest DuckDB), not the
# 1.0 format DuckDB still writes by default. Its string compression (DICT_FSST, one analysis where
# 1.0 runs a dictionary's and FSST's) costs less to write at the same size: the landing's copy of
# 1M activity rows 1.77 -> 1.36 s of CPU, 17.0 MiB either way (docs/records-speed.md). DuckDB fixes
# a file's format when it makes the file, so a private database made before keeps its own. The
# published file is made in the default format (publish()), which older 1.x clients can read.
WORK_STORAGE_VERSION = "v1.4.0"

# The name the prepared statements of Warehouse.run_prepared take (each replaces the one before).
PREPARED = quote_ident("inclusion_prepared")


def sql_constant(value: str | int | bool | None) -> str:
    """A parameter's value as a SQL constant made of code's characters only: NULL, TRUE/FALSE, an
    integer's digits, or a text's UTF-8 bytes as hex digits that DuckDB decodes back (so quotes or
    anything else in a file name cannot reach the parser). Other types are refused."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, str):
        return "decode(unhex('" + value.encode("utf-8").hex() + "'))"
    raise TypeError(f"cannot pass a {type(value).__name__} to a prepared statement as a constant")


def quote_literal(text: str) -> str:
    """ATTACH takes no bound parameters; paths come from our settings, quoted defensively."""
    return "'" + text.replace("'", "''") + "'"


class Warehouse:
    def __init__(
        self, work_path: Path, published_path: Path, lock_timeout: float = 600.0, memory_limit: str | None = None
    ):
        self.work_path = Path(work_path)
        self.published_path = Path(published_path)
        self.lock_timeout = lock_timeout
        # DuckDB's default is 80% of RAM; a limit makes the big steps (the IG+ Monte Carlo) spill
        # to <work>.tmp instead of taking the machine. Checked now, so a typo fails before any work.
        self.memory_limit = checked_memory_limit(memory_limit) if memory_limit else None

    @property
    def lock_path(self) -> Path:
        return self.work_path.with_suffix(".lock")

    def busy(self) -> bool:
        """Does another process hold the lock now (a refresh running)? Asked without waiting."""
        if not self.lock_path.exists() or self.work_path in _HELD:
            return False
        with open(self.lock_path, "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(lock, fcntl.LOCK_UN)
        return False

    @contextmanager
    def locked(self) -> Iterator[Path]:
        """The exclusive file lock every writer of the private database holds; yields its path."""
        self.work_path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.lock_path
        with open(lock_path, "w") as lock:
            deadline = time.monotonic() + self.lock_timeout
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise WarehouseBusy(
                            f"another refresh has held {lock_path} for over {self.lock_timeout:.0f}s"
                        ) from None
                    time.sleep(0.2)
            try:
                yield self.work_path
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Keep the private database open, and its lock held, for a whole run (the resource does this).
        Every connect() then joins the open database instead of opening the file again and
        checkpointing it on close: ~40 ms of CPU and more of I/O each, for some 160 steps and checks.
        Another process waits on the lock, as it would between steps."""
        if self.work_path in _HELD:
            yield
            return
        with self.locked():
            _HELD[self.work_path] = self._open()
            try:
                yield
            finally:
                _HELD.pop(self.work_path).close()

    def _open(self) -> duckdb.DuckDBPyConnection:
        """The private database opened for a run, its memory limit and schemas set once: the limit is
        a setting of the whole open database, so every connection that joins it has it."""
        con = self._connect_file()
        self._prepare(con)
        return con

    def _connect_file(self) -> duckdb.DuckDBPyConnection:
        """The private database's file opened (the lock held), created first in WORK_STORAGE_VERSION's
        format when there is none: a format is chosen only when a file is created."""
        if not self.work_path.exists():
            with duckdb.connect() as maker:
                maker.execute(
                    "ATTACH " + quote_literal(str(self.work_path)) + " AS created "
                    "(STORAGE_VERSION " + quote_literal(WORK_STORAGE_VERSION) + ")"
                )
        return duckdb.connect(str(self.work_path))

    def _prepare(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.memory_limit:
            con.execute("SET memory_limit = " + quote_literal(self.memory_limit))
        for schema in SCHEMAS:
            con.execute("CREATE SCHEMA IF NOT EXISTS " + quote_ident(schema))

    @contextmanager
    def _locked_unless_held(self) -> Iterator[Path]:
        if self.work_path in _HELD:  # this process holds the lock already (a second flock would wait on it)
            yield self.work_path
        else:
            with self.locked() as path:
                yield path

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write connection to the private database, held under an exclusive file lock."""
        with self._locked_unless_held():
            held = self.work_path in _HELD  # then its limit and schemas were set when it was opened
            con = self._connect_file()
            try:
                if not held:
                    self._prepare(con)
                for macro in MACROS:  # shared formulas (sql/macros/), defined for this connection
                    con.execute(macro)
                yield con
            finally:
                con.close()

    @contextmanager
    def published_marts(self) -> Iterator[Path]:
        """A database file holding exactly the marts just published, to read them (read-only) without
        opening the published file, which an analyst may hold open for writing (the DuckDB CLI's
        default): the private database, under the lock so no writer changes it meanwhile. A held
        database is closed meanwhile (DuckDB opens a file one way per process) and opened again."""
        with self._locked_unless_held() as path:
            keeper = _HELD.pop(self.work_path, None)
            if keeper is None:
                yield path
                return
            keeper.close()
            try:
                yield path
            finally:
                _HELD[self.work_path] = self._open()

    @staticmethod
    def run(con, relpath: str, params: dict | None = None):
        return con.execute(statement_sql(relpath), params or {})

    @staticmethod
    def run_prepared(con, relpath: str, params: dict):
        """The file's statement with its parameters bound by DuckDB's own PREPARE and EXECUTE, not by
        the Python client: binding any value but None makes the client import pandas, numpy and
        pyarrow (about 0.5 s of CPU), which a refresh with nothing new otherwise never needs. The
        statement text is the file's, untouched; EXECUTE's arguments carry only code's names and
        constants (sql_constant), so no text of a value reaches the parser."""
        return Warehouse._execute_prepared(con, statement_sql(relpath), params)

    @staticmethod
    def _execute_prepared(con, statement: str, params: dict):
        # Only a statement from sql/ and identifiers from code (quote_ident) are spliced.
        con.execute("PREPARE " + PREPARED + " AS\n" + statement)
        arguments = ", ".join(quote_ident(name) + " := " + sql_constant(value) for name, value in params.items())
        return con.execute("EXECUTE " + PREPARED + "(" + arguments + ")")

    @staticmethod
    def frame(con, relpath: str, params: dict | None = None) -> pd.DataFrame:
        return con.execute(read_sql(relpath), params or {}).df()

    @staticmethod
    def records(con, relpath: str, params: dict | None = None) -> list[dict]:
        """The rows as dicts of Python values (NULL as None), without pandas: for a few rows."""
        cursor = Warehouse._execute_prepared(con, read_sql(relpath), params or {})
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    @staticmethod
    def table_exists(con, schema: str, name: str) -> bool:
        """Whether schema.name is a table or view. No value bound: binding one makes DuckDB's client
        import pandas (run_prepared), which a refresh with nothing new otherwise never needs."""
        return (schema, name) in con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
        ).fetchall()

    @staticmethod
    def qualified(schema: str, table: str) -> str:
        return qualified(schema, table)

    @staticmethod
    def replace_table(con, schema: str, table: str, df: pd.DataFrame) -> int:
        """Idempotent load of a DataFrame as schema.table (replaced whole)."""
        con.register("incoming_frame", df)
        try:
            con.execute(
                "CREATE OR REPLACE TABLE "
                + quote_ident(schema)
                + "."
                + quote_ident(table)
                + " AS SELECT * FROM incoming_frame"
            )
        finally:
            con.unregister("incoming_frame")
        return len(df)

    @staticmethod
    def _comment(work) -> None:
        """COMMENT ON every published table and column, in docs/warehouse.md's words."""
        from .schema_docs import DOC, comment_statements, table_docs

        if not DOC.exists():
            return
        rows = work.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = "
            "'publishing' AND schema_name = 'marts' ORDER BY table_name, column_index"
        ).fetchall()
        columns: dict[str, list[str]] = {}
        for table, column in rows:
            columns.setdefault(table, []).append(column)
        for statement in comment_statements("publishing", table_docs(), columns):
            work.execute(statement)

    def publish(self) -> dict:
        """Copy the marts into a new file and rename it over the published warehouse atomically."""
        self.published_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.published_path.with_name(self.published_path.name + ".publishing")
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            leftover.unlink(missing_ok=True)
        counts: dict[str, int] = {}
        with self.connect() as work:
            work.execute("CHECKPOINT")
            work.execute("ATTACH " + quote_literal(str(tmp)) + " AS publishing")
            try:
                for schema in PUBLISHED_SCHEMAS:
                    work.execute("CREATE SCHEMA IF NOT EXISTS publishing." + quote_ident(schema))
                    tables = work.execute(
                        "SELECT table_name FROM information_schema.tables WHERE table_catalog = "
                        "current_database() AND table_schema = $schema AND table_type = 'BASE TABLE' "
                        "ORDER BY table_name",
                        {"schema": schema},
                    ).fetchall()
                    for (table,) in tables:
                        target = "publishing." + quote_ident(schema) + "." + quote_ident(table)
                        work.execute(
                            "CREATE TABLE "
                            + target
                            + " AS SELECT * FROM "
                            + quote_ident(schema)
                            + "."
                            + quote_ident(table)
                        )
                        (counts[f"{schema}.{table}"],) = work.execute("SELECT count(*) FROM " + target).fetchall()[0]
                self._comment(work)
            finally:
                work.execute("DETACH publishing")
        os.replace(tmp, self.published_path)
        return counts
