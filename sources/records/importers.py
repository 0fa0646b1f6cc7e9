"""No double entry: turn files an organisation already holds into template CSV folders, which then
load (and are checked) exactly like a filled-in template.

1. A Place Standard Tool results export (one row per respondent, one column per theme, scores 1-7)
   becomes one place_surveys row: the average of each theme and the number of respondents. Only the
   fourteen theme columns are read; every other column (comments, postcodes, ages...) is ignored and
   no respondent row is ever written.
2. Any spreadsheet or CSV laid out its own way becomes one template table through a column-mapping
   file (YAML): their column -> our column, value maps, and constants. Row n of the output is row n
   of their file, so `inclusion records check` messages point at the same row in both.
See docs/records.md ("No double entry").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from .cells import canonical_code, is_blank
from .model import PLACE_THEMES, TABLES_BY_NAME

FREE_TEXT_KEPT = "(text kept in the original file)"


class ImportProblem(Exception):
    """A plain-English reason the file could not be turned into template rows."""


def _key(header) -> str:
    """Headers match ignoring case, punctuation and spacing: 'Moving Around ' = 'moving_around'."""
    return re.sub(r"[^a-z0-9]+", "_", str(header or "").strip().lower()).strip("_")


def read_table(path: Path, sheet: str | None = None) -> tuple[list[str], list[list]]:
    """Header and rows of a CSV (UTF-8, with or without BOM) or of one worksheet of an .xlsx."""
    path = Path(path)
    if not path.is_file():
        raise ImportProblem(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _workbook_rows(path, sheet)
    elif path.suffix.lower() == ".csv":
        rows = _csv_rows(path)
    else:
        raise ImportProblem(f"{path.name}: only .csv and .xlsx files can be imported")
    if not rows:
        raise ImportProblem(f"{path.name}: the file is empty")
    return [str(h or "").strip() for h in rows[0]], rows[1:]


def _workbook_rows(path: Path, sheet: str | None) -> list[list]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - not a zip, cut short, encrypted (OLE2), an .xls renamed: all one answer
        raise ImportProblem(
            f"{path.name}: cannot be opened as an .xlsx workbook (damaged, protected by a password, or "
            "another kind of file); save it from your spreadsheet program as 'Excel Workbook (.xlsx)' or as CSV"
        ) from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise ImportProblem(f"{path.name}: no sheet named '{sheet}' (sheets: {', '.join(wb.sheetnames)})")
        return [list(r) for r in (wb[sheet] if sheet else wb.worksheets[0]).iter_rows(values_only=True)]
    except ImportProblem:
        raise
    except Exception:  # noqa: BLE001 - a damaged part of the file, found while reading it
        raise ImportProblem(f"{path.name}: the workbook is damaged and could not be read") from None
    finally:
        wb.close()


def _csv_rows(path: Path) -> list[list]:
    """A CSV as Excel and others save it: UTF-8 (with or without BOM), UTF-16 or Windows-1252, its
    fields separated by ',', ';' (Excel in many European locales) or tab, whichever splits the
    header into the most columns."""
    from .csvfiles import DELIMITERS, FIELD_LIMIT, CsvUnreadable, FileFacts

    try:
        encoding = FileFacts(path, count_lines=False).encoding
    except CsvUnreadable as exc:
        raise ImportProblem(f"{path.name}: {exc}") from None
    with open(path, newline="", encoding=encoding, errors="replace") as handle:
        text = handle.read()
    first = text.splitlines()[0] if text else ""
    delimiter = max(DELIMITERS, key=lambda d: len(next(csv.reader([first], delimiter=d), [])))
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)  # long notes (process-wide: only ever raised)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportProblem(f"{path.name}: not a readable CSV file ({exc})") from None


# --- Place Standard -----------------------------------------------------------------------------

# The theme questions' headers as the tool words them (short forms), matched by _key; plus our codes.
THEME_HEADERS = {theme: {theme, _key(theme.replace("_and_", " & "))} for theme in PLACE_THEMES}
THEME_HEADERS["influence_and_sense_of_control"] |= {"influence_and_control", "influence_sense_of_control"}
THEME_HEADERS["play_and_recreation"] |= {"play_recreation"}
THEME_HEADERS["traffic_and_parking"] |= {"traffic_parking"}


def place_standard_row(
    path: Path,
    *,
    survey_id: str,
    local_authority_code: str,
    survey_date: dt.date,
    place_name: str | None = None,
    sheet: str | None = None,
) -> dict:
    """One place_surveys row from a per-respondent export: each theme's mean over the respondents who
    scored it (1-7; blanks and 'don't know' skipped), respondents = rows with any theme scored."""
    header, rows = read_table(path, sheet)
    keys = [_key(h) for h in header]
    columns = {}
    for theme, names in THEME_HEADERS.items():
        found = [i for i, k in enumerate(keys) if k in names]
        if not found:
            raise ImportProblem(
                f"{Path(path).name}: no column for the theme '{theme.replace('_', ' ')}'; "
                f"expected a header such as '{theme.replace('_', ' ').capitalize()}'"
            )
        columns[theme] = found[0]
    sums, counts, respondents = dict.fromkeys(PLACE_THEMES, 0.0), dict.fromkeys(PLACE_THEMES, 0), 0
    for number, row in enumerate(rows, start=2):
        scored = False
        for theme, i in columns.items():
            cell = row[i] if i < len(row) else None
            if is_blank(cell):
                continue
            try:
                score = float(str(cell).strip())
            except ValueError:
                continue  # "don't know" and other text answers carry no score
            if not 1 <= score <= 7:
                raise ImportProblem(
                    f"{Path(path).name}, row {number}, column {header[i]}: {score:g} is not a "
                    "Place Standard score (1 to 7)"
                )
            sums[theme] += score
            counts[theme] += 1
            scored = True
        respondents += scored
    if not respondents:
        raise ImportProblem(f"{Path(path).name}: no respondent scored any theme")
    missing = [t for t in PLACE_THEMES if not counts[t]]
    if missing:
        raise ImportProblem(f"{Path(path).name}: nobody scored " + ", ".join(t.replace("_", " ") for t in missing))
    return {
        "survey_id": survey_id,
        "local_authority_code": local_authority_code,
        "place_name": place_name,
        "survey_date": survey_date,
        "respondents": respondents,
        **{t: round(sums[t] / counts[t], 2) for t in PLACE_THEMES},
    }


# --- Column mapping -----------------------------------------------------------------------------


def load_mapping(path: Path) -> dict:
    """Read and check a mapping file. Keys: table, sheet (optional), columns, values, constants."""
    import yaml

    try:
        mapping = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ImportProblem(f"{Path(path).name}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(mapping, dict):
        raise ImportProblem(f"{Path(path).name}: expected keys table, columns, values, constants")
    table = TABLES_BY_NAME.get(str(mapping.get("table")))
    if table is None:
        raise ImportProblem(f"{Path(path).name}: 'table' must be one of " + ", ".join(TABLES_BY_NAME))
    ours = set(table.column_names)
    columns = mapping.get("columns") or {}
    values = mapping.get("values") or {}
    constants = mapping.get("constants") or {}
    for what, part in (("columns", columns), ("values", values), ("constants", constants)):
        if not isinstance(part, dict):
            raise ImportProblem(
                f"{Path(path).name}: '{what}' must be lines of 'name: value' under it (see docs/records.md)"
            )
    for ours_column, table_map in values.items():
        if table_map is not None and not isinstance(table_map, dict):
            raise ImportProblem(
                f"{Path(path).name}: values for '{ours_column}' must be lines of 'their value: our value'"
            )
    for what, names in (("columns", columns.values()), ("values", values), ("constants", constants)):
        unknown = sorted({str(n) for n in names} - ours)
        if unknown:
            raise ImportProblem(
                f"{Path(path).name}: {what} names {', '.join(unknown)}, not a column of "
                f"{table.name} ({', '.join(table.column_names)})"
            )
    return {
        "table": table.name,
        # A sheet named 2023 is the number 2023 to YAML: its name is text.
        "sheet": None if mapping.get("sheet") is None else str(mapping["sheet"]),
        "columns": {str(k): str(v) for k, v in columns.items()},
        "values": {str(k): {canonical_code(a): b for a, b in (v or {}).items()} for k, v in values.items()},
        "constants": constants,
    }


def mapped_rows(source: Path, mapping: dict) -> list[dict | None]:
    """Template rows, one per row of their file (None for a blank row, so row numbers stay aligned)."""
    header, rows = read_table(source, mapping["sheet"])
    where = {_key(h): i for i, h in reversed(list(enumerate(header)))}
    positions = {}
    for theirs, ours in mapping["columns"].items():
        if _key(theirs) not in where:
            raise ImportProblem(f"{Path(source).name}: no column '{theirs}' (columns: {', '.join(header)})")
        positions[ours] = where[_key(theirs)]
    out: list[dict | None] = []
    for row in rows:
        cells = {ours: (row[i] if i < len(row) else None) for ours, i in positions.items()}
        if all(is_blank(v) for v in cells.values()):
            out.append(None)
            continue
        for ours, table in mapping["values"].items():
            value = cells.get(ours)
            if not is_blank(value) and canonical_code(value) in table:
                cells[ours] = table[canonical_code(value)]
        out.append({**mapping["constants"], **cells})
    return out


def write_table_csv(folder: Path, table: str, rows: list[dict | None]) -> Path:
    """FOLDER/<table>.csv in the template's layout; a None row is written blank (kept for numbering)."""
    columns = TABLES_BY_NAME[table].column_names
    # Free text only has to be present: the generated file carries a placeholder, never their words.
    free = {c.name for c in TABLES_BY_NAME[table].columns if c.kind == "free_text"}
    rows = [
        None if row is None else {k: (FREE_TEXT_KEPT if k in free and not is_blank(v) else v) for k, v in row.items()}
        for row in rows
    ]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table}.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_text((row or {}).get(c)) for c in columns])
    return path


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
