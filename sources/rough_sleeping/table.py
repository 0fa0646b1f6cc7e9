"""Read one 'by local authority' table (Table 1 counts or Table 5 rates) found by content.

The header is the first row holding a cell equal to 2010. The code column is whichever column
holds E06-E09 GSS codes, whatever its label says: the autumn 2024 file swapped the labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import SourceError
from ..markers import marker_status
from .meta import SOURCE_ID

LA_CODE = re.compile(r"^E0[6-9]\d{6}$")
AREA_CODE = re.compile(r"^E(12|92)\d{6}$")
ENGLAND = "E92000001"
LONDON = "E12000007"
HEADER_SEARCH_ROWS = 40
# A year header, bare or with the GSS notes newer tables put after it: '2024 [note 3]', '2025 [p]'.
YEAR_HEADER = re.compile(r"\s*(\d{4})\s*((?:\[[^\]]*\]\s*)*)")
PROVISIONAL = re.compile(r"\[p\]", re.IGNORECASE)
# What the code/name cells of England, region and Rest of England rows hold instead of a code.
AGGREGATE_PLACEHOLDERS = {"", "-", "--", "---", "[z]", "z", "[x]"}


@dataclass
class PublishedRow:
    row: int  # 1-based spreadsheet row
    code: str | None
    name: str | None
    region_code: str | None
    region_name: str | None
    values: dict[int, tuple[float | None, str | None]] = field(default_factory=dict)


@dataclass
class Table:
    sheet: str
    header_row: int
    years: list[int]
    las: list[PublishedRow]
    aggregates: list[PublishedRow]
    notes: list[str]

    def aggregate(self, code: str | None, name_prefix: str) -> PublishedRow | None:
        for agg in self.aggregates:
            if (code and agg.code == code) or (agg.name or "").lower().startswith(name_prefix):
                return agg
        return None


def _text(cell) -> str:
    return "" if cell is None else str(cell).strip()


def year_of(cell) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)) and float(cell).is_integer():
        year = int(cell)
    elif isinstance(cell, str) and (match := YEAR_HEADER.fullmatch(cell)):
        year = int(match.group(1))
    else:
        return None
    return year if 2000 <= year <= 2100 else None


def _number(cell) -> float | None:
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell)
    try:
        return float(_text(cell).replace(",", ""))
    except ValueError:
        return None


def _count_matches(rows, col, pattern) -> int:
    return sum(1 for r in rows if col < len(r) and pattern.match(_text(r[col])))


def read_table(rows: list[tuple], *, file: str, sheet: str) -> Table:
    def fail(problem, row=None, column=None):
        return SourceError(problem, file=file, sheet=sheet, row=row, column=column, source_id=SOURCE_ID)

    header_idx = next((i for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]) if any(year_of(c) == 2010 for c in r)), None)
    if header_idx is None:
        raise fail(
            f"no header row: no cell equal to 2010 in the first {HEADER_SEARCH_ROWS} rows (header moved or renamed?)"
        )
    header, data, header_row = rows[header_idx], rows[header_idx + 1 :], header_idx + 1
    year_cols: dict[int, int] = {i: y for i, c in enumerate(header) if (y := year_of(c)) is not None}
    provisional = {y for i, y in year_cols.items() if isinstance(header[i], str) and PROVISIONAL.search(header[i])}
    if len(set(year_cols.values())) != len(year_cols):
        raise fail("a year appears twice in the header", row=header_row)
    labels = [_text(c).lower() for c in header[: min(year_cols)]]
    if not labels:
        raise fail("no local authority columns left of the year columns", row=header_row)

    code_col = max(range(len(labels)), key=lambda c: _count_matches(data, c, LA_CODE))
    if _count_matches(data, code_col, LA_CODE) == 0:
        raise fail("no column of local authority GSS codes (E06-E09) left of the year columns", row=header_row)
    name_col = next((c for c, lab in enumerate(labels) if c != code_col and "authority" in lab), None)
    if name_col is None:
        raise fail("no 'Local authority' name column in the header (header renamed?)", row=header_row)
    notes = []
    if "code" not in labels[code_col] and "code" in labels[name_col]:
        notes.append(
            f"{file} '{sheet}': header labels swapped (codes under '{header[code_col]}', "
            f"names under '{header[name_col]}'); columns chosen by content"
        )
    rest = [c for c in range(len(labels)) if c not in (code_col, name_col)]
    region_code_col = max(rest, key=lambda c: _count_matches(data, c, AREA_CODE), default=None)
    if region_code_col is not None and _count_matches(data, region_code_col, AREA_CODE) == 0:
        region_code_col = None
    region_name_col = next((c for c in rest if c != region_code_col and "region" in labels[c]), None)

    def cell(r, c):
        return r[c] if c is not None and c < len(r) else None

    las: list[PublishedRow] = []
    aggregates: list[PublishedRow] = []
    seen: dict[str, int] = {}
    for offset, r in enumerate(data):
        row_no = header_row + 1 + offset
        code = _text(cell(r, code_col))
        if LA_CODE.match(code):
            if code in seen:
                raise fail(f"local authority {code} appears twice (also row {seen[code]})", row=row_no)
            seen[code] = row_no
            name = _text(cell(r, name_col))
            if not name or LA_CODE.match(name):
                raise fail(f"no local authority name for {code}", row=row_no, column=str(header[name_col]))
            values = {y: _value(cell(r, c), fail, row_no, y, y in provisional) for c, y in year_cols.items()}
            las.append(
                PublishedRow(
                    row_no,
                    code,
                    name,
                    _text(cell(r, region_code_col)) or None,
                    _text(cell(r, region_name_col)) or None,
                    values,
                )
            )
        elif (code in AGGREGATE_PLACEHOLDERS or AREA_CODE.match(code)) and any(
            _number(cell(r, c)) is not None for c in year_cols
        ):
            # England / London / Rest of England / regions: named in the region name column, their
            # code there too, or (as many MHCLG tables do) in the code column itself.
            agg_name = next(
                (
                    t
                    for t in (_text(cell(r, region_name_col)), _text(cell(r, name_col)))
                    if t not in AGGREGATE_PLACEHOLDERS
                ),
                None,
            )
            agg_code = code if AREA_CODE.match(code) else _text(cell(r, region_code_col))
            values = {y: _value(cell(r, c), fail, row_no, y, y in provisional) for c, y in year_cols.items()}
            aggregates.append(
                PublishedRow(row_no, agg_code if AREA_CODE.match(agg_code) else None, agg_name, None, None, values)
            )
    return Table(sheet, header_row, sorted(year_cols.values()), las, aggregates, notes)


def _value(cell, fail, row_no, year, provisional=False) -> tuple[float | None, str | None]:
    text = _text(cell)
    if text == "":
        return None, "not_available"
    if (status := marker_status(text)) is not None:
        return None, status
    number = _number(cell)
    if number is None:
        raise fail(f"value '{text}' is neither a number nor a known marker", row=row_no, column=str(year))
    return number, "provisional" if provisional else None
