"""Turn one ASHE-layout estimates workbook (and its CV twin) into tidy rows.

Both the living-wage Table 7 LWF.1a and the ASHE Tables 7.xa / 8.xa are read the same way: the
`All` sheet (all employee jobs), area rows identified by a GSS code in the `Code` column, and
the measure columns found by their header words. Rows without a code ('Not Classified',
footnotes, the Key legend beside the data) are not areas and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from ..errors import SourceError
from .quality import UNRELIABLE_CV, confidence_interval, cv_band, read_cell
from .workbook import Grid, Workbook, find_column, find_header, title_years

SHEET = "All"
GSS_CODE = re.compile(r"^[EKWSN]\d{8}$")


@dataclass(frozen=True)
class Measure:
    indicator_id: str
    unit: str
    header_words: list[str]  # all must appear in the column's stacked header
    label: str  # how the column is named in messages
    scale: float = 1.0  # e.g. 1000 for '(thousand)'
    upper_bound: float | None = None


LWF_MEASURES = [
    # Jobs are published in thousands; stored as jobs so the unit 'count' means what it says.
    Measure("jobs_below_living_wage_count", "count", ["jobs", "thousand"], "Jobs (thousand)", scale=1000.0),
    Measure("jobs_below_living_wage_pct", "percent", ["per cent"], "Per cent", upper_bound=100.0),
]


def ashe_median_measure(measure: str, basis: str) -> Measure:
    unit = "gbp_per_hour" if measure == "hourly" else "gbp"
    return Measure(f"median_{measure}_pay_{basis}", unit, ["median"], "Median")


@dataclass
class ReadTable:
    year: int
    cells: pd.DataFrame  # area_code, area_name, row, one column per indicator id (raw cells)


def read_table(book: Workbook, measures: list[Measure], *, file_year: int | None) -> ReadTable:
    import pandas as pd

    grid = book.grid(SHEET)
    header = find_header(grid, file=book.label, sheet=SHEET)
    cols = {
        m.indicator_id: find_column(header, m.header_words, label=m.label, file=book.label, sheet=SHEET)
        for m in measures
    }
    year = _check_year(grid, header, file_year, book.label)
    records: list = []
    seen: dict = {}
    for r in range(header.row + 1, len(grid)):
        row = grid[r]
        code = str(row[header.code_col]).strip() if header.code_col < len(row) else ""
        if not code:
            continue
        if not GSS_CODE.match(code):
            raise SourceError(
                f"'{code}' is not a GSS area code", file=book.label, sheet=SHEET, row=r + 1, column="Code"
            )
        if code in seen:
            raise SourceError(
                f"area {code} appears twice (first on row {seen[code]})",
                file=book.label,
                sheet=SHEET,
                row=r + 1,
                column="Code",
            )
        seen[code] = r + 1
        rec = {"area_code": code, "area_name": str(row[header.name_col]).strip(), "row": r + 1}
        for ind, c in cols.items():
            rec[ind] = row[c] if c < len(row) else ""
        records.append(rec)
    if not records:
        raise SourceError(
            "no area rows below the header (truncated file?)", file=book.label, sheet=SHEET, row=header.row + 1
        )
    return ReadTable(year, pd.DataFrame.from_records(records))


def _check_year(grid: Grid, header, file_year: int | None, label: str) -> int:
    in_title = title_years(grid, header)
    if file_year is not None and in_title and file_year not in in_title:
        raise SourceError(
            f"file name says {file_year} but the title says {sorted(in_title)}", file=label, sheet=SHEET, row=1
        )
    if file_year is not None:
        return file_year
    if len(in_title) == 1:
        return in_title.pop()
    raise SourceError("cannot tell the reference year from the file name or title", file=label, sheet=SHEET, row=1)


def check_same_rows(estimates: ReadTable, cvs: ReadTable, est_label: str, cv_label: str) -> None:
    """A CV table must describe exactly the estimates' areas, else the pairing is wrong."""
    est_codes, cv_codes = list(estimates.cells["area_code"]), list(cvs.cells["area_code"])
    if set(est_codes) != set(cv_codes):
        missing = sorted(set(est_codes) - set(cv_codes))
        extra = sorted(set(cv_codes) - set(est_codes))
        raise SourceError(
            f"CV table rows differ from the estimates in {est_label}: "
            f"missing {missing[:5]}{'...' if len(missing) > 5 else ''}, "
            f"extra {extra[:5]}{'...' if len(extra) > 5 else ''}",
            file=cv_label,
            sheet=SHEET,
            column="Code",
        )
    if estimates.year != cvs.year:
        raise SourceError(f"CV table is for {cvs.year}, estimates for {estimates.year}", file=cv_label, sheet=SHEET)


def tidy_rows(
    estimates: ReadTable,
    cvs: ReadTable | None,
    measures: list[Measure],
    *,
    est_label: str,
    cv_label: str | None,
    release: str,
    source_id: str,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(tidy rows, CV detail rows or None without a CV table) for every area and measure."""
    import pandas as pd

    cv_by_code = cvs.cells.set_index("area_code") if cvs is not None else None
    year = estimates.year
    tidy, detail = [], []
    for rec in estimates.cells.to_dict("records"):
        for m in measures:
            value, status = read_cell(rec[m.indicator_id], file=est_label, sheet=SHEET, row=rec["row"], column=m.label)
            cv = cv_status = None
            if cv_by_code is not None:
                cv_rec = cv_by_code.loc[rec["area_code"]]
                cv, cv_status = read_cell(
                    cv_rec[m.indicator_id], file=cv_label or "", sheet=SHEET, row=int(cv_rec["row"]), column=m.label
                )
            if value is not None:
                value *= m.scale
                if cv is not None and cv > UNRELIABLE_CV:
                    status = "unreliable"  # published despite CV > 20%: keep, but flag
            lower, upper = confidence_interval(value, cv, m.upper_bound)
            tidy.append(
                {
                    "indicator_id": m.indicator_id,
                    "area_code": rec["area_code"],
                    **april_period(year),
                    "value": value,
                    "unit": m.unit,
                    "lower_ci": lower,
                    "upper_ci": upper,
                    "observation_status": status,
                    "source_id": source_id,
                    "release": release,
                }
            )
            detail.append(
                {
                    "indicator_id": m.indicator_id,
                    "area_code": rec["area_code"],
                    "area_name": rec["area_name"],
                    "period": str(year),
                    "cv_percent": cv,
                    "cv_status": cv_status,
                    "cv_band": cv_band(cv),
                    "file": cv_label,
                }
            )
    tidy_frame = pd.DataFrame(tidy).astype(
        {"value": "float64", "lower_ci": "float64", "upper_ci": "float64", "observation_status": "object"}
    )
    detail_frame = pd.DataFrame(detail).astype({"cv_percent": "float64"}) if cvs is not None else None
    return tidy_frame, detail_frame


def april_period(year: int) -> dict:
    # ASHE measures pay for the pay period that includes a specified date in April (the survey
    # reference date), so the period is that April, labelled with the year as ONS does.
    return {"period": str(year), "period_start": f"{year}-04-01", "period_end": f"{year}-04-30"}
