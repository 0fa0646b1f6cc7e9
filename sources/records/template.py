"""The template people fill in: an .xlsx workbook (one sheet per table, drop-down lists, an
Instructions sheet) and the same tables as a folder of CSV files. Optionally pre-filled with rows."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from .cells import allowed
from .frameworks import FRAMEWORKS, builtin_points
from .model import LADDER, LIST_SEPARATOR, PLACE_THEMES, TABLES, Column, Table

TEMPLATE_NAME = "coproduction_records_template"
VALIDATED_ROWS = 5000  # rows below the header that carry drop-downs and checks

INSTRUCTIONS = [
    "Co-production records: how to fill in this workbook",
    "",
    "This workbook records how people with lived experience of exclusion are involved in designing and "
    "delivering your programmes, whether their views were acted on, and whether they were told.",
    "",
    "Please:",
    "- Keep one row per thing (one programme, one activity, one recommendation...). Do not merge cells.",
    "- Keep the header row (row 1) exactly as it is. Do not rename, move or delete columns, or add your own:"
    " extra columns are not read.",
    "- Do not hide sheets. Rows on hidden sheets are not loaded.",
    "- Choose from the drop-down list where a cell has one. Write dates as dates (e.g. 2024-04-01).",
    f"- Where a cell takes several values (e.g. several local authorities), separate them with '{LIST_SEPARATOR}'.",
    "- Invent short ids (e.g. NOTTS-P1) and use each only once across all your files: other sheets refer"
    " to them. Start ids with your organisation's short name so they do not clash with other organisations.",
    "- Local authorities are given by their GSS code, e.g. E06000018 Nottingham, E06000015 Derby,"
    " E06000016 Leicester, E07000138 Lincoln.",
    "",
    "Privacy:",
    "- NEVER write anyone's name, address, phone number or email anywhere in this workbook.",
    "- Contributors are recorded by your own reference (e.g. a number on your own list). On loading it is"
    " scrambled with a secret key, so the reference itself is never stored.",
    "- Columns marked 'kept in your file only' (notes, recommendation text, evidence) are never loaded.",
    "- Published figures are counts per local authority and year; any count of people below 5 is hidden.",
    "",
    "Co-production ladder (Think Local Act Personal), for ladder_step:",
    *[f"  {step} = {name}" for step, name in LADDER.items()],
    "",
    "Place Standard themes on place_surveys, each an average score from 1 to 7: "
    + ", ".join(t.replace("_", " ") for t in PLACE_THEMES)
    + ".",
    "",
    "Frameworks already listed on framework_points: "
    + "; ".join(title for title, _ in FRAMEWORKS.values())
    + ". To assess against another framework, add its points there with a new framework_id.",
    "",
    "Before sending, check the file: inclusion records check YOUR_FILE.xlsx",
    "It lists every problem as: file, sheet, row, column: what is wrong; allowed: what would be right.",
    "",
    "The sheets and their columns:",
]


def _instructions() -> list[str]:
    lines = list(INSTRUCTIONS)
    for table in TABLES:
        lines += ["", f"Sheet '{table.name}': {table.title}. {table.help}"]
        lines += [
            f"  {c.name}{' (required)' if c.required else ''}: {c.help} Allowed: {allowed(c)}." for c in table.columns
        ]
    return lines


def _validation(col: Column):
    from openpyxl.worksheet.datavalidation import DataValidation

    common = dict(
        allow_blank=not col.required,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=col.name[:32],
        error=allowed(col)[:255],
        promptTitle=col.name[:32],
        prompt=col.help[:255],
    )
    if col.kind == "choice" and not col.many:
        return DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', **common)
    if col.kind == "yes_no":
        return DataValidation(type="list", formula1='"yes,no"', **common)
    if col.kind == "integer":
        return DataValidation(
            type="whole",
            operator="between",
            formula1=str(int(col.minimum or 0)),
            formula2=str(int(col.maximum if col.maximum is not None else 10**9)),
            **common,
        )
    if col.kind == "number":
        return DataValidation(
            type="decimal",
            operator="between",
            formula1=str(col.minimum or 0),
            formula2=str(col.maximum if col.maximum is not None else 10**12),
            **common,
        )
    common.update(showErrorMessage=False, errorTitle=None, error=None)
    return DataValidation(**common)


def _rows_for(table: Table, rows: dict | None) -> list[dict]:
    given = list((rows or {}).get(table.name, []))
    return builtin_points() + given if table.name == "framework_points" else given


def _cell(value):
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def write_template_xlsx(path: Path, rows: dict[str, list[dict]] | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    info = wb.active
    info.title = "Instructions"
    info.column_dimensions["A"].width = 120
    for line in _instructions():
        info.append([line])
        info.cell(info.max_row, 1).alignment = Alignment(wrap_text=True)
    info["A1"].font = Font(bold=True, size=14)
    for table in TABLES:
        ws = wb.create_sheet(table.name)
        ws.append(table.column_names)
        ws.freeze_panes = "A2"
        for i, col in enumerate(table.columns, start=1):
            letter = get_column_letter(i)
            head = ws.cell(1, i)
            head.font = Font(bold=True, color="FFFFFF" if col.required else "000000")
            head.fill = PatternFill("solid", fgColor="1F4E79" if col.required else "BDD7EE")
            ws.column_dimensions[letter].width = max(14, len(col.name) + 4)
            validation = _validation(col)
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
        for row in _rows_for(table, rows):
            ws.append([_cell(row.get(c)) for c in table.column_names])
            for i, col in enumerate(table.columns, start=1):
                if col.kind == "date" and isinstance(ws.cell(ws.max_row, i).value, (dt.date, dt.datetime)):
                    ws.cell(ws.max_row, i).number_format = "yyyy-mm-dd"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_template_csvs(folder: Path, rows: dict[str, list[dict]] | None = None) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        with open(folder / f"{table.name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.column_names)
            for row in _rows_for(table, rows):
                writer.writerow(["" if row.get(c) is None else _cell(row.get(c)) for c in table.column_names])
    return folder


def write_template(out_dir: Path) -> tuple[Path, Path]:
    """The empty template as OUT_DIR/<name>.xlsx and OUT_DIR/<name>_csv/<table>.csv."""
    out_dir = Path(out_dir)
    return (
        write_template_xlsx(out_dir / f"{TEMPLATE_NAME}.xlsx"),
        write_template_csvs(out_dir / f"{TEMPLATE_NAME}_csv"),
    )
