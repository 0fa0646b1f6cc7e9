"""Social Mobility Index 2017 workbook (SMI_2017_Final_v1.1.xlsx): 324 English districts.

LAYOUT UNVERIFIED: no copy of the workbook was available. What is assumed comes from third-party
code that read it (sheet 'Standardised scores', two rows above the header, columns
'Local Authority' and 'Overall score') and from SOURCE.md (rank and decile columns per life stage).
Beyond that we assume a column whose header contains 'code' holds the GSS district code: without
one the names would need a 2017 district lookup this module does not have, so it stops instead.
Headers are found by content, and anything missing raises SourceError naming the column.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
from openpyxl import load_workbook

from ..archive import RawFile
from ..errors import SourceError

FILE_NAME = re.compile(r"^SMI_2017.*\.xlsx$", re.IGNORECASE)
SHEET = "standardised scores"
PERIOD, RELEASE = "2017", "Social Mobility Index 2017"
DISTRICT_CODE = re.compile(r"^E0[6-9]\d{6}$")
# Hot and cold spots: the SMC's top and bottom fifth of the 324 districts (65 each).
SPOT_COUNT = 65

# indicator -> header words (normalised). Overall score is required; ranks are used when present.
SCORE = ("smi_2017_overall_score", "overall score")
RANKS = {
    "smi_2017_overall_rank": "overall rank",
    "smi_2017_early_years_rank": "early years rank",
    "smi_2017_school_rank": "school rank",
    "smi_2017_youth_rank": "youth rank",
    "smi_2017_adulthood_rank": "adulthood rank",
}


def identify(raw: RawFile) -> bool:
    return bool(FILE_NAME.match(raw.original_name))


def _norm(cell) -> str:
    return re.sub(r"\s+", " ", str(cell or "")).strip().casefold()


def _header(rows: list[tuple], file: str, sheet: str) -> tuple[int, dict[str, int]]:
    for i, row in enumerate(rows[:15]):
        cells = [_norm(c) for c in row]
        if "local authority" in cells:
            return i, {c: j for j, c in enumerate(cells) if c}
    raise SourceError("no header row with a 'Local Authority' cell in the first 15 rows", file=file, sheet=sheet)


def parse_smi2017(raw: RawFile, source_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tidy values, categories). Values keep blanks (City of London, Isles of Scilly) as nulls."""
    file = raw.original_name
    book = load_workbook(raw.path, read_only=True, data_only=True)
    try:
        sheet = next((s for s in book.sheetnames if _norm(s) == SHEET), None)
        if sheet is None:
            raise SourceError(f"sheet 'Standardised scores' not found (sheets: {book.sheetnames})", file=file)
        rows = list(book[sheet].iter_rows(values_only=True))
    finally:
        book.close()
    head, columns = _header(rows, file, sheet)
    code_col = next((j for c, j in columns.items() if "code" in c), None)
    if code_col is None:
        raise SourceError(
            "no column whose header contains 'code' (GSS district code)", file=file, sheet=sheet, column="code"
        )
    if SCORE[1] not in columns:
        raise SourceError("header has no 'Overall score' column", file=file, sheet=sheet, column="Overall score")
    wanted = {SCORE[0]: columns[SCORE[1]]}
    wanted.update({ind: columns[h] for ind, h in RANKS.items() if h in columns})

    name_col = columns["local authority"]
    values, names, seen = [], {}, set()
    for i, row in enumerate(rows[head + 1 :], start=head + 2):
        code = str(row[code_col] or "").strip()
        if not code:
            break  # the table ends at its first blank row; notes may follow
        if not DISTRICT_CODE.match(code) or code in seen:
            raise SourceError(
                f"'{code}' is not a district GSS code or appears twice", file=file, sheet=sheet, row=i, column="code"
            )
        seen.add(code)
        names[code] = str(row[name_col] or "").strip()
        for indicator, j in wanted.items():
            cell = row[j] if j < len(row) else None
            if cell is not None and str(cell).strip() and not isinstance(cell, (int, float)):
                raise SourceError(f"'{cell}' is not a number", file=file, sheet=sheet, row=i, column=rows[head][j])
            missing = cell is None or not str(cell).strip()
            values.append(
                {
                    "indicator_id": indicator,
                    "area_code": code,
                    "period": PERIOD,
                    "period_start": date(2017, 1, 1),
                    "period_end": date(2017, 12, 31),
                    "value": None if cell is None or missing else float(cell),
                    "unit": "score",
                    "observation_status": "not_available" if missing else None,
                    "source_id": source_id,
                    "release": RELEASE,
                }
            )
    if not values:
        raise SourceError("no district rows under the header", file=file, sheet=sheet)
    frame = pd.DataFrame(values)
    return frame, _spots(frame, names)


def _spots(values: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Hot/cold spots derived by us from the overall score (higher score = better prospects)."""
    scores = values[(values["indicator_id"] == SCORE[0]) & values["value"].notna()]
    order = scores["value"].rank(ascending=False, method="first")
    spot = pd.Series("neither", index=scores.index)
    spot[order <= SPOT_COUNT] = "hotspot"
    spot[order > len(scores) - SPOT_COUNT] = "coldspot"
    return pd.DataFrame(
        {
            "indicator_id": SCORE[0],
            "area_code": scores["area_code"],
            "smc_area_name": scores["area_code"].map(names),
            "period": PERIOD,
            "category": spot,
            "category_order": None,
            "release": RELEASE + " (hot/cold spots derived from the overall score)",
        }
    )
