"""Read the CiLIF local-area workbook (.ods): one LA table per measure (relative, absolute).

Layout (2014-to-2021 edition): a header row 'Local Authority [note 2] | Area Code | Number of children
FYE 2015 ... | Percentage of children FYE 2015 (%) ...' below a block of notes, a UK row, then one row
per local authority. The header is found by content; '[p]' in a header marks a provisional year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ..archive import RawFile
from ..errors import SourceError
from .cells import read_cell
from .meta import ABSOLUTE_COUNT, ABSOLUTE_PCT, RELATIVE_COUNT, RELATIVE_PCT, SOURCE_ID
from .periods import financial_year

MEASURES = {"relative": (RELATIVE_COUNT, RELATIVE_PCT), "absolute": (ABSOLUTE_COUNT, ABSOLUTE_PCT)}
NAME_HEADER = "Local Authority"
CODE_HEADER = "Area Code"
GSS_CODE = re.compile(r"^[EKNSW]\d{8}$")
_FYE = re.compile(r"FYE\s*(\d{4})", re.IGNORECASE)
_PROVISIONAL = re.compile(r"\[p\]|\(p\)|provisional", re.IGNORECASE)


def normalise(text) -> str:
    """Collapse the embedded newlines and trailing spaces DWP headers carry."""
    return "" if pd.isna(text) else re.sub(r"\s+", " ", str(text)).strip()


class Workbook:
    """One .ods file, opened once: odfpy loads the whole document (about 30 s for the real file),
    after which each sheet is cheap, so sheets are parsed on demand and cached."""

    def __init__(self, raw: RawFile):
        self.name = raw.original_name
        self.raw = raw
        try:
            self._book = pd.ExcelFile(raw.path, engine="calamine")
        except Exception as exc:  # odfpy raises many types for a damaged or truncated zip
            raise SourceError(
                f"cannot open as an ODS spreadsheet ({type(exc).__name__}: {exc})", file=self.name, source_id=SOURCE_ID
            ) from exc
        self._sheets: dict[str, pd.DataFrame] = {}

    @property
    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def sheet(self, name: str) -> pd.DataFrame:
        if name not in self._sheets:
            self._sheets[name] = self._book.parse(name, header=None)
        return self._sheets[name]

    def la_sheet(self, measure: str) -> str | None:
        """The before-housing-costs local-authority sheet for 'relative' or 'absolute'."""
        for name in self.sheet_names:
            key = name.lower().replace(" ", "_")
            if measure in key and "local_authority" in key and "ahc" not in key:
                return name
        return None

    def release(self) -> str:
        """Edition label from the cover sheet, e.g. 'FYE 2015 to 2021 (published 31 March 2022)'."""
        cover = next((s for s in self.sheet_names if "cover" in s.lower()), None)
        text = " | ".join(normalise(v) for v in self.sheet(cover).values.ravel()) if cover else ""
        years = re.search(r"\(FYE\)\s*(\d{4})\s*to\s*(\d{4})", text)
        published = re.search(r"Published:\s*([^|]+)", text)
        if not years:
            return self.raw.release or self.name
        label = f"FYE {years.group(1)} to {years.group(2)}"
        return label + (f" (published {published.group(1).strip()})" if published else "")


@dataclass
class LATable:
    """One LA sheet read into long rows (area, year, measure) with statuses."""

    measure: str
    sheet: str
    rows: list[dict] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)


def _error(book: Workbook, sheet: str, problem: str, **where) -> SourceError:
    return SourceError(problem, file=book.name, sheet=sheet, source_id=SOURCE_ID, **where)


def _find_header(book: Workbook, sheet: str, df: pd.DataFrame) -> int:
    for idx in range(len(df)):
        first = next((normalise(v) for v in df.iloc[idx] if normalise(v)), "")
        if first.lower().startswith(NAME_HEADER.lower()):
            return idx
    raise _error(book, sheet, f"no header row starting with '{NAME_HEADER}' was found", column=NAME_HEADER)


def _classify_columns(book: Workbook, sheet: str, header: pd.Series, row: int):
    """-> (name column, code column, {fye: {'count': col, 'pct': col}}, provisional years)."""
    name_col = code_col = None
    years: dict[int, dict[str, int]] = {}
    provisional: set[int] = set()
    unknown: list[str] = []
    for col, cell in header.items():
        text = normalise(cell)
        if not text:
            continue
        low = text.lower()
        if low.startswith(NAME_HEADER.lower()):
            name_col = col
            continue
        if low == CODE_HEADER.lower():
            code_col = col
            continue
        fye = _FYE.search(text)
        kind = "count" if low.startswith("number") else "pct" if ("percentage" in low or "(%)" in low) else None
        if not fye or kind is None:
            unknown.append(text)
            continue
        year = int(fye.group(1))
        if kind in years.setdefault(year, {}):
            raise _error(book, sheet, f"two {kind} columns for FYE {year}", row=row, column=text)
        years[year][kind] = col
        if _PROVISIONAL.search(text):
            provisional.add(year)
    if code_col is None:
        raise _error(
            book,
            sheet,
            f"expected column '{CODE_HEADER}' not found in the header row (unrecognised: {unknown})",
            row=row,
            column=CODE_HEADER,
        )
    if unknown:
        raise _error(
            book,
            sheet,
            "unrecognised column header (expected 'Number of children FYE "
            "yyyy' or 'Percentage of children FYE yyyy (%)')",
            row=row,
            column=unknown[0],
        )
    if not years:
        raise _error(
            book,
            sheet,
            "no 'Number of children FYE yyyy' columns in the header row",
            row=row,
            column="Number of children FYE yyyy",
        )
    for year, cols in sorted(years.items()):
        for kind, label in (("count", "Number of children"), ("pct", "Percentage of children")):
            if kind not in cols:
                raise _error(
                    book,
                    sheet,
                    f"expected column '{label} FYE {year}' not found",
                    row=row,
                    column=f"{label} FYE {year}",
                )
    return name_col, code_col, years, provisional


def _data_rows(book: Workbook, sheet: str, df: pd.DataFrame, start: int, code_col: int):
    """(spreadsheet row number, row) for each coded row; uncoded rows are allowed only after the
    table (footnotes), so a lost code mid-table is an error rather than a silent drop."""
    coded, gap_at = [], None
    for idx in range(start, len(df)):
        row = df.iloc[idx]
        if not any(normalise(v) for v in row):
            continue
        code = normalise(row[code_col])
        if not code:
            gap_at = gap_at if gap_at is not None else idx + 1
            continue
        if gap_at is not None:
            raise _error(book, sheet, "row has no area code inside the table", row=gap_at, column=CODE_HEADER)
        if not GSS_CODE.match(code):
            raise _error(book, sheet, f"'{code}' is not a GSS area code", row=idx + 1, column=CODE_HEADER)
        coded.append((idx + 1, row))
    if not coded:
        raise _error(book, sheet, "the table has no data rows (truncated?)", row=start + 1)
    return coded


def read_la_table(book: Workbook, measure: str) -> LATable | None:
    sheet = book.la_sheet(measure)
    if sheet is None:
        return None
    df = book.sheet(sheet)
    header_idx = _find_header(book, sheet, df)
    name_col, code_col, years, provisional = _classify_columns(book, sheet, df.iloc[header_idx], header_idx + 1)
    table = LATable(measure, sheet, years=sorted(years))
    count_id, pct_id = MEASURES[measure]
    seen: dict[str, int] = {}
    for rownum, row in _data_rows(book, sheet, df, header_idx + 1, code_col):
        code = normalise(row[code_col])
        if code in seen:
            raise _error(book, sheet, f"area code {code} repeats row {seen[code]}", row=rownum, column=CODE_HEADER)
        seen[code] = rownum
        table.names[code] = normalise(row[name_col]) if name_col is not None else ""
        for year, cols in years.items():
            for kind, indicator in (("count", count_id), ("pct", pct_id)):
                header_text = normalise(df.iloc[header_idx][cols[kind]])
                try:
                    value, status = read_cell(row[cols[kind]])
                except ValueError as exc:
                    raise _error(book, sheet, str(exc), row=rownum, column=header_text) from exc
                if value is not None and year in provisional and status is None:
                    status = "provisional"
                table.rows.append(
                    {
                        "indicator_id": indicator,
                        "area_code": code,
                        "fye": year,
                        "value": value,
                        "observation_status": status,
                        "kind": kind,
                        "row": rownum,
                        "column": header_text,
                    }
                )
    _to_percent(book, table)
    return table


def _to_percent(book: Workbook, table: LATable) -> None:
    """DWP stores percentages as fractions (0.155) with a % format; publish 0-100."""
    pct = [r for r in table.rows if r["kind"] == "pct" and r["value"] is not None]
    as_fraction = bool(pct) and max(r["value"] for r in pct) <= 1.0
    for r in pct:
        if as_fraction:
            r["value"] = round(r["value"] * 100, 10)
        if not 0 <= r["value"] <= 100:
            raise _error(
                book, table.sheet, f"percentage {r['value']} is outside 0-100", row=r["row"], column=r["column"]
            )
    for r in table.rows:
        if r["kind"] == "count" and r["value"] is not None and r["value"] < 0:
            raise _error(book, table.sheet, f"negative count {r['value']}", row=r["row"], column=r["column"])


def to_frame(table: LATable, release: str) -> pd.DataFrame:
    rows = []
    for r in table.rows:
        period, start, end = financial_year(r["fye"])
        rows.append(
            {
                "indicator_id": r["indicator_id"],
                "area_code": r["area_code"],
                "period": period,
                "period_start": start,
                "period_end": end,
                "value": r["value"],
                "unit": "count" if r["kind"] == "count" else "percent",
                "observation_status": r["observation_status"],
                "source_id": SOURCE_ID,
                "release": release,
            }
        )
    return pd.DataFrame(rows)
