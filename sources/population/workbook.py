"""The ONS MYE workbook: MYE4 (all ages, every year since 2011) and MYE2 - Persons (ages 16-64),
each reconciled against England; the two-tier county of each district from the table's own order."""

from __future__ import annotations

import re
import zipfile
from datetime import date

import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from ..archive import RawFile
from ..base import Reconciliation, SourceTables
from ..editions import Edition, published_date
from ..errors import SourceError
from .cells import ENGLAND, LAD_CODE, LAD_GEOGRAPHIES, MYE_YEAR, REGION_CODE, read_cell, tidy_rows
from .meta import AGED_16_64, ALL_AGES, SOURCE_ID


def parse_workbook(raw: RawFile, out: SourceTables):
    name = raw.original_name
    try:
        wb = openpyxl.load_workbook(raw.path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise SourceError(f"cannot open workbook ({exc})", file=name, source_id=SOURCE_ID) from exc
    try:
        sheets = {s.strip().lower(): s for s in wb.sheetnames}
        if "mye4" not in sheets:
            raise SourceError(f"sheet 'MYE4' not found (sheets: {wb.sheetnames})", file=name, source_id=SOURCE_ID)
        mye4 = _read_table(wb[sheets["mye4"]], name)
        notes = [r for s in ("notes", "cover sheet") if s in sheets for r in wb[sheets[s]].iter_rows(values_only=True)]
        mye2 = _read_table(wb[sheets["mye2 - persons"]], name) if "mye2 - persons" in sheets else None
    finally:
        wb.close()
    year_cols = {m.group(1): i for label, i in mye4["columns"].items() if (m := YEAR_COLUMN.fullmatch(label))}
    if not year_cols:
        raise SourceError(
            "no 'Mid-YYYY' columns in the header",
            file=name,
            sheet=mye4["sheet"],
            row=mye4["header_row"],
            column="Mid-YYYY",
            source_id=SOURCE_ID,
        )
    newest = max(year_cols)
    release = _workbook_release(newest, notes, raw)
    out.editions.append(Edition(release, _published(notes)))
    records, areas = _mye_records(mye4, year_cols, ALL_AGES)
    for year in sorted(year_cols):
        _reconcile_mye(records, year, ALL_AGES, mye4, f"Mid-{year}", out)
    if mye2 is None:
        out.notes.append(f"{name}: no 'MYE2 - Persons' sheet, so {AGED_16_64} is not produced")
    else:
        records += _aged_16_64(mye2, newest, records, out)
    rows = pd.DataFrame(records)
    lad = rows["area_code"].map(lambda c: bool(LAD_CODE.fullmatch(c)))
    out.extra.setdefault("areas", pd.DataFrame(areas, columns=["area_code", "area_name", "geography"]))
    out.extra.setdefault("lad_county", county_districts(mye4))
    return (
        int(newest),
        tidy_rows(rows[lad].to_dict("records"), release),
        tidy_rows(rows[~lad].to_dict("records"), release),
        release,
    )


def county_districts(table: dict) -> pd.DataFrame:
    """Two-tier county of each non-metropolitan district, from the MYE table's own row order: ONS
    lists each county followed by its districts (the mirror holds no county lookup)."""
    cols = table["columns"]
    code_i, name_i, geo_i = cols["code"], cols.get("name"), cols["geography"]
    rows, county = [], None
    for _, row in table["rows"]:
        code, geography = _at(row, code_i), str(_at(row, geo_i) or "").strip().lower()
        if geography == "county":
            county = (str(code), str(_at(row, name_i) or "") if name_i is not None else "")
        elif geography == "non-metropolitan district" and county and code:
            rows.append((str(code), *county))
        elif geography:
            county = None
    return pd.DataFrame(rows, columns=["lad_code", "county_code", "county_name"])


def _workbook_release(newest: str, notes: list, raw: RawFile) -> str:
    text = " ".join(str(c) for r in notes for c in r if c)
    found = re.search(r"boundaries (?:in place )?as (?:of|at) (?:\w+ )?(\d{4})", text, re.I)
    if found:
        return f"mid-{newest} ({found.group(1)} LA boundaries)"
    return raw.release or f"mid-{newest}"


def _published(rows: list) -> date | None:
    """'The data tables in this spreadsheet were originally published at 9.30am 15 July 2024.'"""
    cells = [c for row in rows for c in row if isinstance(c, str)]
    for phrase in ("originally published", "published"):
        for cell in cells:
            found = published_date(cell) if phrase in cell.lower() else None
            if found:
                return found
    return None


# 'Mid-2023', or with the notes GSS-style tables put after a heading ('Mid-2021 [note 3]'): the year is
# the column's, so a note never drops a year's column.
YEAR_COLUMN = re.compile(MYE_YEAR.pattern + r"\s*(?:\[[^\]]*\]\s*)*", re.I)


def _read_table(ws, file: str) -> dict:
    """Rows of a MYE sheet below its header, found by content (Code / Name / Geography)."""
    rows = list(ws.iter_rows(values_only=True))
    labels = [[_label(c) for c in r] for r in rows]
    for i, row in enumerate(labels[:40]):
        if len({"code", "name", "geography"} & {c.lower() for c in row}) >= 2:
            columns = {c: j for j, c in enumerate(row) if c}
            for required in ("Code", "Geography"):
                if required.lower() not in {c.lower() for c in columns}:
                    raise SourceError(
                        f"expected column '{required}' in the header, found {row}",
                        file=file,
                        sheet=ws.title,
                        row=i + 1,
                        column=required,
                        source_id=SOURCE_ID,
                    )
            columns = {**{c.lower(): j for c, j in columns.items()}, **columns}
            return {
                "sheet": ws.title,
                "file": file,
                "header_row": i + 1,
                "columns": columns,
                "rows": [(i + 2 + k, r) for k, r in enumerate(rows[i + 1 :])],
            }
    raise SourceError(
        "header row with 'Code', 'Name' and 'Geography' not found in the first 40 rows",
        file=file,
        sheet=ws.title,
        source_id=SOURCE_ID,
    )


def _label(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # an age header typed as a number
    return "" if cell is None else str(cell).strip()


def _at(row: tuple, index: int):
    return row[index] if index < len(row) else None


def _england_rows(table: dict):
    """(row number, code, name, kind) for English LADs ('lad') and England/regions ('aggregate')."""
    cols = table["columns"]
    for row_no, row in table["rows"]:
        code = _label(_at(row, cols["code"]))
        geography = _label(_at(row, cols["geography"])).lower()
        if not code.startswith("E"):
            continue
        if geography in LAD_GEOGRAPHIES:
            if not LAD_CODE.fullmatch(code):
                raise _code_error(table, row_no, f"'{code}' is not an English LAD code (E06-E09)")
            kind = "lad"
        elif code == ENGLAND or REGION_CODE.fullmatch(code):
            kind = "aggregate"
        else:
            continue
        name = _at(row, cols["name"]) if "name" in cols else None
        yield row_no, row, code, name, geography, kind


def _code_error(table: dict, row_no: int, what: str) -> SourceError:
    """A fault in the Code column of one row, located by file, sheet and row."""
    return SourceError(what, file=table["file"], sheet=table["sheet"], row=row_no, column="Code", source_id=SOURCE_ID)


def _mye_records(table: dict, year_cols: dict, indicator: str) -> tuple[list[dict], list[tuple]]:
    records, areas, seen = [], [], set()
    for row_no, row, code, name, geography, _ in _england_rows(table):
        if code in seen:
            raise _code_error(table, row_no, f"area {code} appears twice")
        seen.add(code)
        areas.append((code, name, geography))
        for year, col in year_cols.items():
            where = dict(
                file=table["file"], sheet=table["sheet"], row=row_no, column=f"Mid-{year}", source_id=SOURCE_ID
            )
            value, status = read_cell(_at(row, col), where)
            records.append(
                {
                    "indicator_id": indicator,
                    "area_code": code,
                    "year": year,
                    "value": value,
                    "observation_status": status,
                    "_row": row_no,
                }
            )
    return records, areas


def _reconcile_mye(records: list[dict], year: str, indicator: str, table: dict, column: str, out: SourceTables) -> None:
    mine = [r for r in records if r["year"] == year and r["indicator_id"] == indicator]
    england = [r for r in mine if r["area_code"] == ENGLAND]
    if not england or england[0]["value"] is None:
        raise SourceError(
            f"no England ({ENGLAND}) value to reconcile against",
            file=table["file"],
            sheet=table["sheet"],
            column=column,
            source_id=SOURCE_ID,
        )
    total = england[0]["value"]
    sums = {
        "English LADs": [r for r in mine if LAD_CODE.fullmatch(r["area_code"])],
        "regions": [r for r in mine if REGION_CODE.fullmatch(r["area_code"])],
    }
    for label, parts in sums.items():
        check = Reconciliation(
            f"{indicator}: sum of {len(parts)} {label} = England, mid-{year}",
            table["file"],
            total,
            sum(r["value"] or 0.0 for r in parts),
        )
        out.reconciliations.append(check)
        if not check.passed:
            raise SourceError(
                f"sum of {len(parts)} {label} is {check.actual:,.0f} but England is {total:,.0f}",
                file=table["file"],
                sheet=table["sheet"],
                row=england[0]["_row"],
                column=column,
                source_id=SOURCE_ID,
            )


def _aged_16_64(table: dict, year: str, all_ages: list[dict], out: SourceTables) -> list[dict]:
    """Sum single years 16..64 from MYE2 - Persons (the latest year only)."""
    cols = table["columns"]
    wanted = [str(a) for a in range(16, 65)] + ["all ages"]
    for label in wanted:
        if label not in cols:
            raise SourceError(
                f"age column '{label}' not found",
                file=table["file"],
                sheet=table["sheet"],
                row=table["header_row"],
                column=label,
                source_id=SOURCE_ID,
            )
    mye4 = {r["area_code"]: r["value"] for r in all_ages if r["year"] == year}
    records = []
    for row_no, row, code, _, _, _ in _england_rows(table):
        cells = [
            read_cell(
                _at(row, cols[a]),
                dict(file=table["file"], sheet=table["sheet"], row=row_no, column=a, source_id=SOURCE_ID),
            )
            for a in wanted
        ]
        if cells[-1][0] != mye4.get(code):  # ties this sheet to MYE4's newest year
            raise SourceError(
                f"All ages {cells[-1][0]} differs from MYE4 mid-{year} {mye4.get(code)} for {code}",
                file=table["file"],
                sheet=table["sheet"],
                row=row_no,
                column="All ages",
                source_id=SOURCE_ID,
            )
        missing = next((s for v, s in cells[:-1] if v is None), None)
        value = None if missing else sum(v for v, _ in cells[:-1] if v is not None)
        records.append(
            {
                "indicator_id": AGED_16_64,
                "area_code": code,
                "year": year,
                "value": value,
                "observation_status": missing,
                "_row": row_no,
            }
        )
    _reconcile_mye(records, year, AGED_16_64, table, "16..64", out)
    return records


# ---------------------------------------------------------------- Nomis CSV pages
