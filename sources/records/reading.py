"""Finding records files in a directory and deciding how each sheet is read, without judging values.

Every sheet (or CSV file) of a records file becomes a SheetPlan: which template table it holds,
where its header is and which template column sits in which position. The rows themselves are
streamed into DuckDB by xlsx.py and csvfiles.py; nothing here holds more than a sheet's first
HEADER_SEARCH_ROWS rows. There is no limit on the number of rows per sheet.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .cells import canonical_code, is_blank
from .model import TABLES, Table
from .problems import Problem

HEADER_SEARCH_ROWS = 20
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
IGNORED_SUFFIXES = {".md", ".txt"}
NOT_TABLES = {"instructions", "read_me", "readme", "notes"}
TEMPLATE_FORMS = "an .xlsx workbook made from the template, or a folder of the template's CSV files"


@dataclass
class SheetPlan:
    """One sheet of a workbook, or one CSV file of a folder, holding a template table."""

    file: str
    sheet: str
    table: Table
    hidden: bool = False
    header_row: int | None = None  # 1-based; None: no header found
    columns: dict[str, int] = field(default_factory=dict)  # template column -> 0-based position
    problems: list[Problem] = field(default_factory=list)
    seq: int = 0  # read order across all files
    headed: frozenset[int] = frozenset()  # 0-based positions whose header cell holds a name
    unheaded_rows: int = 0  # data rows holding something in a column with no header (not read)
    unheaded_first: tuple[int, int] | None = None  # (row, 0-based position) of the first such cell

    def unheaded_gaps(self) -> list[int]:
        """Positions left of the header's last name whose header cell is empty."""
        return [i for i in range(max(self.headed, default=-1) + 1) if i not in self.headed]

    def unheaded_problem(self) -> Problem | None:
        """One problem for the sheet's values in columns with no header: they are not read, so say so."""
        if not self.unheaded_rows or self.unheaded_first is None:
            return None
        row, position = self.unheaded_first
        rows = f"{self.unheaded_rows:,} rows have" if self.unheaded_rows > 1 else "1 row has"
        return Problem(
            self.file,
            self.sheet,
            row,
            column_letter(position),
            "unheaded_value",
            f"a value in a column with no header; not read ({rows} such values, the first here)",
            "values only in the template's columns, under their headers",
        )


@dataclass
class FileRead:
    file: str
    sheets: list[SheetPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: bool = False


def table_for_sheet(title: str) -> Table | None:
    code = canonical_code(title).removesuffix(".csv")
    for table in TABLES:
        if code in (table.name, canonical_code(table.title)):
            return table
    return None


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))  # hidden files and Excel's lock files


def _walk(root: Path):
    """Every entry under root, sorted, without following links (a link is reported, not read)."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        base = Path(folder)
        for name in sorted(files) + [d for d in dirs if (base / d).is_symlink()]:
            if not _hidden(name):
                yield base / name


def records_sources(root: Path) -> list[tuple[str, Path]]:
    """('workbook' | 'csv_folder' | 'link' | 'other', path) for every candidate under root, sorted."""
    root = Path(root)
    if root.is_file():
        return [("workbook" if root.suffix.lower() in WORKBOOK_SUFFIXES else "other", root)]
    found, csv_folders = [], set()
    for path in _walk(root):
        suffix = path.suffix.lower()
        if path.is_symlink():
            found.append(("link", path))
        elif not path.is_file():
            continue
        elif suffix in WORKBOOK_SUFFIXES:
            found.append(("workbook", path))
        elif suffix == ".csv":
            csv_folders.add(path.parent)
        elif suffix not in IGNORED_SUFFIXES:
            found.append(("other", path))
    found += [("csv_folder", folder) for folder in csv_folders]
    return sorted(found, key=lambda item: str(item[1]))


def printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (a name made on another system, which Python
    holds as lone surrogates) shown as \\xe9, never passed on to be encoded (a traceback)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def name_problem(name: str) -> Problem:
    """A file or folder whose name is not valid text (UTF-8): not read, the others are."""
    return unreadable(
        name,
        "the name is not valid text (UTF-8: it was made on a system using another encoding), so it was not read",
        "the file or folder renamed, e.g. with letters, digits, spaces, '-' and '_'",
    )


def display_name(path: Path, root: Path) -> str:
    root = Path(root)
    if root.is_file():
        return path.name
    rel = path.relative_to(root).as_posix()
    return (root.name if rel in ("", ".") else rel) + ("/" if path.is_dir() and not path.is_symlink() else "")


def link_problem(path: Path, root: Path, name: str) -> Problem:
    """Links are never followed: one out of the folder could read (and publish counts from) any file."""
    try:
        inside = Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(root)))
    except OSError:
        inside = False
    where = (
        "another file in the records folder, which is read under its own name"
        if inside
        else "a place outside the records folder"
    )
    return Problem(
        name,
        None,
        None,
        None,
        "link",
        f"this is a link to {where}; it was not followed",
        "real files inside the records folder (copy the file in instead of linking to it)",
    )


def not_template(name: str, found: list[str]) -> Problem:
    return Problem(
        name,
        None,
        None,
        None,
        "not_template",
        "this is not a co-production records template: none of its sheets ("
        + (", ".join(found[:8]) or "none")
        + ") is a template table; nothing in it was loaded",
        "sheets named " + ", ".join(t.name for t in TABLES) + " (make one with: inclusion records template OUT_DIR)",
    )


def unreadable(name: str, message: str, allowed: str = TEMPLATE_FORMS) -> Problem:
    return Problem(name, None, None, None, "unreadable", message, allowed)


def header_position(rows: list, table: Table) -> int | None:
    names = set(table.column_names)
    scores = [sum(1 for cell in row if not is_blank(cell) and canonical_code(cell) in names) for row in rows]
    best = max(scores, default=0)
    return scores.index(best) if best else None


def plan_sheet(plan: SheetPlan, head: list) -> None:
    """Find the header among the first rows by content and map the template's columns."""
    position = header_position(head, plan.table)
    if position is None:
        plan.problems.append(
            Problem(
                plan.file,
                plan.sheet,
                None,
                None,
                "no_header",
                "no header row with the template's column names was found in the first "
                f"{HEADER_SEARCH_ROWS} rows; every row is quarantined",
                "a header row: " + ", ".join(plan.table.column_names),
            )
        )
        return
    plan.header_row = position + 1
    _map_header(plan, head[position])


def column_letter(position: int) -> str:
    """A 0-based column position as a spreadsheet's letters (0 -> A, 26 -> AA), as Excel shows a CSV."""
    letters, n = "", position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _map_header(sheet: SheetPlan, header) -> None:
    names = sheet.table.column_names
    sheet.headed = frozenset(i for i, cell in enumerate(header) if not is_blank(cell))
    extras = []
    for i, cell in enumerate(header):
        if is_blank(cell):
            continue
        code = canonical_code(cell)
        if code in sheet.columns:
            sheet.problems.append(
                Problem(
                    sheet.file,
                    sheet.sheet,
                    None,
                    str(cell),
                    "duplicate_column",
                    "this column appears twice; only the first was read",
                    "each template column once",
                )
            )
        elif code in names:
            sheet.columns[code] = i
        else:
            extras.append(str(cell).strip())
    missing = [n for n in names if n not in sheet.columns]
    for extra in extras:
        guess = difflib.get_close_matches(canonical_code(extra), missing, n=1, cutoff=0.5)
        hint = f" (was it renamed from '{guess[0]}'?)" if guess else ""
        sheet.problems.append(
            Problem(
                sheet.file,
                sheet.sheet,
                None,
                extra,
                "extra_column",
                f"column is not in the template{hint}; its values were not read",
                "the template's columns: " + ", ".join(names),
            )
        )
    for name in missing:
        col = sheet.table.column(name)
        by_code = {canonical_code(e): e for e in extras}
        guess = difflib.get_close_matches(name, list(by_code), n=1, cutoff=0.5)
        hint = f" (renamed to '{by_code[guess[0]]}'?)" if guess else ""
        sheet.problems.append(
            Problem(
                sheet.file,
                sheet.sheet,
                None,
                name,
                "missing_column",
                f"column is missing{hint}; "
                + ("every row needs it, so rows are quarantined" if col.required else "its values are taken as empty"),
                f"the template's header '{name}'",
            )
        )


def file_states(root: Path) -> dict[str, list[int]]:
    """{relative path: [mtime_ns, size]} of every records candidate file, for change detection."""
    root = Path(root)
    paths = [root] if root.is_file() else list(_walk(root))
    states = {}
    for path in paths:
        rel = path.name if root.is_file() else path.relative_to(root).as_posix()
        stat = path.lstat()
        if path.is_symlink() or path.is_file():
            states[rel] = [stat.st_mtime_ns, stat.st_size]
    return states
