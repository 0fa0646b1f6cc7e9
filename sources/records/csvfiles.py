"""Reading a folder of the template's CSV files into the engine, a file at a time.

A well-formed UTF-8 file is read by DuckDB's own parallel CSV reader (every column as text). A file
DuckDB refuses (ragged rows, stray quotes), one with empty lines (DuckDB skips them, which would
shift row numbers) or in another encoding (UTF-16, Windows-1252) is streamed through Python's csv
module instead, with the same results. The delimiter (',' ';' or tab, as Excel writes in other
locales) is the one whose first rows hold the template's header.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
from pathlib import Path

import duckdb

from .model import TABLES
from .problems import Problem
from .reading import (
    HEADER_SEARCH_ROWS,
    FileRead,
    SheetPlan,
    header_position,
    name_problem,
    not_template,
    plan_sheet,
    printable,
    table_for_sheet,
)

DELIMITERS = (",", ";", "\t")
SNIFF_BYTES = 1 << 16
CHUNK = 8 << 20
CSV_FORMS = "a comma-separated file saved as UTF-8"
# DuckDB's reader takes lines of up to 2,000,000 bytes (its max_line_size), so a field of up to that
# many characters; Python's csv module refuses fields over 131,072 characters by default. Python's
# reader reads the files DuckDB does not (an empty line, another encoding), so it takes as much,
# else such a file was called unreadable there and read on the other path; still bounded, so a
# stray quote cannot make one field of a whole large file.
FIELD_LIMIT = 2_000_000


class CsvUnreadable(Exception):
    pass


def read_csv_folder(folder: Path, name: str, engine) -> FileRead:
    result = FileRead(name)
    csvs = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() == ".csv" and not p.is_symlink() and p.is_file() and not p.name.startswith((".", "~$"))
    )
    if not any(table_for_sheet(p.stem) for p in csvs):
        result.rejected = True
        result.problems.append(not_template(name, [printable(p.name) for p in csvs]))
        return result
    for path in csvs:
        file_name = name + printable(path.name)
        if file_name != name + path.name:  # bytes that are not UTF-8 in its name
            result.problems.append(name_problem(file_name))
            continue
        table = table_for_sheet(path.stem)
        if table is None:
            result.problems.append(
                Problem(
                    file_name,
                    path.stem,
                    None,
                    None,
                    "unknown_sheet",
                    "CSV file is not part of the template; not read",
                    "CSV files named " + ", ".join(t.name + ".csv" for t in TABLES),
                )
            )
            continue
        plan = SheetPlan(file_name, table.name, table)
        try:
            read_csv_file(path, plan, engine)
        except (CsvUnreadable, csv.Error, OSError, UnicodeError) as exc:
            engine.discard_sheet(plan)
            result.problems.append(
                Problem(
                    file_name,
                    table.name,
                    None,
                    None,
                    "unreadable",
                    f"the CSV file could not be read ({exc})",
                    CSV_FORMS,
                )
            )
            continue
        result.sheets.append(plan)
    return result


class FileFacts:
    """One pass over the bytes: the encoding, its lines, and whether DuckDB's reader would number rows
    as Python's does (`simple`: no NUL, no lone carriage return and no empty line). With
    empty_lines=False the search for empty lines, the dearest test, is left for is_simple (simple is
    then None unless another test failed): a file whose every line DuckDB read as a row has none."""

    def __init__(self, path: Path, empty_lines: bool = True, count_lines: bool = True):
        self.encoding = "utf-8"
        self.simple: bool | None = True
        self.empty_lines = empty_lines  # whether _scan looks for empty lines
        with open(path, "rb") as handle:
            # Line feeds, and one more for a last line without one. With count_lines=False a file of
            # more than one chunk is not counted (line_count counts it if asked): counting costs
            # more than the other tests together (0.5 s of CPU for 900 MB).
            self.lines: int | None = 0 if count_lines or os.fstat(handle.fileno()).st_size <= CHUNK else None
            head = handle.read(4)
            if not head:
                raise CsvUnreadable("the file is empty (0 bytes)")
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                self.encoding, self.simple = "utf-16", False
                return
            handle.seek(0)
            self._scan(handle)

    def _scan(self, handle) -> None:
        # C-speed tests only (memchr, count, isascii): this pass reads every byte of files that
        # DuckDB then reads again, so it must cost little beside that.
        decoder = codecs.getincrementaldecoder("utf-8")()
        utf8, previous, first, cr_pending = True, b"", True, False
        while True:
            chunk = handle.read(CHUNK)
            if not chunk:
                break
            if first and len(chunk) >= 4 and (chunk[1] == chunk[3] == 0) != (chunk[0] == chunk[2] == 0):
                # Text whose every other byte is zero: UTF-16 without a byte-order mark.
                self.encoding, self.simple = ("utf-16-le" if chunk[1] == 0 else "utf-16-be"), False
                return
            if self.simple:
                self.simple = self._simple(chunk, previous[-2:] + chunk[:2], first, cr_pending, self.empty_lines)
                cr_pending = chunk.endswith(b"\r")
            if self.lines is not None:
                self.lines += chunk.count(b"\n")
            if utf8 and (decoder.getstate()[0] or not chunk.isascii()):  # ASCII alone is valid UTF-8
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            previous, first = chunk, False
        if previous and not previous.endswith(b"\n") and self.lines is not None:
            self.lines += 1
        if cr_pending:
            self.simple = False  # a carriage return ends the file
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
        if not utf8:
            self.simple = False
            handle.seek(0)
            try:
                codecs.decode(handle.read(), "cp1252")
                self.encoding = "cp1252"
            except UnicodeDecodeError:
                self.encoding = "latin-1"
        elif self.encoding == "utf-8":
            self.encoding = "utf-8-sig"
        if self.simple and not self.empty_lines:
            self.simple = None  # empty lines not looked for

    def is_simple(self, path: Path, rows_read: int | None = None) -> bool:
        """`simple`; if empty lines were not looked for, a file of which DuckDB read `rows_read`
        rows after the header's lines has none when those rows are all its lines (DuckDB skips empty
        lines, and a quoted line break makes a row of two lines); else its bytes are read again."""
        if self.simple is None:
            self.simple = rows_read == self.line_count(path) or FileFacts(path).simple
        return bool(self.simple)

    def line_count(self, path: Path) -> int:
        """The file's lines (as `lines`), counted now if the first pass left them."""
        if self.lines is None:
            self.lines = FileFacts(path, empty_lines=False).lines or 0
        return self.lines

    @staticmethod
    def _simple(chunk: bytes, edge: bytes, first: bool, cr_pending: bool, empty_lines: bool = True) -> bool:
        """No NUL, no empty line (if empty_lines) and no carriage return without a line feed, in this
        chunk or where it meets the previous one (edge: the last two bytes before it and its first two)."""
        if b"\x00" in chunk or (first and chunk[:1] in (b"\n", b"\r")):
            return False  # DuckDB and Python may differ on NUL; Python's reader is the reference
        if empty_lines and (b"\n\n" in chunk or b"\n\n" in edge or b"\n\r\n" in edge):
            return False
        if empty_lines and b"\r" in chunk and b"\n\r\n" in chunk:  # (memchr first: most files have no \r)
            return False
        if cr_pending and not chunk.startswith(b"\n"):
            return False
        if b"\r" in chunk:
            lone = chunk.count(b"\r") - chunk.count(b"\r\n") - chunk.endswith(b"\r")
            return lone == 0
        return True


def _text(path: Path, encoding: str):
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)  # (process-wide: only ever raised)
    return open(path, encoding=encoding, newline="")


def _head_text(path: Path, encoding: str) -> tuple[str, bool]:
    """The first lines of the file as text; True when that is the whole file."""
    with _text(path, encoding) as handle:
        text = handle.read(SNIFF_BYTES)
        whole = not handle.read(1)
    if not whole:
        text = text[: max(text.rfind("\n"), 0)]
    return text, whole


def _delimiter(head: str, plan: SheetPlan) -> str:
    best, chosen = 0, ","
    for delimiter in DELIMITERS:
        rows = [
            row
            for _, row in zip(range(HEADER_SEARCH_ROWS), csv.reader(io.StringIO(head, newline=""), delimiter=delimiter))
        ]
        position = header_position(rows, plan.table)
        score = 0 if position is None else sum(1 for c in rows[position] if c.strip())
        if position is not None and score > best:
            best, chosen = score, delimiter
    return chosen


def _same_line_ends(text: str, count: int) -> bool:
    """Whether the first `count` lines of `text` end alike (all CRLF or all LF). DuckDB's reader, told
    to skip the lines above the data, reads no row at all, without an error, when those end otherwise
    than the rows (a title line typed in an editor above a file Excel saved); mixed ends lower down
    it refuses, so Python's csv module reads the file."""
    return len({m.group() for m in itertools.islice(re.finditer("\r\n|\r|\n", text), count)}) <= 1


def read_csv_file(path: Path, plan: SheetPlan, engine) -> None:
    # Empty lines are looked for only if DuckDB's rows are not the lines; a check counts the lines of
    # a file it scans only if the file's table has a problem (engine.numbers_later).
    facts = FileFacts(path, empty_lines=False, count_lines=engine.keep_rows)
    head_text, _ = _head_text(path, facts.encoding)
    delimiter = _delimiter(head_text, plan)
    reader = csv.reader(io.StringIO(head_text, newline=""), delimiter=delimiter)
    head = []
    for row in reader:
        head.append(row)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    plan_sheet(plan, head)
    engine.add_sheet(plan)
    if plan.header_row is not None and facts.simple is not False and facts.encoding.startswith("utf-8"):
        lines = csv.reader(io.StringIO(head_text, newline=""), delimiter=delimiter)
        for _ in range(plan.header_row):
            next(lines)
        # No line breaks inside quotes above the data, and the lines above it end as the first row does.
        if lines.line_num == plan.header_row and _same_line_ends(head_text, plan.header_row + 1):
            if facts.lines == plan.header_row:
                return  # no line below the header: no rows (the table is empty unless other files have some)
            width = len(head[plan.header_row - 1])
            unheaded = [i for i in range(width) if i not in plan.headed]  # (a header's empty cells)
            try:
                engine.csv_fast(plan, path, width, delimiter, plan.header_row)
            except duckdb.Error:
                pass  # not well formed for DuckDB: Python's csv module reads it as before
            else:
                if unheaded and engine.any_value_in(path, width, delimiter, plan.header_row, unheaded):
                    engine.forget_scan(plan)  # values under no header: Python's reader says where they are
                    _stream(path, plan, facts.encoding, delimiter, engine)
                    return
                rows = engine.rows_scanned(plan) + plan.header_row
                if engine.numbers_later(plan):
                    engine.prove_numbers_later(
                        plan,
                        lambda: facts.is_simple(path, rows),
                        lambda: _stream(path, plan, facts.encoding, delimiter, engine),
                    )
                    return
                if facts.is_simple(path, rows):
                    return
                engine.forget_scan(plan)  # an empty line: DuckDB skipped it, so its row numbers are off
    _stream(path, plan, facts.encoding, delimiter, engine)


def _stream(path: Path, plan: SheetPlan, encoding: str, delimiter: str, engine) -> None:
    writer = engine.writer(plan)
    first = plan.header_row or 0
    with _text(path, encoding) as handle:
        for number, row in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
            if number <= first:
                continue
            cells = [(c, "s") if c.strip() else (None, None) for c in row]
            if any(text is not None for text, _ in cells):
                writer.add(number, cells)
    writer.flush()
