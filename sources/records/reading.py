"""Finding records files in a directory and streaming their rows, without judging the values.

Workbooks are read with openpyxl in read-only (streaming) mode. A sheet keeps at most
MAX_ROWS_PER_SHEET rows' values in memory; rows beyond that are counted (so nothing goes
missing from the reconciliation) and reported, but their values are never read.
"""
from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

from .cells import canonical_code, is_blank
from .model import TABLES, Table
from .problems import Problem

MAX_ROWS_PER_SHEET = 100_000
HEADER_SEARCH_ROWS = 20
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
IGNORED_SUFFIXES = {".md", ".txt"}
NOT_TABLES = {"instructions", "read_me", "readme", "notes"}


@dataclass
class SheetRows:
    file: str
    sheet: str
    table: Table
    hidden: bool = False
    columns: dict[str, int] = field(default_factory=dict)   # template column -> position
    rows: list[tuple[int, dict]] = field(default_factory=list)
    overflow_rows: list[int] = field(default_factory=list)
    headerless_rows: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def read(self) -> int:
        return len(self.rows) + len(self.overflow_rows) + len(self.headerless_rows)


@dataclass
class FileRead:
    file: str
    sheets: list[SheetRows] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: bool = False


def table_for_sheet(title: str) -> Table | None:
    code = canonical_code(title).removesuffix(".csv")
    for table in TABLES:
        if code in (table.name, canonical_code(table.title)):
            return table
    return None


def records_sources(root: Path) -> list[tuple[str, Path]]:
    """('workbook' | 'csv_folder' | 'other', path) for every candidate file under root, sorted."""
    root = Path(root)
    if root.is_file():
        return [("workbook" if root.suffix.lower() in WORKBOOK_SUFFIXES else "other", root)]
    found, csv_folders = [], set()
    for path in sorted(root.rglob("*")):
        rel_parts = path.relative_to(root).parts
        if any(p.startswith((".", "~$")) for p in rel_parts) or not path.is_file():
            continue  # hidden files and Excel's lock files
        suffix = path.suffix.lower()
        if suffix in WORKBOOK_SUFFIXES:
            found.append(("workbook", path))
        elif suffix == ".csv":
            csv_folders.add(path.parent)
        elif suffix not in IGNORED_SUFFIXES:
            found.append(("other", path))
    found += [("csv_folder", folder) for folder in csv_folders]
    return sorted(found, key=lambda item: str(item[1]))


def display_name(path: Path, root: Path) -> str:
    root = Path(root)
    if root.is_file():
        return path.name
    rel = path.relative_to(root).as_posix()
    return (rel or root.name) + ("/" if path.is_dir() else "")


def read_source(kind: str, path: Path, root: Path, max_rows: int = MAX_ROWS_PER_SHEET) -> FileRead:
    name = display_name(path, root)
    if kind == "workbook":
        return read_workbook(path, name, max_rows)
    if kind == "csv_folder":
        return read_csv_folder(path, name, max_rows)
    return FileRead(name, rejected=True, problems=[Problem(
        name, None, None, None, "not_template", f"'{path.suffix or path.name}' files are not records files",
        "an .xlsx workbook made from the template, or a folder of the template's CSV files")])


def _not_template(name: str, found: list[str]) -> Problem:
    return Problem(name, None, None, None, "not_template",
                   "this is not a co-production records template: none of its sheets ("
                   + (", ".join(found[:8]) or "none") + ") is a template table; nothing in it was loaded",
                   "sheets named " + ", ".join(t.name for t in TABLES)
                   + " (make one with: inclusion records template OUT_DIR)")


def read_workbook(path: Path, name: str, max_rows: int) -> FileRead:
    import openpyxl

    result = FileRead(name)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML or permission errors: the file as a whole is unusable
        result.rejected = True
        result.problems.append(Problem(name, None, None, None, "unreadable",
                                       f"cannot be opened as an Excel workbook ({type(exc).__name__})",
                                       "an .xlsx workbook saved from Excel, LibreOffice or the template"))
        return result
    try:
        titles = wb.sheetnames
        if not any(table_for_sheet(t) for t in titles):
            result.rejected = True
            result.problems.append(_not_template(name, titles))
            return result
        for ws in wb.worksheets:
            table = table_for_sheet(ws.title)
            hidden = ws.sheet_state != "visible"
            if table is None:
                if canonical_code(ws.title) not in NOT_TABLES or hidden:
                    result.problems.append(Problem(
                        name, ws.title, None, None, "unknown_sheet",
                        ("hidden sheet" if hidden else "sheet") + " is not part of the template; not read",
                        "the template's sheets: " + ", ".join(t.name for t in TABLES)))
                continue
            sheet = SheetRows(name, ws.title, table, hidden=hidden)
            _read_rows(sheet, ws.iter_rows(values_only=True), max_rows)
            result.sheets.append(sheet)
    except Exception as exc:  # a truncated or corrupt part of the file, found while streaming
        result.rejected = True
        result.sheets = []
        result.problems.append(Problem(name, None, None, None, "unreadable",
                                       f"the workbook is damaged and could not be read ({type(exc).__name__})",
                                       "an .xlsx workbook saved from Excel, LibreOffice or the template"))
    finally:
        wb.close()
    return result


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_csv_folder(folder: Path, name: str, max_rows: int) -> FileRead:
    result = FileRead(name)
    csvs = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and not p.name.startswith((".", "~$")))
    if not any(table_for_sheet(p.stem) for p in csvs):
        result.rejected = True
        result.problems.append(_not_template(name, [p.name for p in csvs]))
        return result
    for path in csvs:
        file_name = name + path.name
        table = table_for_sheet(path.stem)
        if table is None:
            result.problems.append(Problem(file_name, path.stem, None, None, "unknown_sheet",
                                           "CSV file is not part of the template; not read",
                                           "CSV files named " + ", ".join(t.name + ".csv" for t in TABLES)))
            continue
        sheet = SheetRows(file_name, table.name, table)
        try:
            text = _decode(path.read_bytes())
            _read_rows(sheet, csv.reader(io.StringIO(text, newline="")), max_rows)
        except (csv.Error, OSError) as exc:
            sheet.rows, sheet.overflow_rows, sheet.headerless_rows = [], [], []
            result.problems.append(Problem(file_name, table.name, None, None, "unreadable",
                                           f"the CSV file could not be read ({exc})",
                                           "a comma-separated file saved as UTF-8"))
            continue
        result.sheets.append(sheet)
    return result


def _header_position(rows: list[tuple], table: Table) -> int | None:
    names = set(table.column_names)
    scores = [sum(1 for cell in row if not is_blank(cell) and canonical_code(cell) in names) for row in rows]
    best = max(scores, default=0)
    return scores.index(best) if best else None


def _read_rows(sheet: SheetRows, rows, max_rows: int) -> None:
    """Find the header by content in the first rows, map template columns, then stream the rest."""
    rows = iter(rows)
    head = []
    for row in rows:
        head.append(tuple(row))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    position = _header_position(head, sheet.table)
    if position is None:
        sheet.headerless_rows = [i + 1 for i, r in enumerate(head) if not all(is_blank(c) for c in r)]
        sheet.headerless_rows += [i for i, r in enumerate(rows, start=len(head) + 1)
                                  if not all(is_blank(c) for c in r)]
        sheet.problems.append(Problem(sheet.file, sheet.sheet, None, None, "no_header",
                                      "no header row with the template's column names was found in the first "
                                      f"{HEADER_SEARCH_ROWS} rows; every row is quarantined",
                                      "a header row: " + ", ".join(sheet.table.column_names)))
        return
    _map_header(sheet, head[position])
    first_data = position + 2  # spreadsheet row numbers start at 1
    data = [*head[position + 1:]]
    stream = (tuple(r) for r in rows)
    for number, row in enumerate(_chain(data, stream), start=first_data):
        if all(is_blank(c) for c in row):
            continue
        if len(sheet.rows) >= max_rows:
            sheet.overflow_rows.append(number)
            continue
        sheet.rows.append((number, {col: row[i] if i < len(row) else None
                                    for col, i in sheet.columns.items()}))
    if sheet.overflow_rows:
        sheet.problems.append(Problem(
            sheet.file, sheet.sheet, sheet.overflow_rows[0], None, "row_limit",
            f"the sheet has {sheet.read} rows, more than the limit of {max_rows}; the "
            f"{len(sheet.overflow_rows)} rows from row {sheet.overflow_rows[0]} on were quarantined unread",
            f"at most {max_rows} rows per sheet: split the records into several workbooks"))


def _chain(first, rest):
    yield from first
    yield from rest


def _map_header(sheet: SheetRows, header: tuple) -> None:
    names = sheet.table.column_names
    extras = []
    for i, cell in enumerate(header):
        if is_blank(cell):
            continue
        code = canonical_code(cell)
        if code in sheet.columns:
            sheet.problems.append(Problem(sheet.file, sheet.sheet, None, str(cell), "duplicate_column",
                                          "this column appears twice; only the first was read",
                                          "each template column once"))
        elif code in names:
            sheet.columns[code] = i
        else:
            extras.append(str(cell).strip())
    missing = [n for n in names if n not in sheet.columns]
    for extra in extras:
        guess = difflib.get_close_matches(canonical_code(extra), missing, n=1, cutoff=0.5)
        hint = f" (was it renamed from '{guess[0]}'?)" if guess else ""
        sheet.problems.append(Problem(sheet.file, sheet.sheet, None, extra, "extra_column",
                                      f"column is not in the template{hint}; its values were not read",
                                      "the template's columns: " + ", ".join(names)))
    for name in missing:
        col = sheet.table.column(name)
        by_code = {canonical_code(e): e for e in extras}
        guess = difflib.get_close_matches(name, list(by_code), n=1, cutoff=0.5)
        hint = f" (renamed to '{by_code[guess[0]]}'?)" if guess else ""
        sheet.problems.append(Problem(
            sheet.file, sheet.sheet, None, name, "missing_column",
            f"column is missing{hint}; "
            + ("every row needs it, so rows are quarantined" if col.required else "its values are taken as empty"),
            f"the template's header '{name}'"))


def file_states(root: Path) -> dict[str, list[int]]:
    """{relative path: [mtime_ns, size]} of every records candidate file, for change detection."""
    root = Path(root)
    paths = [root] if root.is_file() else sorted(root.rglob("*"))
    states = {}
    for path in paths:
        rel = path.name if root.is_file() else path.relative_to(root).as_posix()
        if path.is_file() and not any(p.startswith((".", "~$")) for p in rel.split("/")):
            stat = path.stat()
            states[rel] = [stat.st_mtime_ns, stat.st_size]
    return states
