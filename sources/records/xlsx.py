"""Reading records workbooks (.xlsx) into the engine, a sheet at a time.

Values come from python-calamine (Rust, several times faster than openpyxl). Calamine reads Excel
error values and formulas without a saved result as empty text, so a quick pass over each sheet's
XML (regular expressions over the decompressed stream, never a tree) first finds those cells, and
the sheet's real extent: a sheet whose cells would not fit the memory budget as one block (someone
typed into XFD1048576) is streamed by openpyxl instead, row by row, with its declared dimension
ignored, so a workbook that declares A1:XFD1048576 but holds little data reads in moments.
Below the header, rows go to the engine a batch at a time, rendered column by column
(render_column: the same text and type as render() cell by cell; tests/unit/test_records_xlsx_columns.py).
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from . import engine as engine_module
from .cells import canonical_code
from .model import TABLES
from .problems import Problem
from .reading import (
    HEADER_SEARCH_ROWS,
    NOT_TABLES,
    FileRead,
    SheetPlan,
    not_template,
    plan_sheet,
    table_for_sheet,
    unreadable,
)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_FORMS = "an .xlsx workbook saved from Excel, LibreOffice or the template"
BLOCK_CELLS = 8_000_000  # rows x columns calamine may hold at once (about 250 MB)
STREAM_MAX_COLUMNS = 200  # columns read by the streaming fallback (the template has at most 19)
CHUNK = 4 << 20

_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
# A reference of column AA or beyond: only cells have an `r` attribute holding letters (rows hold
# digits). A literal start lets the scan skip ahead quickly (8x faster than matching from `<c`);
# the byte before `r` must be whitespace, so an attribute merely ending in r is not one.
_WIDE_REF = re.compile(rb'r="([A-Z]{2,3})[0-9]')
_ERROR = re.compile(rb'<c\b([^>]*?\bt="e"[^>]*)>(.*?)</c>', re.S)
_FORMULA = re.compile(rb"<c\b([^>]*)>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
# A cell that holds something (a saved value or inline text), not just a style.
_WIDE_FILLED = re.compile(rb'<c\b[^>]*?\br="([A-Z]{2,3})\d+"[^>]*?(?<!/)>(?:(?!</c>).)*?<(?:v|is)>', re.S)
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


def column_index(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n - 1


def is_encrypted(path: Path) -> bool:
    """An OLE2 file holding an 'EncryptionInfo' stream is a password-protected Office file."""
    with open(path, "rb") as handle:
        data = handle.read(1 << 20)
    return "EncryptionInfo".encode("utf-16-le") in data


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part, from xl/workbook.xml and its relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target") for r in rels}
    parts: dict[str, str] = {}
    for sheet in book.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"))
        name = sheet.get("name")
        if target and name is not None:
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            parts[name] = path
    return parts


class SheetScan:
    """What a pass over one sheet's XML found: its extent and the cells calamine would read as empty."""

    def __init__(self):
        self.max_row = 0
        self.max_column = 25  # at least 'Z'
        self.max_filled_column = 0  # the last column with a value in it
        self.special: dict[tuple[int, int], tuple[str | None, str]] = {}  # (row, col) -> (text, type)

    @property
    def cells(self) -> int:
        return self.max_row * (self.max_column + 1)


def scan_sheet(archive: zipfile.ZipFile, part: str) -> SheetScan:
    scan = SheetScan()
    with archive.open(part) as stream:
        carry = b""
        while True:
            data = stream.read(CHUNK)
            block = carry + data
            cut = block.rfind(b"</row>") + len(b"</row>") if data else len(block)
            if data and cut < len(b"</row>"):
                carry = block
                continue
            body, carry = block[:cut], block[cut:]
            _scan_block(body, scan)
            if not data:
                break
    return scan


def _scan_block(body: bytes, scan: SheetScan) -> None:
    last = body.rfind(b"<row ")
    if last >= 0:
        found = _ROW.match(body, last)
        if found:
            scan.max_row = max(scan.max_row, int(found.group(1)))
    for found in _WIDE_REF.finditer(body):
        if body[found.start() - 1 : found.start()].isspace():
            scan.max_column = max(scan.max_column, column_index(found.group(1)))
    if scan.max_column >= STREAM_MAX_COLUMNS:  # only sheets reaching past the streamed columns
        for found in _WIDE_FILLED.finditer(body):
            scan.max_filled_column = max(scan.max_filled_column, column_index(found.group(1)))
    if b't="e"' in body:
        for found in _ERROR.finditer(body):
            ref = _REF.search(found.group(1))
            value = _VALUE.search(found.group(2))
            if ref:
                code = value.group(1).decode("utf-8", "replace").strip() if value else "#N/A"
                scan.special[(int(ref.group(2)), column_index(ref.group(1)))] = (code, "e")
    if b"<f" in body:
        for found in _FORMULA.finditer(body):
            attrs = found.group(1)
            ref = _REF.search(attrs)
            if ref and b't="str"' not in attrs:  # a formula whose saved result is empty text is empty
                scan.special[(int(ref.group(2)), column_index(ref.group(1)))] = (None, "f")


def render(value) -> tuple[str | None, str | None]:
    """A cell's (text, type): the text is what str() of openpyxl's value gave before."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return str(value), "b"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
            return str(int(value)), "n"
        return str(value), "n"
    if isinstance(value, dt.datetime):
        return str(value), "d"
    if isinstance(value, dt.date):
        return f"{value} 00:00:00", "d"
    text = str(value)
    return (text, "s") if text.strip() else (None, None)


def _text(value: str) -> tuple[str | None, str | None]:
    return (value, "s") if value.strip() else (None, None)


def _number(value: float) -> tuple[str, str]:
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value)), "n"
    return str(value), "n"


# render() by the value's exact type (a subclass, or a type not listed, goes through render itself).
_RENDER_BY_TYPE: dict[type, Callable[[Any], tuple[str | None, str | None]]] = {
    str: _text,
    float: _number,
    int: lambda x: (str(x), "n"),
    dt.datetime: lambda x: (str(x), "d"),
    dt.date: lambda x: (f"{x} 00:00:00", "d"),
}


def render_column(values) -> tuple[list, list]:
    """render() of every value of one column, as (texts, types): a column of text only or of
    numbers only (most template columns) in one comprehension, any other value by its type."""
    kinds = set(map(type, values))
    if kinds == {str}:
        texts = [x if x.strip() else None for x in values]
        return texts, [None if x is None else "s" for x in texts]
    if kinds == {float}:
        texts = [str(int(x)) if x.is_integer() and abs(x) < 1e16 else str(x) for x in values]
        return texts, ["n"] * len(texts)
    if kinds == {dt.date}:
        return [f"{x} 00:00:00" for x in values], ["d"] * len(values)
    if kinds == {dt.datetime}:
        return list(map(str, values)), ["d"] * len(values)
    cells = [_RENDER_BY_TYPE.get(type(x), render)(x) for x in values]
    return [c[0] for c in cells], [c[1] for c in cells]


def read_workbook(path: Path, name: str, engine) -> FileRead:
    result = FileRead(name)

    def reject(message: str, allowed: str = WORKBOOK_FORMS) -> FileRead:
        result.rejected = True
        result.sheets = []
        result.problems.append(unreadable(name, message, allowed))
        return result

    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            magic = handle.read(8)
    except OSError as exc:
        return reject(f"cannot be opened ({exc.strerror or type(exc).__name__})")
    if size == 0:
        return reject("the file is empty (0 bytes)")
    if magic == OLE2_MAGIC:
        if is_encrypted(path):
            return reject(
                "the workbook is protected by a password (encrypted), so it cannot be read",
                "the workbook saved without a password (File > Info > Protect Workbook in Excel)",
            )
        return reject(
            "this is an old-style Excel 97-2003 file, not an .xlsx workbook",
            "the workbook saved as 'Excel Workbook (.xlsx)'",
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        return reject(f"cannot be opened as an Excel workbook ({type(exc).__name__})")
    with archive, _no_cyclic_gc():
        try:
            return _read_sheets(path, archive, result, engine)
        except Exception as exc:  # a truncated or corrupt part of the file, found while streaming
            engine.discard_file(result.file)
            return reject(f"the workbook is damaged and could not be read ({type(exc).__name__})")


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Python's cycle collector paused while a workbook is read: reading allocates a few objects per
    cell (none in cycles), and the collections this triggers cost 10-15% of an .xlsx check's
    processor time (100k activities). Reference counting still frees every cell as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_sheets(path: Path, archive: zipfile.ZipFile, result: FileRead, engine) -> FileRead:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    name = result.file
    book = CalamineWorkbook.from_path(str(path))
    try:
        titles = book.sheet_names
        if not any(table_for_sheet(t) for t in titles):
            result.rejected = True
            result.problems.append(not_template(name, titles))
            return result
        parts = _sheet_parts(archive)
        for meta in book.sheets_metadata:
            table = table_for_sheet(meta.name)
            hidden = meta.visible != SheetVisibleEnum.Visible
            if table is None:
                if canonical_code(meta.name) not in NOT_TABLES or hidden:
                    result.problems.append(
                        Problem(
                            name,
                            meta.name,
                            None,
                            None,
                            "unknown_sheet",
                            ("hidden sheet" if hidden else "sheet") + " is not part of the template; not read",
                            "the template's sheets: " + ", ".join(t.name for t in TABLES),
                        )
                    )
                continue
            plan = SheetPlan(name, meta.name, table, hidden=hidden)
            scan = scan_sheet(archive, parts[meta.name]) if meta.name in parts else SheetScan()
            if scan.cells > BLOCK_CELLS:
                rows = _openpyxl_rows(path, meta.name)
                if scan.max_filled_column >= STREAM_MAX_COLUMNS:  # never dropped in silence
                    from openpyxl.utils import get_column_letter

                    last = get_column_letter(STREAM_MAX_COLUMNS)
                    result.problems.append(
                        Problem(
                            name,
                            meta.name,
                            None,
                            f"after {last}",
                            "extra_column",
                            f"cells after column {last} hold values; they are not part of the template and were not read",
                            f"the template's columns, all before column {last}",
                        )
                    )
            else:
                sheet = book.get_sheet_by_name(meta.name)
                rows = _calamine_rows(sheet)
                for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
                    for r in range(r0, min(r1, scan.max_row) + 1):
                        for c in range(c0, min(c1, STREAM_MAX_COLUMNS) + 1):
                            if (r, c) != (r0, c0):
                                scan.special.setdefault((r + 1, c), (None, "m"))
            _load_rows(plan, rows, scan.special, engine)
            result.sheets.append(plan)
    finally:
        book.close()
    return result


def _calamine_rows(sheet):
    """(row number, values from column A) for every row; calamine starts rows at 1 but columns at the first used."""
    start = sheet.start
    pad = [""] * (start[1] if start else 0)
    for number, values in enumerate(sheet.iter_rows(), start=1):
        yield number, pad + values if pad else values


def _openpyxl_rows(path: Path, title: str):
    """Rows actually present, streamed, whatever dimension the sheet declares."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[title]
        ws.reset_dimensions()
        gap = None
        for row in ws.iter_rows(max_col=STREAM_MAX_COLUMNS):
            # openpyxl fills each row missing from the file (up to 1,048,575 of them before a cell in
            # the last row) with one shared tuple of empty cells: recognised by identity, not re-read.
            if row is gap:
                continue
            cells = [c for c in row if getattr(c, "row", None)]
            if not cells:
                gap = row
            else:
                values = [None] * (cells[-1].column)
                for c in cells:
                    values[c.column - 1] = c.value
                yield cells[0].row, values
    finally:
        wb.close()


def _has_value(cells: list) -> bool:
    """A row is read if any cell holds something; cells covered by a merge alone do not make a row."""
    return any(text is not None or kind not in (None, "m") for text, kind in cells)


def _load_rows(plan: SheetPlan, rows, special: dict, engine) -> None:
    by_row: dict[int, list] = {}
    for (r, c), cell in special.items():
        by_row.setdefault(r, []).append((c, cell))
    head: list[tuple[int, list]] = []
    rows = iter(rows)
    for number, values in rows:  # the first rows, one by one, to find the header
        cells = [render(x) for x in values]
        for c, cell in by_row.get(number, ()):
            cells.extend([(None, None)] * (c + 1 - len(cells)))
            cells[c] = cell
        head.append((number, cells))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    writer = _start(plan, head, engine)
    template = set(plan.columns.values())
    # The rows below, a batch at a time and column by column: the same cells as render() row by row.
    while batch := list(itertools.islice(rows, engine_module.BATCH_ROWS)):
        numbers = [number for number, _ in batch]
        columns = [render_column(values) for values in itertools.zip_longest(*(v for _, v in batch))]
        marked = [(i, by_row[n]) for i, n in enumerate(numbers) if n in by_row] if by_row else []
        for i, found in marked:
            for c, cell in found:
                if cell[1] == "m" and c not in template:
                    continue
                while len(columns) <= c:
                    columns.append(([None] * len(numbers), [None] * len(numbers)))
                columns[c][0][i], columns[c][1][i] = cell
        # A row is read if any cell holds something (render gives a type to every such cell); cells
        # covered by a merge alone do not make a row.
        filled = [any(kinds) for kinds in zip(*(kinds for _, kinds in columns))] if columns else [False] * len(batch)
        for i, _ in marked:
            filled[i] = any(kinds[i] not in (None, "m") for _, kinds in columns)
        if not all(filled):
            keep = [i for i, f in enumerate(filled) if f]
            numbers = [numbers[i] for i in keep]
            columns = [([texts[i] for i in keep], [kinds[i] for i in keep]) for texts, kinds in columns]
        writer.add_columns(numbers, columns)
    writer.flush()


def _start(plan: SheetPlan, head: list[tuple[int, list]], engine):
    """Header from the first rows (by content), then the rows below it are data."""
    numbered = {n: cells for n, cells in head}
    grid = [[text for text, _ in numbered.get(n, [])] for n in range(1, HEADER_SEARCH_ROWS + 1)]
    plan_sheet(plan, grid)
    engine.add_sheet(plan)
    writer = engine.writer(plan)
    first = plan.header_row or 0
    for number, cells in head:
        if number > first and _has_value(cells):
            writer.add(number, cells)
    return writer
