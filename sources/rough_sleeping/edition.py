"""Parse one edition (one tables workbook) and check it against the publisher's own totals."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from ..base import Reconciliation
from ..editions import published_date
from ..errors import SourceError
from ..tidy import empty_tidy, to_tidy
from .meta import COUNT, RATE, SOURCE_ID, release_label, snapshot_window
from .sheets import Workbook
from .table import ENGLAND, LONDON, Table, read_table

COUNTS_SHEET = r"^table ?1\b"  # 'Table 1 Total', 'Table_1_Total'
RATES_SHEET = r"^table ?\d+[a-z]? rates?\b"
TITLE = re.compile(r"snapshot in england\W*autumn\s*(\d{4})", re.IGNORECASE)
AREA_COLUMNS = ["area_code", "area_name", "region_code", "region_name", "release"]


@dataclass
class Edition:
    file: str
    year: int  # the autumn the edition was published for
    release: str  # e.g. "autumn 2022"
    years: list[int]  # snapshot years the edition restates
    values: pd.DataFrame  # tidy LA rows: counts, and rates when the edition has a rates table
    aggregates: pd.DataFrame  # tidy England (E92000001) and region (E12) rows
    areas: pd.DataFrame  # AREA_COLUMNS, LAs as this edition names them
    reconciliations: list[Reconciliation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    published: date | None = None  # 'Last Update:' under Table 1, else the date on the contents sheet


def parse_workbook(path: str | Path, display_name: str | None = None) -> Edition:
    name = display_name or Path(path).name
    with Workbook(path, name) as book:
        counts_sheet = book.find_sheet(COUNTS_SHEET)
        if counts_sheet is None:
            raise SourceError(
                f"no 'Table 1 Total' sheet (sheets: {', '.join(book.sheet_names)})",
                file=name,
                sheet="Table 1 Total",
                source_id=SOURCE_ID,
            )
        count_rows = book.rows(counts_sheet)
        counts = read_table(count_rows, file=name, sheet=counts_sheet)
        year = _edition_year(book, counts, count_rows[: counts.header_row])
        published = _published(book, count_rows)
        rates_sheet = book.find_sheet(RATES_SHEET)
        rates = read_table(book.rows(rates_sheet), file=name, sheet=rates_sheet) if rates_sheet else None

    release = release_label(year)
    reconciliations = _reconcile(counts, name)
    notes = list(counts.notes)
    if rates is not None:
        unknown = {r.code for r in rates.las} - {r.code for r in counts.las}
        if unknown:
            raise SourceError(
                f"rates table has authorities missing from '{counts_sheet}': {sorted(map(str, unknown))}",
                file=name,
                sheet=rates.sheet,
                source_id=SOURCE_ID,
            )
        notes += rates.notes
    else:
        notes.append(f"{name}: no rates table; {RATE} not published in {release}")
    tables = [(COUNT, "count", counts)] + ([(RATE, "rate_per_100k", rates)] if rates else [])
    values = _tidy([(ind, unit, row) for ind, unit, t in tables for row in t.las], release)
    aggregates = _tidy([(ind, unit, row) for ind, unit, t in tables for row in _coded_aggregates(t)], release)
    areas = pd.DataFrame(
        [(r.code, r.name, r.region_code, r.region_name, release) for r in counts.las], columns=AREA_COLUMNS
    )
    return Edition(name, year, release, counts.years, values, aggregates, areas, reconciliations, notes, published)


def _published(book: Workbook, count_rows: list[tuple]) -> date | None:
    """The footer's 'Last Update: 28 February 2023', else the first date on the contents/cover sheet."""
    for row in count_rows:
        cells = [c for c in row if c is not None and str(c).strip()]
        if len(cells) >= 2 and str(cells[0]).strip().lower().startswith("last update"):
            found = published_date(cells[1])
            if found:
                return found
    for sheet in (book.find_sheet(r"^contents$"), book.find_sheet(r"^cover$")):
        for row in book.rows(sheet)[:15] if sheet else []:
            for cell in row:
                found = published_date(cell) if cell is not None else None
                if found:
                    return found
    return None


def _edition_year(book: Workbook, counts: Table, title_rows: list[tuple]) -> int:
    """Title ('...Snapshot in England: autumn 2022') when present, checked against the last year."""
    candidates = [book.find_sheet(r"^cover$"), book.find_sheet(r"^contents$")]
    rows = title_rows + [r for s in candidates if s for r in book.rows(s)[:40]]
    titled = [int(m.group(1)) for r in rows for c in r if isinstance(c, str) for m in [TITLE.search(c)] if m]
    last = max(counts.years)
    if titled and last not in titled:
        raise SourceError(
            f"title says autumn {titled[0]} but the last year column is {last} (truncated or mislabelled table?)",
            file=book.name,
            sheet=counts.sheet,
            row=counts.header_row,
            source_id=SOURCE_ID,
        )
    return last


def _reconcile(t: Table, file: str) -> list[Reconciliation]:
    england = t.aggregate(ENGLAND, "england")
    if england is None:
        raise SourceError("no England row to reconcile against", file=file, sheet=t.sheet, source_id=SOURCE_ID)
    london = t.aggregate(LONDON, "london")
    rest = t.aggregate(None, "rest of england")
    regions = [a for a in t.aggregates if a.code and a.code.startswith("E12")]
    checks = []

    def check(label, row, year, expected, actual):
        if expected is None:
            return
        if abs(expected - actual) > 1e-6:
            raise SourceError(
                f"{label}: published {expected:g} but computed {actual:g}",
                file=file,
                sheet=t.sheet,
                row=row.row,
                column=str(year),
                source_id=SOURCE_ID,
            )
        checks.append(Reconciliation(f"{label}, {year}", file, expected, actual))

    for year in t.years:
        eng = england.values[year][0]
        check("sum of local authorities = England", england, year, eng, sum(r.values[year][0] or 0 for r in t.las))
        london_value = london.values[year][0] if london else None
        if rest and eng is not None and london_value is not None:
            check("Rest of England = England - London", rest, year, rest.values[year][0], eng - london_value)
        for region in regions:
            members = [r for r in t.las if r.region_code == region.code]
            if members:
                check(
                    f"sum of local authorities = {region.name}",
                    region,
                    year,
                    region.values[year][0],
                    sum(r.values[year][0] or 0 for r in members),
                )
    return checks


def _coded_aggregates(t: Table):
    """England and regions by code; Rest of England has no GSS code so it stays out."""
    seen = set()
    for agg in t.aggregates:
        code = agg.code or (ENGLAND if (agg.name or "").lower() == "england" else None)
        if code and code not in seen:
            seen.add(code)
            yield replace(agg, code=code)


def _tidy(items, release: str) -> pd.DataFrame:
    records = []
    for indicator, unit, row in items:
        for year, (value, status) in row.values.items():
            start, end = snapshot_window(year)
            records.append(
                {
                    "indicator_id": indicator,
                    "area_code": row.code,
                    "period": str(year),
                    "period_start": start,
                    "period_end": end,
                    "value": value,
                    "unit": unit,
                    "observation_status": status,
                    "source_id": SOURCE_ID,
                    "release": release,
                }
            )
    return to_tidy(pd.DataFrame(records)) if records else empty_tidy()
