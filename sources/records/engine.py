"""The records engine: cells streamed into DuckDB, every rule checked as set-based SQL.

Readers (xlsx.py, csvfiles.py) put each sheet's rows into rec_cells_<table>: per template column
the cell's text and a one-letter cell type:
  NULL  empty cell          s  text (from a CSV, or text/time cells)   n  number   d  date
  b     true/false          e  Excel error value                        f  formula with no saved result
  m     covered by merged cells (reads as empty)                         x  the sheet has no such column
Free text columns keep only their type (present or not): their text never enters DuckDB.
A well-formed CSV file skips that table: DuckDB reads it and types its cells in one pass straight
into rec_typed_<table> (csv_fast); its text is read again only for the rows quarantined. A table
the check's scan can prove clean (_fast_scan) is scanned instead, rows kept or not; a landing's scan
keeps every loaded value, and a clean table lands from its scans, a file at a time (output_parts).
validate() then runs validation.py's statements table by table, in reference order, and builds
the outputs (rec_out_<table>, links, rec_problems, rec_quarantine, rec_reconciliation). Everything
is a TEMP object of the connection, so nothing is written to a database file unless a caller copies
it (assets/records.py writes the landing tables).
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import duckdb
from duckdb.func import PythonUDFType

from . import validation as v
from .frameworks import builtin_points
from .model import LOAD_ORDER, TABLES, TABLES_BY_NAME, Table
from .problems import Problem
from .reading import SheetPlan

SQL_DIR = Path(__file__).with_name("sql")
MACROS = ("strip", "blank", "canonical", "show", "g", "is_error", "dates", "pseudonym", "file_id")
BATCH_ROWS = 20_000
QUARANTINE_BLOCK = 200_000  # quarantined rows per statement (_quarantine_table)
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
PROBLEM_FIELDS = ["file", "sheet", "row", "column", "kind", "message", "allowed"]


def _py_repr(values: Any) -> Any:  # pyarrow arrays; pyarrow is imported where a UDF runs, not by a check
    import pyarrow as pa

    return pa.array([None if x is None else repr(x) for x in values.to_pylist()], pa.string())


def _py_casefold(values: Any) -> Any:
    import pyarrow as pa

    return pa.array([None if x is None else x.casefold() for x in values.to_pylist()], pa.string())


PYTHON_FUNCTIONS = {"rec_py_repr": _py_repr, "rec_py_casefold": _py_casefold}
PYTHON_NEEDED = "rec_py_functions_needed"  # the error the SQL stand-ins raise (macro_py_repr.sql)


class ProveNumbersAtOnce(Exception):
    """A check's scanned file whose row numbers were to be proved later could not be read again by
    Python's csv module (Engine._prove_numbers): ingest starts again, proving them as it reads."""


class _PythonOnDemand:
    """The engine's connection: a statement that stopped because some text needs the Python functions
    (PYTHON_NEEDED) runs again once they are registered. A failed statement changed nothing (each
    runs in a transaction of its own), so running it again is safe."""

    def __init__(self, con: duckdb.DuckDBPyConnection, engine: Engine):
        self._con, self._engine = con, engine

    def execute(self, sql: str, params: Any = None) -> duckdb.DuckDBPyConnection:
        try:
            return self._con.execute(sql, params)
        except duckdb.Error as exc:
            if PYTHON_NEEDED not in str(exc) or self._engine.python_functions:
                raise
        self._engine.register_python_functions()
        return self._con.execute(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def hmac_pads(key: bytes) -> tuple[bytes, bytes]:
    """HMAC's inner and outer key pads (RFC 2104) for SHA-256, whose block is 64 bytes."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def key_table(con: duckdb.DuckDBPyConnection, key: bytes) -> None:
    """rec_key: the key's HMAC pads, for rec_pseudonym. No byte of the key enters the SQL text, and
    no value is bound (binding one makes DuckDB's Python client import pandas, numpy and pyarrow,
    0.4-0.5 s of CPU): DuckDB reads the pads from an anonymous file in memory (Linux's memfd, never
    on a disk, closed at once and not inherited by child processes). Elsewhere they are bound."""
    ipad, opad = hmac_pads(key)
    fd = _memory_file(ipad + opad)
    if fd is None:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE rec_key AS SELECT $ipad::BLOB AS ipad, $opad::BLOB AS opad",
            {"ipad": ipad, "opad": opad},
        )
        return
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE rec_key AS SELECT content[1:64] AS ipad, content[65:128] AS opad "
            f"FROM read_blob('/dev/fd/{int(fd)}')"  # safe: an integer (a file descriptor) only
        )
    finally:
        os.close(fd)


def _memory_file(data: bytes) -> int | None:
    """A new anonymous file in memory (memfd, Linux) holding `data`, for DuckDB to read as
    /dev/fd/<n>; None where there is none to be had. The caller closes it."""
    memfd = getattr(os, "memfd_create", None)
    if memfd is None or not os.path.isdir("/dev/fd"):
        return None
    try:
        fd = memfd("inclusion_records", os.MFD_CLOEXEC)
    except OSError:
        return None
    try:
        view = memoryview(data)
        while view:  # (os.write may write less than it is given)
            view = view[os.write(fd, view) :]
        os.lseek(fd, 0, os.SEEK_SET)
    except BaseException:
        os.close(fd)
        raise
    return fd


def cell_columns(table: Table) -> list[tuple[str, str]]:
    """(name, SQL type) of rec_cells_<table>: text and type per column; free text only its type."""
    out = [("sheet_seq", "INTEGER"), ("row", "BIGINT")]
    for col in table.columns:
        if col.kind != "free_text":
            out.append((col.name, "VARCHAR"))
        out.append((col.name + "__t", "VARCHAR"))
    return out


def _has_value(cell: tuple) -> bool:
    """A cell holds something: text, or a type (cells covered by a merge alone hold nothing)."""
    text, kind = cell
    return text is not None or kind not in (None, "m")


class RowWriter:
    """Buffers one sheet's rows and appends them to DuckDB in Arrow batches."""

    def __init__(self, engine: Engine, plan: SheetPlan):
        self.engine, self.plan = engine, plan
        self.names = [n for n, _ in cell_columns(plan.table)]
        self.positions = [(col, plan.columns.get(col.name)) for col in plan.table.columns]
        self.buffer: dict[str, list] = {n: [] for n in self.names}
        self.headerless: list[int] = []
        # Cells with no header above them (right of the header's last name, or under an empty header
        # cell) are not read: counted for the sheet's unheaded_value problem, from this reading alone.
        self.beyond = max(plan.headed, default=-1) + 1
        self.gaps = plan.unheaded_gaps()
        plan.unheaded_rows, plan.unheaded_first = 0, None

    def add(self, number: int, cells: list[tuple]) -> None:
        """One data row: cells are (text, type) by position; blank rows are skipped by the caller."""
        if self.plan.header_row is None:
            self.headerless.append(number)
            if len(self.headerless) >= BATCH_ROWS:
                self.flush()
            return
        buf = self.buffer
        buf["sheet_seq"].append(self.plan.seq)
        buf["row"].append(number)
        width = len(cells)
        if width > self.beyond or self.gaps:
            self._unheaded(number, cells)
        for col, pos in self.positions:
            if pos is None:
                text, kind = None, "x"
            elif pos < width:
                text, kind = cells[pos]
            else:
                text, kind = None, None
            if col.kind != "free_text":
                buf[col.name].append(text)
            buf[col.name + "__t"].append(kind)
        if len(buf["row"]) >= BATCH_ROWS:
            self.flush()

    def add_columns(self, numbers: list[int], columns: list[tuple[list, list]]) -> None:
        """Many data rows at once, as add() would take them one by one: their numbers, and per
        position the rows' texts and types (xlsx.py renders a sheet column by column)."""
        start = 0
        while start < len(numbers):
            room = BATCH_ROWS - len(self.headerless if self.plan.header_row is None else self.buffer["row"])
            end = min(len(numbers), start + max(room, 1))
            self._extend(numbers[start:end], [(texts[start:end], kinds[start:end]) for texts, kinds in columns])
            start = end
            if len(self.headerless) >= BATCH_ROWS or len(self.buffer["row"]) >= BATCH_ROWS:
                self.flush()

    def _extend(self, numbers: list[int], columns: list[tuple[list, list]]) -> None:
        if self.plan.header_row is None:
            self.headerless.extend(numbers)
            return
        buf, n, width = self.buffer, len(numbers), len(columns)
        if width > self.beyond or self.gaps:
            self._unheaded_columns(numbers, columns)
        buf["sheet_seq"].extend([self.plan.seq] * n)
        buf["row"].extend(numbers)
        for col, pos in self.positions:
            texts: list[str | None]
            kinds: list[str | None]
            if pos is None:
                texts, kinds = [None] * n, ["x"] * n
            elif pos < width:
                texts, kinds = columns[pos]
            else:
                texts = kinds = [None] * n
            if col.kind != "free_text":
                buf[col.name].extend(texts)
            buf[col.name + "__t"].extend(kinds)

    def _unheaded(self, number: int, cells: list[tuple]) -> None:
        for pos in [*self.gaps, *range(self.beyond, len(cells))]:
            if pos < len(cells) and _has_value(cells[pos]):
                self.plan.unheaded_rows += 1
                if self.plan.unheaded_first is None:
                    self.plan.unheaded_first = (number, pos)
                return

    def _unheaded_columns(self, numbers: list[int], columns: list[tuple[list, list]]) -> None:
        found: dict[int, int] = {}  # row index -> its leftmost unheaded position with a value
        for pos in [*self.gaps, *range(self.beyond, len(columns))]:
            if pos < len(columns):
                for i, cell in enumerate(zip(*columns[pos])):
                    if i not in found and _has_value(cell):
                        found[i] = pos
        if found:
            self.plan.unheaded_rows += len(found)
            if self.plan.unheaded_first is None:
                first = min(found)
                self.plan.unheaded_first = (numbers[first], found[first])

    def flush(self) -> None:
        con = self.engine.con
        if self.headerless:
            n = len(self.headerless)
            _insert_rows(con, "rec_headerless", {"sheet_seq": [self.plan.seq] * n, "row": self.headerless})
            self.engine.headerless_rows = True
            self.headerless = []
        if self.buffer["row"]:
            _insert_rows(con, v.q("rec_cells_" + self.plan.table.name), self.buffer)
            self.engine.written.add(self.plan.table.name)
            self.buffer = {n: [] for n in self.names}


INTEGER_COLUMNS = {"sheet_seq": "INTEGER", "row": "BIGINT"}  # of rec_cells_<table> and rec_headerless
# Batches of fewer rows go to DuckDB as CSV in memory while pyarrow is not loaded: writing CSV in
# Python costs about 9 us a row more than an Arrow batch, and pyarrow with pandas about 0.5 s once.
CSV_ROWS = 5_000


def _insert_rows(con: Any, table: str, columns: dict[str, list]) -> None:
    """Append rows (column name -> values: sheet_seq and row integers, the others text or None) to
    `table`, a quoted TEMP table name.

    As a CSV file in memory (memfd) that DuckDB reads, when there is one: no pyarrow, and no Arrow
    batch registered (registering one makes DuckDB's client import pandas; the two cost a workbook
    check about 0.5 s of CPU). Every text is written after an '=' that the SQL drops, so an empty
    text stays empty and only None reads as NULL; a batch with a NUL or a carriage return in some
    text, or with text that is not valid Unicode, goes as an Arrow batch instead, as does a batch of
    CSV_ROWS or more, or any batch once pyarrow is loaded (Arrow is cheaper per row)."""
    names = list(columns)
    texts = [n for n in names if n not in INTEGER_COLUMNS]
    small = len(columns["row"]) < CSV_ROWS and not _arrow_loaded()
    data = _csv_bytes(columns, names, texts) if small else None
    fd = _memory_file(data) if data is not None else None
    if fd is None:
        _insert_arrow(con, table, columns)
        return
    try:
        struct = "{" + ", ".join(f"'c{i}': '{INTEGER_COLUMNS.get(n, 'VARCHAR')}'" for i, n in enumerate(names)) + "}"
        selected = ", ".join(
            (f"c{i}" if n in INTEGER_COLUMNS else f"substr(c{i}, 2)") + f" AS {v.q(n)}" for i, n in enumerate(names)
        )
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT {selected} FROM read_csv('/dev/fd/{int(fd)}', header = false, "  # safe: model names, an int
            f"columns = {struct}, delim = ',', quote = '\"', escape = '\"', strict_mode = true, "  # safe: constants
            "null_padding = false, auto_detect = false, encoding = 'utf-8', "
            f"max_line_size = {max(len(data or b''), 2_000_000)})"  # safe: an int (no line is longer than the data)
        )
    finally:
        os.close(fd)


def _arrow_loaded() -> bool:
    return "pyarrow" in sys.modules


def _csv_bytes(columns: dict[str, list], names: list[str], texts: list[str]) -> bytes | None:
    """The rows as UTF-8 CSV (every field quoted; None as an empty field, any text after '='), or
    None when some text holds a NUL or a carriage return, or cannot be encoded."""
    import io

    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    prefixed = {n: [None if t is None else "=" + t for t in columns[n]] for n in texts}
    for name in texts:
        for text in prefixed[name]:
            if text is not None and ("\0" in text or "\r" in text):
                return None
    writer.writerows(zip(*(prefixed[n] if n in prefixed else columns[n] for n in names)))
    try:
        return out.getvalue().encode("utf-8")
    except UnicodeEncodeError:
        return None


def _insert_arrow(con: Any, table: str, columns: dict[str, list]) -> None:
    import pyarrow as pa

    arrow_types = {"sheet_seq": pa.int32(), "row": pa.int64()}
    batch = pa.table({n: pa.array(values, arrow_types.get(n, pa.string())) for n, values in columns.items()})
    con.register("rec_incoming", batch)
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM rec_incoming")  # safe: a quoted table name
    con.unregister("rec_incoming")


class Engine:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        key: bytes | None,
        known_lad_codes=None,
        keep_rows: bool = True,
        scan_plain: bool = True,
        prove_numbers_later: bool = True,
    ):
        """keep_rows=False: a check, which needs the problems and counts only. A CSV table then
        keeps no typed rows unless it has a problem (csv_fast), and key=None draws a throwaway key
        inside DuckDB (nothing pseudonymised by a check leaves the process).
        With rows kept (a landing), a CSV table the scan can prove clean is scanned the same way,
        keeping every loaded column's plain value, and lands from its scans (no rule runs on its
        rows); scan_plain=False types every CSV file by the full rules instead (the reference the
        scanned path is tested against). prove_numbers_later=False: every CSV file's row numbers are
        proved as it is read (see numbers_later)."""
        self.con = self._raw_con = con
        self.keep_rows = keep_rows
        self.scan_plain = scan_plain or not keep_rows
        self.fast: dict[str, dict[int, tuple]] = {}  # table -> {sheet_seq: csv_fast's arguments} scanned, not typed
        self.fast_done: dict[str, list[int]] = {}  # tables proved clean from their scans: their sheet_seqs
        self.narrow: dict[str, dict[int, int]] = {}  # table -> {sheet_seq of a scanned file: skip} typed in part
        self.known = known_lad_codes is not None
        self.plans: list[SheetPlan] = []
        self._seq = 0
        self.file_problems: list[Problem] = []
        self.rejected: list[str] = []
        self.csv_sources: dict[int, tuple] = {}  # sheet_seq -> (plan, path, width, delimiter, skip_lines)
        self.typed: set[str] = set()  # tables whose rec_typed_<table> view exists
        self.stages: dict[str, dict[int, int]] = {}  # table -> {sheet_seq of a CSV typed by csv_fast: skip_lines}
        self.streamed: set[str] = set()  # tables whose rec_streamed_<table> exists
        self.written: set[str] = set()  # tables a RowWriter appended rows to (rec_cells_<table>)
        self.empty: set[str] = set()  # tables with no rows at all, checked by _empty_table
        self.output_parts: dict[str, list[str]] = {}  # landing table -> its rows in order, part by part
        self.python_functions = False
        self.scanned_rows: dict[int, int] = {}  # sheet_seq -> rows (blank ones too) csv_fast read
        self.bad: set[str] = set()  # tables with a row problem (rec_bad_<table> not empty)
        self.headerless_rows = False  # whether rows of a sheet without a header reached rec_headerless
        # sheet_seq of a check's scanned file -> the proof of its row numbers and, if that fails, the
        # reading of the file by Python's csv module (csvfiles), run only if its table has a problem.
        self.number_proofs: dict[int, tuple[Callable[[], bool], Callable[[], None]]] = {}
        self._numbers_later = prove_numbers_later and not keep_rows
        # The set-up is one script (one call into DuckDB, not 50): each statement is a constant of
        # the code or built from the model, except the known codes' pattern (GSS codes only, below).
        setup: list[str] = []
        # SQL stand-ins until some text needs Python (macro_py_repr.sql); registering a Python
        # function makes DuckDB's client import numpy, 0.1 s of CPU before any work. A landing's
        # outputs, read later on the raw connection, get them first if they need them (_outputs).
        self._remove_python_functions()
        setup += [(SQL_DIR / f"macro_{macro}.sql").read_text() for macro in ("py_repr", "py_casefold")]
        self.con = cast(duckdb.DuckDBPyConnection, _PythonOnDemand(con, self))
        if key is None:
            # A throwaway key of two independent random 64-byte pads, drawn by DuckDB: no key enters
            # the SQL text, and no bound parameter makes the Python client import numpy and pandas.
            pad = " || ".join(["unhex(md5(gen_random_uuid()::VARCHAR))"] * 4)  # SQL of this line only
            key_sql = f"CREATE OR REPLACE TEMP TABLE rec_key AS SELECT {pad} AS ipad, {pad} AS opad"  # safe: constant
            setup.append(key_sql)
        else:
            key_table(con, key)
        # Every character Python's str.strip() removes, so cells are trimmed exactly as before.
        setup.append("CREATE OR REPLACE TEMP MACRO rec_ws() AS " + v.lit(WHITESPACE))
        setup += [(SQL_DIR / f"macro_{macro}.sql").read_text() for macro in MACROS]
        codes = sorted(known_lad_codes or [])
        # Whether a code is known: the known codes as one regular expression (RE2 matches it in one
        # pass), or the GSS pattern. Only codes of that pattern are spliced in. A macro, not a join
        # with a table of codes: a join would lose the file order that csv_fast numbers rows by.
        pattern = "|".join(c for c in codes if re.fullmatch(v.LAD_REGEX, c)) if self.known else v.LAD_REGEX
        known_sql = f"CREATE OR REPLACE TEMP MACRO rec_known_lad(s) AS regexp_full_match(s, {v.lit(pattern or '$^')})"  # safe: GSS codes, quoted
        setup.append(known_sql)
        setup.append(
            "CREATE OR REPLACE TEMP TABLE rec_sheets (sheet_seq INTEGER, file VARCHAR, sheet VARCHAR, "
            "table_name VARCHAR, hidden BOOLEAN)"
        )
        setup.append("CREATE OR REPLACE TEMP TABLE rec_headerless (sheet_seq INTEGER, row BIGINT)")
        for table in TABLES:
            columns = ", ".join(f"{v.q(n)} {t}" for n, t in cell_columns(table))
            cells_sql = (
                f"CREATE OR REPLACE TEMP TABLE {v.q('rec_cells_' + table.name)} ({columns})"  # safe: model names
            )
            setup.append(cells_sql)
            setup.append(f"DROP VIEW IF EXISTS {v.q('rec_typed_' + table.name)}")  # safe: model name, quoted
            setup.append(f"DROP TABLE IF EXISTS {v.q('rec_streamed_' + table.name)}")  # safe: model name, quoted
        con.execute(";\n".join(setup))
        # Left by an earlier engine on this connection: its typed files, and its key tables, which may
        # be views (a table proved clean) where this engine makes tables, or the other way round.
        stages = con.execute(
            "SELECT 'TABLE', table_name FROM duckdb_tables() WHERE temporary AND (starts_with(table_name, "
            "'rec_csv_') OR starts_with(table_name, 'rec_all_') OR starts_with(table_name, 'rec_good_')) "
            "UNION ALL SELECT 'VIEW', view_name FROM duckdb_views() WHERE temporary AND "
            "(starts_with(view_name, 'rec_all_') OR starts_with(view_name, 'rec_good_'))"
        ).fetchall()
        if stages:
            drops = [f"DROP {kind} {v.q(stage)}" for kind, stage in stages]  # safe: TABLE/VIEW constants, quoted names
            con.execute(";\n".join(drops))
        # Read once: only the engine changes it on this connection while it runs (_in_file_order).
        (ordered,) = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone() or (True,)
        self._ordered = bool(ordered)

    def _remove_python_functions(self) -> None:
        for name in PYTHON_FUNCTIONS:
            try:
                self._raw_con.remove_function(name)
            except (duckdb.InvalidInputException, duckdb.CatalogException):
                pass

    def register_python_functions(self) -> None:
        """rec_py_repr and rec_py_casefold as Python functions (in place of a check's SQL stand-ins)."""
        con = self._raw_con
        self._remove_python_functions()
        for name, fn in PYTHON_FUNCTIONS.items():
            con.execute(f"DROP MACRO IF EXISTS {name}")  # (a check's stand-in)
            con.create_function(
                name, fn, [duckdb.sqltype("VARCHAR")], duckdb.sqltype("VARCHAR"), type=PythonUDFType.ARROW
            )
        self.python_functions = True

    # ---- reading side -------------------------------------------------------------------------
    def add_sheet(self, plan: SheetPlan) -> None:
        self._seq += 1
        plan.seq = self._seq
        self.plans.append(plan)  # rec_sheets holds them from validate() on (_sheets_table)

    def _sheets_table(self) -> None:
        """rec_sheets: every sheet read, in one statement. Spliced: integers, table names of the model,
        and the file and sheet names as hex digits only (v.text_sql), so no text of the user's reaches
        the parser (and no parameter is bound)."""
        if self.plans:
            self.con.execute(
                "INSERT INTO rec_sheets VALUES "
                + ", ".join(
                    f"({int(p.seq)}, {v.text_sql(p.file)}, {v.text_sql(p.sheet)}, {v.lit(p.table.name)}, {bool(p.hidden)})"  # safe: ints, hex, model name
                    for p in self.plans
                )
            )

    def discard_sheet(self, plan: SheetPlan) -> None:
        """Forget a sheet whose file turned out unreadable part-way through."""
        if plan not in self.plans:
            return
        statements = [
            f"DELETE FROM {v.q('rec_cells_' + plan.table.name)} WHERE sheet_seq = {int(plan.seq)}",
            f"DELETE FROM rec_headerless WHERE sheet_seq = {int(plan.seq)}",
        ]
        if plan.table.name in self.streamed:
            statements.append(f"DELETE FROM {v.q('rec_streamed_' + plan.table.name)} WHERE sheet_seq = {int(plan.seq)}")
        for statement in statements:
            self.con.execute(statement)
        if self.fast.get(plan.table.name, {}).pop(plan.seq, None) is not None:
            self.con.execute(f"DROP TABLE IF EXISTS {v.q(f'rec_fast_{plan.seq}')}")  # (read time: never narrow yet)
        if self.stages.get(plan.table.name, {}).pop(plan.seq, None) is not None:
            self.con.execute(f"DROP TABLE {v.q(f'rec_csv_{plan.seq}')}")
            self._typed_view(plan.table)
        self.csv_sources.pop(plan.seq, None)
        self.plans.remove(plan)

    def discard_file(self, file: str) -> None:
        for plan in [p for p in self.plans if p.file == file]:
            self.discard_sheet(plan)

    def writer(self, plan: SheetPlan) -> RowWriter:
        return RowWriter(self, plan)

    def _csv_cells(
        self, plan: SheetPlan, path: Path, width: int, delimiter: str, skip: int, numbered: bool = True
    ) -> str:
        """A well-formed CSV file's rows as rec_cells_<table>'s columns.

        numbered: each row's number in the file (row_number(), which runs on one thread), blank rows
        left out; else every row in file order with a `blank` flag instead, for csv_fast."""
        names = [f"c{i}" for i in range(width)]
        selected = []
        for col in plan.table.columns:
            pos = plan.columns.get(col.name)
            if pos is None:
                text, kind = "NULL", "'x'"
            else:
                text, kind = f"c{pos}", f"CASE WHEN b{pos} THEN NULL ELSE 's' END"
            if col.kind != "free_text":
                selected.append(f"{text} AS {v.q(col.name)}")
            selected.append(f"{kind} AS {v.q(col.name + '__t')}")
        blanks = ", ".join(f"rec_blank({n}) AS b{i}" for i, n in enumerate(names))
        not_blank = "NOT (" + " AND ".join(f"b{i}" for i in range(width)) + ")"
        read = self._read_csv(path, width, delimiter, skip)
        seq = int(plan.seq)
        if not numbered:
            return (
                f"SELECT {seq}::INTEGER AS sheet_seq, {', '.join(selected)}, NOT {not_blank} AS blank "
                f"FROM (SELECT *, {blanks} FROM {read})"
            )
        # Rows are numbered before blank ones are dropped, so every row keeps the number it has in
        # the file (as Python's csv module numbers records).
        return (
            f"SELECT {seq}::INTEGER AS sheet_seq, row + {int(skip)} AS row, {', '.join(selected)} "
            f"FROM (SELECT *, {blanks} "
            f"FROM (SELECT row_number() OVER () AS row, * FROM {read})) WHERE {not_blank}"
        )

    @staticmethod
    def _read_csv(path: Path, width: int, delimiter: str, skip: int) -> str:
        """DuckDB's reader of a well-formed CSV file, every one of its `width` columns as text (c0, c1, ...).

        Spliced, not bound (a bound parameter makes DuckDB's Python client import numpy, pandas and
        pyarrow, 0.4 s of a check): the path as hex digits only (v.text_sql), the delimiter one of
        csvfiles.DELIMITERS, integers."""
        assert delimiter in (",", ";", "\t"), delimiter
        struct = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(int(width))) + "}"
        return (
            f"read_csv({v.text_sql(str(path))}, header = false, all_varchar = true, columns = {struct}, "
            f"delim = {v.lit(delimiter)}, quote = '\"', escape = '\"', strict_mode = true, null_padding = false, "
            f"auto_detect = false, skip = {int(skip)}, encoding = 'utf-8')"
        )

    def csv_fast(self, plan: SheetPlan, path: Path, width: int, delimiter: str, skip_lines: int) -> None:
        """A well-formed UTF-8 CSV read by DuckDB itself; raises duckdb.Error if it is not well formed
        (the statement then leaves nothing behind). A check (keep_rows=False) of a table that can be
        proved clean without its rows only scans it here (fast_scan); else the file is typed now."""
        if self.scan_plain and v.fast_eligible(plan.table, set(plan.columns)):
            self._fast_scan(plan, path, width, delimiter, skip_lines)
        else:
            self._csv_typed(plan, path, width, delimiter, skip_lines)

    def any_value_in(self, path: Path, width: int, delimiter: str, skip: int, positions: list[int]) -> bool:
        """Whether any row of a file csv_fast read holds something in a column at `positions`."""
        where = " OR ".join(f"NOT rec_blank(c{int(p)})" for p in positions)
        read = self._read_csv(path, width, delimiter, skip)
        return self._any(f"SELECT 1 FROM {read} WHERE {where}")  # safe: ints, and _read_csv's hex path

    def rows_scanned(self, plan: SheetPlan) -> int:
        """The rows (blank ones too) csv_fast read from the sheet's file (its statement's own count)."""
        return self.scanned_rows[plan.seq]

    def numbers_later(self, plan: SheetPlan) -> bool:
        """Whether the proof that DuckDB numbered a file's rows as Python's csv module does (no empty
        line, which DuckDB skips) may wait until the file's table is found to have a problem: a
        check's scanned file, whose row numbers show only in problems (an empty line is no row in
        either reading, so the counts agree without it). A landing stores every row's number."""
        return self._numbers_later and plan.seq in self.fast.get(plan.table.name, {})

    def prove_numbers_later(self, plan: SheetPlan, proof: Callable[[], bool], read: Callable[[], None]) -> None:
        """Keep a scanned file's proof of its row numbers, and how else to read it if the proof fails."""
        self.number_proofs[plan.seq] = (proof, read)

    def _prove_numbers(self, table: Table) -> None:
        """The table has a problem, so its scanned files' row numbers will show: prove them now, and
        read a file whose numbers are off (an empty line) by Python's csv module instead, as csvfiles
        does when the proof is made at once. If that reading fails, the ingest starts again with every
        proof made at once (ProveNumbersAtOnce), so the messages are exactly those."""
        for seq, (plan, *_) in list(self.fast.get(table.name, {}).items()):
            proof, read = self.number_proofs.pop(seq, (None, None))
            if proof is None or read is None:
                continue
            try:
                if proof():
                    continue
                self.forget_scan(plan)  # an empty line: DuckDB skipped it, so its row numbers are off
                read()
            except (csv.Error, OSError, UnicodeError) as exc:
                raise ProveNumbersAtOnce(plan.file) from exc
        if table.name not in self.fast:  # every scanned file read again: no view of the scans left
            self.con.execute(f"DROP VIEW IF EXISTS {v.q('rec_fast_' + table.name)}")

    def forget_scan(self, plan: SheetPlan) -> None:
        """Drop what csv_fast read from the sheet's file (it is read another way), keeping the sheet."""
        if self.fast.get(plan.table.name, {}).pop(plan.seq, None) is not None:
            self.con.execute(f"DROP TABLE {v.q(f'rec_fast_{plan.seq}')}")
            if not self.fast[plan.table.name]:
                del self.fast[plan.table.name]  # (no scanned file left to prove the table clean from)
        if self.stages.get(plan.table.name, {}).pop(plan.seq, None) is not None:
            self.con.execute(f"DROP TABLE {v.q(f'rec_csv_{plan.seq}')}")
            self._typed_view(plan.table)
        self.csv_sources.pop(plan.seq, None)

    def _fast_scan(self, plan: SheetPlan, path: Path, width: int, delimiter: str, skip_lines: int) -> None:
        """One pass over the file keeping, per row in file order, only whether it is plain and its keys
        and referenced values (rec_fast_<seq>; a row's number in the file is its rowid + skip + 1)."""
        rows = self._in_file_order(self.fast_scan_statement(plan, path, width, delimiter, skip_lines))
        self.scanned_rows[plan.seq] = rows
        self.fast.setdefault(plan.table.name, {})[plan.seq] = (plan, path, width, delimiter, skip_lines)

    def fast_scan_statement(self, plan: SheetPlan, path: Path, width: int, delimiter: str, skip_lines: int) -> str:
        """_fast_scan's statement. It must keep the file's order (its plan a batch insert of
        projections over read_csv, no join, with the optimizer on), since rowid then numbers the rows."""
        read = self._read_csv(path, width, delimiter, skip_lines)
        texts = [f"c{plan.columns[c.name]}" if c.name in plan.columns else "NULL" for c in plan.table.columns]
        extras = [f"c{i}" for i in range(width) if i not in set(plan.columns.values())]
        source = (
            "SELECT "
            + ", ".join(f"{text} AS {v.q(c.name)}" for text, c in zip(texts, plan.table.columns))
            + "".join(f", {x}" for x in extras)
            + ", "
            + " AND ".join(f"c{i} IS NULL" for i in range(width))  # blank: nothing in any cell
            + f" AS blank FROM {read}"
        )
        select = v.fast_scan_select(plan.table, source, extras, self.scan_columns(plan.table))
        return f"CREATE OR REPLACE TEMP TABLE {v.q(f'rec_fast_{plan.seq}')} AS {select}"

    def scan_columns(self, table: Table) -> list[str]:
        """The plain values a scan keeps: the keys and referenced values (fast_columns), and when rows
        are kept (a landing) every other loaded column too, so a clean table lands from its scans."""
        kept = v.fast_columns(table)
        if self.keep_rows:
            kept += [c.name for c in table.columns if c.loaded and c.name not in kept]
        return kept

    def _csv_typed(self, plan: SheetPlan, path: Path, width: int, delimiter: str, skip_lines: int) -> None:
        """The file typed by DuckDB, every cell through the rules.

        The typed rows go, in file order and blank ones included, into a table of their own
        (rec_csv_<seq>), so a row's number in the file is its rowid: no row_number(), which would
        keep the whole pass on one thread. rec_typed_<table> shows them numbered, without the blank rows."""
        statement = self.csv_fast_statement(plan, path, width, delimiter, skip_lines)[0]
        self.scanned_rows[plan.seq] = self._in_file_order(statement, optimize=False)
        self.stages.setdefault(plan.table.name, {})[plan.seq] = skip_lines
        self.csv_sources[plan.seq] = (plan, path, width, delimiter, skip_lines)
        self._typed_view(plan.table)

    def _in_file_order(self, sql: str, optimize: bool = True) -> int:
        """Run a statement whose rows must be stored in file order (rowid numbers them); the rows stored."""
        if not self._ordered:  # a connection set to drop order (to save memory) keeps it for this statement
            self.con.execute("SET preserve_insertion_order = true")
        try:
            if optimize:
                (rows,) = self.con.execute(sql).fetchone() or (0,)
                return int(rows)
            return self._without_optimizer(sql)
        finally:
            if not self._ordered:
                self.con.execute("SET preserve_insertion_order = false")

    def csv_fast_statement(
        self, plan: SheetPlan, path: Path, width: int, delimiter: str, skip_lines: int
    ) -> tuple[str, dict]:
        """csv_fast's statement and its parameters. It must keep the file's order (its plan a batch
        insert of projections over read_csv, no join), since rowid then numbers the rows."""
        cells = self._csv_cells(plan, path, width, delimiter, skip_lines, numbered=False)
        select = v.typed_select(plan.table, self.known, cells, ("sheet_seq", "blank"))
        return f"CREATE OR REPLACE TEMP TABLE {v.q(f'rec_csv_{plan.seq}')} AS {select}", {}

    def _without_optimizer(self, sql: str, params: dict | None = None) -> int:
        """Run sql (a CREATE TABLE AS or an INSERT) without the optimizer; the rows it stored."""
        # One projection over one source: the optimizer has nothing to gain here, but its rewrites of
        # the large CASE expressions cost more time than the whole statement takes on small files.
        self.con.execute("PRAGMA disable_optimizer")
        try:
            (rows,) = self.con.execute(sql, params or None).fetchone() or (0,)
            return int(rows)
        finally:
            self.con.execute("PRAGMA enable_optimizer")

    def _type_rows(self, table: Table, source: str) -> None:
        """Append the typed cells of `source` (rows with their numbers) to rec_streamed_<table>."""
        streamed = v.q("rec_streamed_" + table.name)
        head = f"INSERT INTO {streamed} " if table.name in self.streamed else f"CREATE TEMP TABLE {streamed} AS "
        self._without_optimizer(head + v.typed_select(table, self.known, source))
        self.streamed.add(table.name)
        self._typed_view(table)

    def _typed_view(self, table: Table) -> None:
        """rec_typed_<table>: every typed row of the table, numbered as in its file."""
        columns = ", ".join(v.q(c) for c in v.typed_columns(table))
        parts = [
            f"SELECT sheet_seq, rowid + {skip + 1} AS row, {columns} FROM {v.q(f'rec_csv_{seq}')} WHERE NOT blank"
            for seq, skip in self.stages.get(table.name, {}).items()
        ]
        kept = set(self.scan_columns(table))
        narrow = ", ".join(
            v.q(c.name) if c.name in kept else f"NULL::{v.value_type(c)} AS {v.q(c.name)}"
            for c in table.columns
            if c.loaded
        )
        parts += [  # the plain rows of a scanned file (_fast_to_typed)
            f"SELECT {int(seq)}::INTEGER AS sheet_seq, rowid + {skip + 1} AS row, {narrow}, "
            f"NULL::{v.PROBLEM_STRUCT} AS problems FROM {v.q(f'rec_fast_{seq}')} WHERE NOT blank AND ok"
            for seq, skip in self.narrow.get(table.name, {}).items()
        ]
        if table.name in self.streamed:
            parts.append(f"SELECT sheet_seq, row, {columns} FROM {v.q('rec_streamed_' + table.name)}")
        typed = v.q("rec_typed_" + table.name)
        if parts:
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW {typed} AS " + " UNION ALL ".join(parts))
            self.typed.add(table.name)
        else:
            self.con.execute(f"DROP VIEW IF EXISTS {typed}")
            self.typed.discard(table.name)

    def _any(self, sql: str, params: dict | None = None) -> bool:
        row = self.con.execute(f"SELECT EXISTS ({sql})", params).fetchone()
        return bool(row and row[0])

    def _csv_cells_of_bad_rows(self) -> None:
        """The text of quarantined rows of CSV files read by csv_fast, for their row_values."""
        for seq, (plan, path, width, delimiter, skip) in self.csv_sources.items():
            if plan.table.name not in self.bad:
                continue  # no row of the table was quarantined
            bad = v.q("rec_bad_" + plan.table.name)
            # Rows whose text is there already (a scanned file's rows typed by the rules) are not read again.
            unread = (
                f"SELECT b.sheet_seq, b.row FROM {bad} AS b ANTI JOIN {v.q('rec_cells_' + plan.table.name)} AS x "
                f"ON x.sheet_seq = b.sheet_seq AND x.row = b.row WHERE b.sheet_seq = {int(seq)}"
            )
            if not self._any(unread):
                continue
            cells = self._csv_cells(plan, path, width, delimiter, skip)
            self.con.execute(
                f"INSERT INTO {v.q('rec_cells_' + plan.table.name)} BY NAME SELECT c.* "
                f"FROM ({cells}) AS c SEMI JOIN ({unread}) AS b ON b.sheet_seq = c.sheet_seq AND b.row = c.row"
            )

    # ---- checking side ------------------------------------------------------------------------
    def validate(self) -> None:
        con = self.con
        self._sheets_table()
        con.execute(
            "CREATE OR REPLACE TEMP TABLE rec_points AS SELECT * FROM (VALUES (NULL::VARCHAR, NULL::BIGINT)) "
            "AS t(framework_id, point_number) WHERE false"
        )
        if builtin_points():  # constants of the code (frameworks.py), in one statement
            con.execute(
                "INSERT INTO rec_points VALUES "
                + ", ".join(f"({v.lit(p['framework_id'])}, {int(p['point_number'])})" for p in builtin_points())
            )
        for name in LOAD_ORDER:
            self._validate_table(TABLES_BY_NAME[name])
        self._outputs()

    def _validate_table(self, table: Table) -> None:
        con, name = self.con, table.name
        cells = v.q("rec_cells_" + name)
        if name in self.fast:  # a check: CSV files scanned, not typed
            if name not in self.written and self._fast_clean(table):
                self._fast_table(table)
                return
            self._prove_numbers(table)  # some problem somewhere: row numbers will show
            if name in self.fast:
                self._fast_to_typed(table)  # every rule runs on every row
        if name in self.written and self._any(f"SELECT 1 FROM {cells}"):
            self._type_rows(table, f"SELECT * FROM {cells}")  # rows streamed by Python (xlsx, odd CSVs)
        if name not in self.typed:
            self._empty_table(table)
            return
        # One statement for the problems of single cells, rows, duplicate keys and references, then
        # the rules against other tables on the rows that have none of them.
        parts = [v.cell_problems_sql(table), v.duplicates_sql(table)]
        empty = not self._any(f"SELECT 1 FROM {v.q('rec_typed_' + name)}")
        refs = None if empty else v.references_sql(table)  # (an empty table has nothing to look up)
        if refs:
            parts.append(refs)
        problems = v.q("rec_problems_" + name)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {problems} AS "
            + " UNION ALL ".join(f"SELECT * FROM ({part})" for part in parts)
        )
        rules = None if empty else v.table_rules_sql(table)
        if rules:
            con.execute(f"INSERT INTO {problems} {rules}")
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {v.q('rec_bad_' + name)} AS SELECT DISTINCT sheet_seq, row FROM {problems}"
        )
        any_bad = self._any(f"SELECT 1 FROM {v.q('rec_bad_' + name)}")
        if any_bad:
            self.bad.add(name)
        typed, bad = v.q("rec_typed_" + name), v.q("rec_bad_" + name)
        good_rows = f"FROM {typed} AS t ANTI JOIN {bad} AS b ON b.sheet_seq = t.sheet_seq AND b.row = t.row"
        ids = [c for c in table.columns if c.kind in ("id", "contributor_id")]
        # A key the duplicate rule found no repeat of: its values are distinct already, so its key
        # tables are views of the rows (no DISTINCT, no copy), as the key tables' readers need.
        unique = (
            any(table.key == (c.name,) for c in ids)
            and not table.same_duplicates_ok
            and not self._any(f"SELECT 1 FROM {problems} WHERE kind = 'duplicate_id'")
        )
        for col in ids:
            target, key = f"{name}.{col.name}", v.q(col.name)
            distinct = unique and table.key == (col.name,)
            kind, pick = ("VIEW", "") if distinct else ("TABLE", "DISTINCT ")
            all_keys = f"SELECT {pick}{key} AS key FROM {typed} WHERE {key} IS NOT NULL"  # safe: quoted names
            con.execute(f"CREATE OR REPLACE TEMP {kind} {v.all_keys_table(target)} AS {all_keys}")  # safe: quoted
            if target == "framework_points.framework_id":
                continue  # its good keys: the built-in points' ids and the loaded ones' (_derived_tables)
            if not any_bad:  # every row is good: the same keys
                kind, good_keys = "VIEW", f"SELECT key FROM {v.all_keys_table(target)}"  # safe: quoted name
            else:
                good_keys = f"SELECT {pick}t.{key} AS key {good_rows} WHERE t.{key} IS NOT NULL"  # safe: quoted names
            con.execute(f"CREATE OR REPLACE TEMP {kind} {v.good_keys_table(target)} AS {good_keys}")  # safe: quoted
        if name == "framework_points":
            con.execute(f"INSERT INTO rec_points SELECT t.framework_id, t.point_number {good_rows}")
        self._derived_tables(table, good_rows)

    def _fast_view(self, table: Table) -> str:
        """rec_fast_<table>: the scanned files' non-blank rows, numbered as in their files."""
        view = v.q("rec_fast_" + table.name)
        columns = ", ".join(v.q(c) for c in v.fast_columns(table))
        parts = [
            f"SELECT {int(seq)}::INTEGER AS sheet_seq, rowid + {int(args[4]) + 1} AS row, {columns}, ok "
            f"FROM {v.q(f'rec_fast_{seq}')} WHERE NOT blank"
            for seq, args in self.fast[table.name].items()
        ]
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS " + " UNION ALL ".join(parts))
        return view

    def _fast_clean(self, table: Table) -> bool:
        view = self._fast_view(table)
        clean, distinct = self.con.execute(v.fast_clean_sql(table, view)).fetchone() or (False, False)
        if clean and not distinct:  # two keys' hashes are equal: compare the keys themselves
            (distinct,) = self.con.execute(v.fast_duplicates_sql(table, view)).fetchone() or (False,)
        return bool(clean and distinct)

    def _fast_table(self, table: Table) -> None:
        """A table proved clean by its scans: no problems, every row loaded; its keys from the scans."""
        name, view = table.name, v.q("rec_fast_" + table.name)
        self._empty_table(table, keys=False)
        self.empty.discard(name)
        self.fast_done[name] = list(self.fast[name])
        for col in table.columns:
            if col.kind in ("id", "contributor_id"):
                assert table.key == (col.name,), (name, col.name)
                target = f"{name}.{col.name}"
                # Views of the scans, not copies: the table is clean, so no key repeats (and every key
                # is one column), and every row is good, so its good keys are all its keys.
                key, key_type = v.q(col.name), v.value_type(col)
                keys = f"SELECT {key}::{key_type} AS key FROM {view} WHERE {key} IS NOT NULL"  # safe: quoted names
                for keys_table in (v.all_keys_table(target), v.good_keys_table(target)):
                    self.con.execute(f"CREATE OR REPLACE TEMP VIEW {keys_table} AS {keys}")  # safe: quoted, above
        self._derived_tables(table, f"FROM {view} AS t", scans=True)  # every row is good

    def _fast_to_typed(self, table: Table) -> None:
        """Some row of the table has a problem: the rows that are not plain are read again as text and
        typed by every rule (as streamed rows), the plain ones keep the values their scan kept, and
        the table is checked by the full statements (_typed_view shows both)."""
        # The view of the scans (_fast_clean made it, unless rows streamed by Python, from a workbook
        # or an odd CSV, meant the table could not be proved clean from its scans alone).
        name, view = table.name, self._fast_view(table)
        for seq, (plan, path, width, delimiter, skip) in self.fast.pop(name).items():
            self.narrow.setdefault(name, {})[seq] = skip
            self.csv_sources[seq] = (plan, path, width, delimiter, skip)
            if self._any(f"SELECT 1 FROM {view} WHERE sheet_seq = {int(seq)} AND NOT ok"):
                self.con.execute(  # their cells as the scan kept them, numbered as in the file
                    f"INSERT INTO {v.q('rec_cells_' + name)} BY NAME SELECT {int(seq)}::INTEGER AS sheet_seq, "
                    f"rowid + {int(skip) + 1} AS row, {v.fast_texts(table, set(plan.columns))} "
                    f"FROM {v.q(f'rec_fast_{seq}')} WHERE NOT blank AND NOT ok AND NOT empty"
                )
                self.written.add(name)  # typed next with any rows Python streamed (_validate_table)
        self.con.execute(f"DROP VIEW {view}")
        self._typed_view(table)

    def _derived_tables(self, table: Table, good_rows: str | None, scans: bool = False) -> None:
        """What other tables' rules read from this one: the built-in framework points' ids, and the
        areas each programme serves and each activity's date (from `good_rows`; none when the table
        has no rows; `scans`: a clean table's scans, which stay for the session)."""
        if table.name == "framework_points":
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE {v.good_keys_table('framework_points.framework_id')} AS "
                "SELECT DISTINCT framework_id AS key FROM rec_points"
            )
        if table.name == "programmes":
            source = f"{good_rows}" if good_rows else f"FROM {v.q('rec_typed_programmes')} AS t"
            self.con.execute(
                "CREATE OR REPLACE TEMP TABLE rec_programme_areas AS "
                f"SELECT t.programme_id AS programme_id, t.local_authority_codes AS codes {source}"
            )
        if table.name == "activities":  # the dates the rule "after_activity" compares with
            source = f"{good_rows}" if good_rows else f"FROM {v.q('rec_typed_activities')} AS t"
            self.con.execute(  # a view of a clean table's scans (as its keys are), else a table
                f"CREATE OR REPLACE TEMP {'VIEW' if scans else 'TABLE'} rec_activity_dates AS "
                f"SELECT t.activity_id AS activity_id, t.activity_date AS activity_date {source}"
            )

    def _empty_table(self, table: Table, keys: bool = True) -> None:
        """A table no file has rows for: its (empty) typed rows, problems, keys and derived tables (unless not `keys`),
        declared with the types the full statements give them (test_records_engine_empty checks they
        agree), without compiling those statements, which costs most of a small ingest."""
        name = table.name
        self.empty.add(name)
        statements = [  # one call into DuckDB
            f"CREATE OR REPLACE TEMP VIEW {v.q('rec_typed_' + name)} AS {v.empty_typed_select(table)}",  # safe: model SQL, quoted
            f"CREATE OR REPLACE TEMP TABLE {v.q('rec_problems_' + name)} (sheet_seq INTEGER, row BIGINT, "
            'ord INTEGER, "column" VARCHAR, kind VARCHAR, message VARCHAR, allowed VARCHAR)',
            f"CREATE OR REPLACE TEMP TABLE {v.q('rec_bad_' + name)} (sheet_seq INTEGER, row BIGINT)",  # safe: model name, quoted
        ]
        for col in table.columns:
            if keys and col.kind in ("id", "contributor_id"):
                for keys_table in (v.all_keys_table, v.good_keys_table):
                    keys_name, key_type = keys_table(f"{name}.{col.name}"), v.value_type(col)
                    create = f"CREATE OR REPLACE TEMP TABLE {keys_name} (key {key_type})"  # safe: quoted, a type
                    statements.append(create)
        self.con.execute(";\n".join(statements))
        if keys:  # (else the caller, _fast_table, derives them from the scans)
            self._derived_tables(table, None)

    def _python_for_outputs(self) -> None:
        """The landing reads the output views later, on the raw connection and inside its transaction
        (where a failed statement cannot just run again): the Python functions are registered now if
        a contributor id those views pseudonymise is not ASCII (rec_pseudonym casefolds it in Python,
        macro_pseudonym.sql; the test below is that macro's)."""
        for table in TABLES:
            for col in table.columns:
                if self.python_functions or col.kind != "contributor_id" or table.name in self.empty:
                    continue
                if table.name in self.fast_done and col.name not in v.fast_columns(table):
                    self.register_python_functions()  # (not kept in the scans' view: no test, so register)
                    continue
                rows = v.q(("rec_fast_" if table.name in self.fast_done else "rec_typed_") + table.name)
                ascii_only = (
                    f"regexp_full_match(rec_strip({v.q(col.name)}), '[\\x00-\\x7f]*')"  # safe: a model name, quoted
                )
                if self._any(f"SELECT 1 FROM {rows} WHERE NOT {ascii_only}"):  # safe: model names, quoted
                    self.register_python_functions()

    def _outputs(self) -> None:
        if self.keep_rows:
            self._python_for_outputs()
        for table in TABLES:
            if self.keep_rows:  # a check reads problems and counts only
                self._output_table(table)
        self._problems_table()
        self._quarantine_table()
        self._reconciliation_table()

    def _output_columns(self, table: Table, alias: str) -> str:
        """A typed row's loaded columns as the landing holds them (contributors' ids pseudonymised)."""
        columns = []
        for col in table.columns:
            if not col.loaded:
                continue
            value = f"{alias}{v.q(col.name)}"
            if col.kind == "contributor_id":
                columns.append(f"rec_pseudonym({value}) AS contributor_pseudonym")
            elif col.many:
                columns.append(f"array_to_string({value}, ';') AS {v.q(col.name)}")
            else:
                columns.append(f"{value} AS {v.q(col.name)}")
        return ", ".join(columns)

    def _scanned_output(self, table: Table) -> None:
        """A table proved clean from its scans (every row plain) lands from them: one projection per
        file over its scan, in file order as stored (no join, no sort), file and sheet names spliced
        as hex digits (v.text_sql). output_parts keeps them in order for the landing, which inserts
        them one after another; the view rec_out_<table> shows the same rows sorted."""
        name = table.name
        parts = []
        for seq in self.fast_done[name]:
            plan, _, _, _, skip = self.fast[name][seq]
            parts.append(
                f"SELECT {v.text_sql(plan.file)} AS source_file, {v.text_sql(plan.sheet)} AS source_sheet, "
                f"rowid + {int(skip) + 1} AS source_row, {self._output_columns(table, '')} "
                f"FROM {v.q(f'rec_fast_{int(seq)}')} WHERE NOT blank"
            )
        self.output_parts[f"records_{name}"] = parts
        ordered = " UNION ALL ".join(f"SELECT {i} AS part, * FROM ({part})" for i, part in enumerate(parts))
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {v.q('rec_out_' + name)} AS "
            f"SELECT * EXCLUDE (part) FROM ({ordered}) ORDER BY part, source_row"
        )

    def _output_table(self, table: Table) -> None:
        name = table.name
        if name in self.fast_done and self.keep_rows:
            self._scanned_output(table)
            return
        typed, bad = v.q("rec_typed_" + name), v.q("rec_bad_" + name)
        good = (
            f"FROM {typed} AS t JOIN rec_sheets AS s USING (sheet_seq) "
            f"ANTI JOIN {bad} AS b ON b.sheet_seq = t.sheet_seq AND b.row = t.row"
        )
        # Views: the landing copies them once, straight from the typed rows; a check never reads them.
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {v.q('rec_out_' + name)} AS "
            f"SELECT s.file AS source_file, s.sheet AS source_sheet, t.row AS source_row, "
            f"{self._output_columns(table, 't.')} {good} ORDER BY t.sheet_seq, t.row"
        )
        for col in table.columns:
            if not col.many:
                continue
            keys = ", ".join(f"t.{v.q(k)} AS {v.q(k)}" for k in table.key)
            self.con.execute(
                f"CREATE OR REPLACE TEMP VIEW {v.q(f'rec_out_{name}__{col.name}')} AS "
                f"SELECT source_file, {', '.join(v.q(k) for k in table.key)}, value FROM ("
                f"SELECT s.file AS source_file, {keys}, unnest(t.{v.q(col.name)}) AS value, "
                f"generate_subscripts(t.{v.q(col.name)}, 1) AS i, t.sheet_seq, t.row {good}) "
                f"ORDER BY sheet_seq, row, i"
            )

    def _checked_by_rules(self) -> list[tuple[int, Table]]:
        """(position, table) of the tables whose rows the full statements checked: the others had no
        rows (empty) or were proved clean from their scans (fast_done), so they have no problem and
        their rows are counted from the scans; outputs leave them out (each part costs its compile)."""
        return [(i, t) for i, t in enumerate(TABLES) if t.name not in self.empty and t.name not in self.fast_done]

    def _row_problems(self) -> str:
        checked = self._checked_by_rules() or [(0, TABLES[0])]  # (an empty table: the union's types)
        return " UNION ALL ".join(
            f"SELECT {i} AS table_idx, {v.lit(t.name)} AS table_name, * FROM {v.q('rec_problems_' + t.name)}"
            for i, t in checked
        )

    def _problems_table(self) -> None:
        con = self.con
        # Declared, then filled only when there is a problem: a clean ingest skips compiling the
        # statement below (its join of every problem table with the sheets and template columns).
        con.execute(
            "CREATE OR REPLACE TEMP TABLE rec_problems (file VARCHAR, sheet VARCHAR, row BIGINT, "
            '"column" VARCHAR, kind VARCHAR, message VARCHAR, allowed VARCHAR, file_id VARCHAR, '
            "table_name VARCHAR, template_column VARCHAR)"
        )
        problems = self.file_problems
        if not problems and not self.bad:
            return  # no file problem, and no table with a row problem
        con.execute(
            "CREATE OR REPLACE TEMP TABLE rec_file_problems (seq INTEGER, file VARCHAR, sheet VARCHAR, "
            'row BIGINT, "column" VARCHAR, kind VARCHAR, message VARCHAR, allowed VARCHAR)'
        )
        if problems:
            # Spliced, not bound (a bound value makes DuckDB's client import pandas, 0.4 s of a
            # check): integers, NULL, and text as hex digits only (v.text_sql).
            def text(value: str | None) -> str:
                return "NULL" if value is None else v.text_sql(str(value))

            con.execute(
                "INSERT INTO rec_file_problems VALUES "
                + ", ".join(
                    f"({int(i)}, {text(p.file)}, {text(p.sheet)}, {'NULL' if p.row is None else int(p.row)}, "  # safe: ints, hex
                    f"{text(p.column)}, {text(p.kind)}, {text(p.message)}, {text(p.allowed)})"  # safe: hex, NULL
                    for i, p in enumerate(problems)
                )
            )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE rec_template_columns AS SELECT * FROM (VALUES "
            + ", ".join(f"({v.lit(t.name)}, {v.lit(c.name)})" for t in TABLES for c in t.columns)
            + ") AS t(table_name, column_name)"
        )
        # file_id, table_name and template_column are what may be counted in public: never a file
        # name, a sheet title or a header someone typed.
        con.execute(f"""INSERT INTO rec_problems
SELECT p.file, p.sheet, p.row, p."column", p.kind, p.message, p.allowed, rec_file_id(p.file) AS file_id,
       p.table_name, c.column_name AS template_column
FROM (
    SELECT 0 AS part, f.seq AS a, 0 AS b, 0 AS c, 0 AS d, f.file, f.sheet, f.row, f."column", f.kind, f.message,
           f.allowed, coalesce(s.table_name, t.table_name) AS table_name
    FROM rec_file_problems AS f
    LEFT JOIN rec_sheets AS s ON s.file = f.file AND s.sheet = f.sheet
    LEFT JOIN (SELECT DISTINCT table_name FROM rec_template_columns) AS t ON t.table_name = f.sheet
    UNION ALL
    SELECT 1, p.table_idx, p.sheet_seq, p.row, p.ord, s.file, s.sheet, p.row, p."column", p.kind, p.message, p.allowed,
           p.table_name
    FROM ({self._row_problems()}) AS p JOIN rec_sheets AS s USING (sheet_seq)
    WHERE p.kind <> 'hidden_sheet'
) AS p
LEFT JOIN rec_template_columns AS c ON c.table_name = p.table_name AND c.column_name = p."column"
ORDER BY p.part, p.a, p.b, p.c, p.d""")

    def _quarantine_table(self) -> None:
        # Declared, then filled only when a row is quarantined (as _problems_table).
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE rec_quarantine (file VARCHAR, sheet VARCHAR, table_name VARCHAR, "
            "row BIGINT, kinds VARCHAR, reasons VARCHAR, row_values VARCHAR, file_id VARCHAR)"
        )
        if not self.bad and not self.headerless_rows:
            return  # no table with a row problem, and no sheet without a header
        self._csv_cells_of_bad_rows()
        for table in TABLES:
            if table.name not in self.bad:
                continue  # no row with a problem (rec_bad_<table> is empty), so none quarantined
            values = []
            for col in table.columns:
                if not col.loaded:
                    continue
                text = v.q(col.name)
                if col.kind == "contributor_id":
                    values.append(
                        f"'contributor_pseudonym', CASE WHEN rec_blank(c.{text}) THEN NULL "
                        f"ELSE rec_pseudonym(c.{text}) END"
                    )
                else:
                    values.append(
                        f"{v.lit(col.name)}, CASE WHEN rec_blank(c.{text}) THEN NULL "
                        f"ELSE substring(c.{text}, 1, 100) END"
                    )
            problems = v.q("rec_problems_" + table.name)
            for block in self._quarantine_blocks(v.q("rec_bad_" + table.name)):
                # One statement per block of rows: a row's reasons are an ordered aggregate, whose
                # states DuckDB holds in memory (a million quarantined rows at once ran out of it).
                self.con.execute(f"""INSERT INTO rec_quarantine
SELECT s.file, s.sheet, s.table_name, q.row, q.kinds, q.reasons, q.row_values, rec_file_id(s.file) AS file_id
FROM (SELECT q.sheet_seq, q.row, q.kinds, q.reasons, json_object({", ".join(values)})::VARCHAR AS row_values
      FROM (SELECT sheet_seq, row, array_to_string(list_sort(list_distinct(list(kind))), ',') AS kinds,
                   string_agg(CASE WHEN "column" IS NOT NULL THEN 'column ' || "column" || ': ' || message
                                   ELSE message END, '; ' ORDER BY ord) AS reasons
            FROM {problems} WHERE {block} GROUP BY ALL) AS q
      JOIN {v.q("rec_cells_" + table.name)} AS c USING (sheet_seq, row)) AS q
JOIN rec_sheets AS s USING (sheet_seq)
ORDER BY q.sheet_seq, q.row""")  # safe: model names quoted, the engine's own SQL
        if not self.headerless_rows:
            return
        self.con.execute("""INSERT INTO rec_quarantine
SELECT s.file, s.sheet, s.table_name, h.row, 'no_header' AS kinds,
       'no header row with the template''s column names was found in the first 20 rows; every row is quarantined'
       AS reasons, NULL::VARCHAR AS row_values, rec_file_id(s.file) AS file_id
FROM rec_headerless AS h JOIN rec_sheets AS s USING (sheet_seq)
ORDER BY h.sheet_seq, h.row""")

    def _quarantine_blocks(self, bad: str) -> list[str]:
        """Conditions on (sheet_seq, row) splitting the rows with a problem (`bad`, rec_bad_<table>)
        into blocks of at most QUARANTINE_BLOCK rows, in order: one block ('true') unless more."""
        bounds = self.con.execute(
            f"SELECT sheet_seq, row FROM (SELECT sheet_seq, row, row_number() OVER (ORDER BY sheet_seq, row) AS n "  # safe: a quoted model name
            f"FROM {bad}) "  # safe: a quoted model name
            f"WHERE n % {QUARANTINE_BLOCK} = 0 ORDER BY n"  # safe: an integer constant
        ).fetchall()
        if not bounds:
            return ["true"]

        def upto(seq: int, row: int) -> str:
            return f"(sheet_seq < {int(seq)} OR (sheet_seq = {int(seq)} AND row <= {int(row)}))"

        blocks = [upto(*bounds[0])]
        blocks += [f"NOT {upto(*a)} AND {upto(*b)}" for a, b in zip(bounds, bounds[1:])]
        return blocks + [f"NOT {upto(*bounds[-1])}"]

    def _reconciliation_table(self) -> None:
        counts = " UNION ALL ".join(
            [
                "SELECT NULL::INTEGER AS sheet_seq, 0::BIGINT AS read, 0::BIGINT AS loaded, 0::BIGINT AS quarantined "
                "WHERE false"  # (the types, when no table was checked by the rules)
            ]
            + [
                f"SELECT sheet_seq, count(*) AS read, count(*) FILTER (WHERE b.row IS NULL) AS loaded, "  # safe: model names, quoted
                f"count(b.row) AS quarantined FROM {v.q('rec_typed_' + t.name)} AS c "  # safe: model name, quoted
                f"LEFT JOIN {v.q('rec_bad_' + t.name)} AS b USING (sheet_seq, row) GROUP BY sheet_seq"  # safe: model name, quoted
                for _, t in self._checked_by_rules()
            ]
        )
        for name in self.fast_done:  # tables proved clean: every row read loaded
            counts += (
                " UNION ALL SELECT sheet_seq, count(*) AS read, count(*) AS loaded, 0::BIGINT AS quarantined "
                f"FROM {v.q('rec_fast_' + name)} GROUP BY sheet_seq"
            )
        # The rejected files' names spliced as hex digits only (v.text_sql), as in add_sheet.
        rejected = "[" + ", ".join(v.text_sql(f) for f in self.rejected) + "]::VARCHAR[]"
        self.con.execute(
            f"""CREATE OR REPLACE TEMP TABLE rec_reconciliation AS
WITH rows AS ({counts}),
headerless AS (SELECT sheet_seq, count(*) AS n FROM rec_headerless GROUP BY ALL)
SELECT file, sheet, table_name, status, read, loaded, quarantined, kept_previous, rec_file_id(file) AS file_id FROM (
    SELECT 0 AS part, s.sheet_seq AS seq, s.file, s.sheet, s.table_name,
           CASE WHEN s.hidden THEN 'hidden' ELSE 'read' END AS status,
           coalesce(r.read, 0) + coalesce(h.n, 0) AS read, coalesce(r.loaded, 0) AS loaded,
           coalesce(r.quarantined, 0) + coalesce(h.n, 0) AS quarantined, 0 AS kept_previous
    FROM rec_sheets AS s LEFT JOIN rows AS r USING (sheet_seq) LEFT JOIN headerless AS h USING (sheet_seq)
    UNION ALL
    SELECT 1, seq, file, NULL, NULL, 'rejected', 0, 0, 0, 0
    FROM (SELECT unnest({rejected}) AS file, generate_subscripts({rejected}, 1) AS seq)
) ORDER BY part, seq"""
        )
