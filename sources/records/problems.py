"""A problem found in the records, said as `file, sheet, row, column: what is wrong; allowed: ...`."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Problem kinds, so summaries can count problems without repeating any cell's contents.
KINDS = {
    "not_template": "the file is not a records template workbook or CSV folder; rejected whole",
    "unreadable": "the file could not be opened or read (damaged, empty, encrypted, old .xls); rejected whole",
    "link": "a link (symlink) instead of a file: links are never followed; rejected whole",
    "unknown_sheet": "a sheet or CSV file that is not part of the template; not read",
    "hidden_sheet": "a hidden template sheet; its rows are quarantined until it is unhidden",
    "no_header": "no header row with the template's column names",
    "missing_column": "a template column is missing (deleted or renamed)",
    "extra_column": "a column that is not in the template; its values were not read",
    "duplicate_column": "the same column appears twice; the second was not read",
    "unheaded_value": "values in a column with no header; not read (the first such cell is named)",
    "missing_required": "a required cell is empty",
    "wrong_type": "a cell of the wrong type",
    "error_cell": "an Excel error value (#N/A, #DIV/0!, #REF!...) instead of a value",
    "formula_no_value": "a formula with no saved result (reads as empty)",
    "merged_cell": "a cell covered by merged cells (reads as empty)",
    "out_of_range": "a number outside its allowed range",
    "unknown_value": "a value not in the column's list of allowed values",
    "unknown_code": "not a known local authority code",
    "too_long": "text longer than allowed",
    "duplicate_id": "an id (or key) already used by another row",
    "dangling_reference": "a reference to something that is not in the records",
    "inconsistent": "values in the row contradict each other",
}


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    kind: str
    message: str
    allowed: str = ""

    def __str__(self) -> str:
        where = [
            self.file,
            f"sheet {self.sheet}" if self.sheet else "(whole file)",
            f"row {self.row}" if self.row is not None else "(all rows)",
            f"column {self.column}" if self.column else "(whole row)",
        ]
        return ", ".join(where) + ": " + self.message + (f"; allowed: {self.allowed}" if self.allowed else "")

    def to_dict(self) -> dict:
        return asdict(self)
