"""Ingesting a records directory: typed, checked rows load; every other row is quarantined.

The rows never become Python objects: readers stream them into DuckDB and the engine checks them
with set-based SQL (engine.py, validation.py). For every sheet read, loaded + quarantined == read.
Free text is never kept, and contributor identifiers leave the engine only as keyed pseudonyms.
The results stay in the DuckDB connection as TEMP tables; RecordsLoad reads them as DataFrames on
demand (small results, tests) or hands them over as relations (landing, any size).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from . import csvfiles
from .engine import PROBLEM_FIELDS, Engine, ProveNumbersAtOnce
from .model import TABLES
from .problems import Problem
from .reading import FileRead, display_name, link_problem, name_problem, printable, records_sources

if TYPE_CHECKING:  # pandas is imported only when a DataFrame is asked for (not by `records check`)
    import pandas as pd

PROBLEM_COLUMNS = PROBLEM_FIELDS
QUARANTINE_COLUMNS = ["file", "sheet", "table_name", "row", "kinds", "reasons", "row_values"]
RECONCILIATION_COLUMNS = ["file", "sheet", "table_name", "status", "read", "loaded", "quarantined", "kept_previous"]
# DuckDB's buffers spill to a temporary folder beyond this: the whole check peaked at 0.51 GB for
# 1M activities and 0.97 GB for 10M (docs/records-speed.md).
DEFAULT_MEMORY = "512MB"
# The landing's cap on the warehouse's connection, lower since Dagster and the warehouse's own
# allocations come on top: 0.85 GB at 10M (1.08 GB with 512 MB, for about 15% less processor time).
LANDING_MEMORY = "384MB"


class _Frames(Mapping):
    """{name: DataFrame} read from the engine's tables the first time each is asked for."""

    def __init__(self, con, names: dict[str, str]):
        self._con, self._names = con, names
        self._cache: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            self._cache[name] = self._con.execute(f'SELECT * FROM "{self._names[name]}"').df()
        return self._cache[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@dataclass
class RecordsLoad:
    con: duckdb.DuckDBPyConnection
    files: list[str]
    rejected_files: list[str]
    example_data: bool = False
    _scratch: tempfile.TemporaryDirectory | None = field(default=None, repr=False)
    _problems: list[Problem] | None = field(default=None, repr=False)
    rows_kept: bool = True
    # landing table -> SELECTs whose rows, one after another, are its rows in order (Engine.output_parts:
    # the tables landed from their scans); any other table is its relation, sorted.
    output_parts: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def _kept(self) -> None:
        if not self.rows_kept:
            raise ValueError("this load was a check (keep_rows=False): it kept problems and counts, not rows")

    def relations(self) -> dict[str, str]:
        """landing table name -> the engine's TEMP table holding it."""
        self._kept()
        out = {f"records_{t.name}": f"rec_out_{t.name}" for t in TABLES}
        out |= {
            f"records_{t.name}__{c.name}": f"rec_out_{t.name}__{c.name}" for t in TABLES for c in t.columns if c.many
        }
        return out | {
            "records_quarantine": "rec_quarantine",
            "records_problems": "rec_problems",
            "records_reconciliation": "rec_reconciliation",
        }

    @property
    def tables(self) -> Mapping[str, pd.DataFrame]:
        self._kept()
        return _Frames(self.con, {t.name: f"rec_out_{t.name}" for t in TABLES})

    @property
    def links(self) -> Mapping[str, pd.DataFrame]:
        self._kept()
        return _Frames(
            self.con,
            {f"{t.name}__{c.name}": f"rec_out_{t.name}__{c.name}" for t in TABLES for c in t.columns if c.many},
        )

    @property
    def quarantine(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM rec_quarantine").df()

    @property
    def reconciliation(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM rec_reconciliation").df()

    def reconciliation_rows(self) -> list[tuple]:
        """(file, sheet, table_name, status, read, loaded, quarantined) per sheet, without pandas."""
        return self.con.execute(
            "SELECT file, sheet, table_name, status, read, loaded, quarantined FROM rec_reconciliation"
        ).fetchall()

    def totals(self) -> dict[str, int]:
        row = self.con.execute(
            "SELECT coalesce(sum(read), 0), coalesce(sum(loaded), 0), coalesce(sum(quarantined), 0), "
            "count(sheet) FROM rec_reconciliation"
        ).fetchone()
        assert row is not None  # an aggregate without GROUP BY returns exactly one row
        read, loaded, quarantined, sheets = row
        return {"read": int(read), "loaded": int(loaded), "quarantined": int(quarantined), "sheets": int(sheets)}

    @property
    def problem_count(self) -> int:
        row = self.con.execute("SELECT count(*) FROM rec_problems").fetchone()
        assert row is not None  # count(*) always returns one row
        return int(row[0])

    def problem_kinds(self) -> dict[str, int]:
        return dict(self.con.execute("SELECT kind, count(*) FROM rec_problems GROUP BY ALL ORDER BY ALL").fetchall())

    def iter_problems(self, batch: int = 10_000) -> Iterator[Problem]:
        """Every problem, streamed (TEMP tables belong to this connection: finish before other queries)."""
        result = self.con.execute("SELECT " + ", ".join(f'"{c}"' for c in PROBLEM_COLUMNS) + " FROM rec_problems")
        while rows := result.fetchmany(batch):
            yield from (Problem(*row) for row in rows)

    @property
    def problems(self) -> list[Problem]:
        if self._problems is None:
            self._problems = list(self.iter_problems())
        return self._problems

    def problems_frame(self) -> pd.DataFrame:
        frame = self.con.execute("SELECT " + ", ".join(f'"{c}"' for c in PROBLEM_COLUMNS) + " FROM rec_problems").df()
        return frame.astype({c: "Int64" if c == "row" else "string" for c in PROBLEM_COLUMNS})

    def close(self) -> None:
        if self._scratch is not None:
            self.con.close()
            self._scratch.cleanup()
            self._scratch = None


SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*(bytes|[KMGT]i?B)$")
UNITS = {"bytes": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}
UNITS |= {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def size_bytes(text: str) -> float:
    """A DuckDB size ('512MB', '3.6 GiB', as current_setting shows it) in bytes."""
    match = SIZE.match(text.strip())
    if not match:
        raise ValueError(f"not a size: {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


@contextmanager
def memory_capped(
    con: duckdb.DuckDBPyConnection, limit: str = LANDING_MEMORY, configured: str | None = None
) -> Iterator[None]:
    """Run the records step on a shared connection (the warehouse's) within `limit`, or within the
    connection's own limit when that is lower, restored afterwards: to `configured` (the limit the
    connection was opened with) when given, else to the limit as DuckDB shows it (rounded to 0.1).
    The records engine streams and spills, so a national collection needs no more (docs/records.md)."""
    (shown,) = con.execute("SELECT current_setting('memory_limit')").fetchone() or ("",)
    current = configured or shown
    lower = size_bytes(limit) < size_bytes(current)
    if lower:
        con.execute(f"SET memory_limit = '{size_bytes(limit):.0f}B'")
    try:
        yield
    finally:
        if lower:
            con.execute(f"SET memory_limit = '{size_bytes(current):.0f}B'")


def connect(memory_limit: str = DEFAULT_MEMORY) -> tuple[duckdb.DuckDBPyConnection, tempfile.TemporaryDirectory]:
    """An in-memory DuckDB that spills to a private temporary folder beyond memory_limit."""
    scratch = tempfile.TemporaryDirectory(prefix="inclusion-records-")
    con = duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": scratch.name})
    return con, scratch


def ingest(
    root: Path,
    *,
    key: bytes | None,
    known_lad_codes: set[str] | None = None,
    example_data: bool = False,
    con: duckdb.DuckDBPyConnection | None = None,
    memory_limit: str = DEFAULT_MEMORY,
    keep_rows: bool = True,
    scan_plain: bool = True,
) -> RecordsLoad:
    """Read, check and split every records file under root. Never raises for bad content.

    With con, the engine's tables are TEMP tables of that connection (e.g. the warehouse's);
    without, of a private in-memory connection that lives as long as the RecordsLoad.
    keep_rows=False (`inclusion records check`): the same problems and counts, but the loaded rows
    are not kept (no tables, links or relations), so a CSV table without problems is never stored;
    key=None then draws a throwaway key (Engine). scan_plain=False types every CSV file by the full
    rules, even a table its scan would prove clean (the reference that path is tested against)."""
    root = Path(root)
    if key is None and keep_rows:
        raise ValueError("rows kept for landing need the records key")
    # A check proves a scanned file's row numbers only if its table has a problem; should reading
    # the file again for that fail (rare: Engine._prove_numbers), it starts again proving them at once.
    for later in (True, False):
        own, scratch = connect(memory_limit) if con is None else (con, None)
        engine = Engine(
            own, key, known_lad_codes, keep_rows=keep_rows, scan_plain=scan_plain, prove_numbers_later=later
        )
        try:
            files, rejected = _read_all(root, engine)
            engine.validate()
        except ProveNumbersAtOnce:
            if scratch is not None:
                own.close()
                scratch.cleanup()
            continue
        return RecordsLoad(
            own, files, rejected, example_data, scratch, rows_kept=keep_rows, output_parts=engine.output_parts
        )
    raise AssertionError("no proof is left for later the second time")


def _read_all(root: Path, engine: Engine) -> tuple[list[str], list[str]]:
    """Read every records file under root into the engine: the files' names, and those rejected."""
    files, rejected = [], []
    for kind, path in records_sources(root):
        name = display_name(path, root)
        if printable(name) != name:  # bytes that are not UTF-8 in its name: reported, not read
            name = printable(name)
            read = FileRead(name, rejected=True, problems=[name_problem(name)])
        else:
            read = _read(kind, path, root, name, engine)
        files.append(read.file)
        engine.file_problems += read.problems
        for sheet in read.sheets:
            engine.file_problems += sheet.problems
            if unheaded := sheet.unheaded_problem():
                engine.file_problems.append(unheaded)
        if read.rejected:
            rejected.append(read.file)
    engine.rejected = rejected
    return files, rejected


def _read(kind: str, path: Path, root: Path, name: str, engine: Engine) -> FileRead:
    if kind == "link":
        return FileRead(name, rejected=True, problems=[link_problem(path, root, name)])
    if kind == "workbook":
        from . import xlsx  # (zipfile, the XML parser and calamine: not needed for a CSV folder)

        return xlsx.read_workbook(path, name, engine)
    if kind == "csv_folder":
        return csvfiles.read_csv_folder(path, name, engine)
    if path.suffix.lower() == ".csv":  # one CSV given on its own (records check activities.csv)
        message = (
            "a CSV file is read with the other CSV files of its folder (the tables refer to each other), "
            "not on its own; nothing in it was read"
        )
        allowed = "the folder holding it: inclusion records check FOLDER"
    else:
        message = f"'{path.suffix or path.name}' files are not records files"
        allowed = "an .xlsx workbook made from the template, or a folder of the template's CSV files"
    return FileRead(name, rejected=True, problems=[Problem(name, None, None, None, "not_template", message, allowed)])
