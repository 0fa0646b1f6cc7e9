"""Read ONS ASHE workbooks (.xls, or .xlsx) as plain grids and find their headers by content.

ASHE tables share one layout: a title row, a 3-row header whose last row reads
`Description | Code | ...`, then one row per area and footnotes at the bottom. Column positions
and the number of preamble rows have moved between editions, so nothing here relies on them.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from ..errors import SourceError

Grid = list[list[object]]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy BIFF .xls
ZIP_MAGIC = b"PK"  # .xlsx
HEADER_SEARCH_ROWS = 30
HEADER_DEPTH = 3  # rows stacked to label a column


def normalise(text: object) -> str:
    return re.sub(r"\s+", " ", str(text if text is not None else "")).strip().lower()


class Workbook:
    """One workbook's sheets, loaded on demand, as lists of rows ('' for an empty cell)."""

    def __init__(self, data: bytes, label: str):
        self.label = label
        try:
            if data[:4] == OLE2_MAGIC:
                import xlrd

                self._book = xlrd.open_workbook(file_contents=data, on_demand=True)
                self.sheet_names = list(self._book.sheet_names())
                self._kind = "xls"
            elif data[:2] == ZIP_MAGIC:
                import openpyxl

                self._book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
                self.sheet_names = list(self._book.sheetnames)
                self._kind = "xlsx"
            else:
                raise SourceError("not an Excel workbook (.xls or .xlsx)", file=label)
        except SourceError:
            raise
        except Exception as exc:  # xlrd/openpyxl raise many types for damaged files
            raise SourceError(f"could not be opened as a workbook ({type(exc).__name__}: {exc})", file=label) from exc

    def grid(self, sheet: str) -> Grid:
        if sheet not in self.sheet_names:
            raise SourceError(f"sheet is missing (sheets are {self.sheet_names})", file=self.label, sheet=sheet)
        if self._kind == "xls":
            import xlrd

            ws = self._book.sheet_by_name(sheet)
            rows: list[list[object]] = []
            for r in range(ws.nrows):
                row: list[object] = []
                for c in range(ws.ncols):
                    cell = ws.cell(r, c)
                    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        row.append("")
                    elif cell.ctype == xlrd.XL_CELL_ERROR:
                        row.append("#ERROR")
                    else:
                        row.append(cell.value)
                rows.append(row)
            return rows
        ws = self._book[sheet]
        return [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]


@dataclass(frozen=True)
class Header:
    row: int  # 0-based index of the `Description | Code` row
    name_col: int
    code_col: int
    labels: list[str]  # per column: the header rows stacked, normalised


def find_header(grid: Grid, *, file: str, sheet: str) -> Header:
    """The row holding both 'Description' and 'Code', wherever it is."""
    for r, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        cells = [normalise(c) for c in row]
        if "description" in cells and "code" in cells:
            width = max(len(x) for x in grid[max(0, r - HEADER_DEPTH + 1) : r + 1])
            labels = []
            for c in range(width):
                parts = [normalise(grid[i][c]) for i in range(max(0, r - HEADER_DEPTH + 1), r + 1) if c < len(grid[i])]
                labels.append(" ".join(p for p in parts if p))
            return Header(r, cells.index("description"), cells.index("code"), labels)
    raise SourceError(
        f"no header row reading 'Description' and 'Code' in the first {HEADER_SEARCH_ROWS} rows",
        file=file,
        sheet=sheet,
        column="Code",
    )


def find_column(header: Header, words: list[str], *, label: str, file: str, sheet: str) -> int:
    """The one column whose stacked header contains every word in `words`."""
    hits = [c for c, text in enumerate(header.labels) if all(w in text for w in words)]
    if len(hits) != 1:
        found = "no column" if not hits else f"{len(hits)} columns"
        raise SourceError(
            f"{found} headed '{label}' (looked for {words} in the header rows; "
            f"headers read {[t for t in header.labels if t]})",
            file=file,
            sheet=sheet,
            row=header.row + 1,
            column=label,
        )
    return hits[0]


def title_years(grid: Grid, header: Header) -> set[int]:
    """Four-digit years written in the preamble above the header (e.g. '..., 2022')."""
    text = " ".join(str(c) for row in grid[: max(0, header.row - HEADER_DEPTH + 1)] for c in row)
    return {int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)}
