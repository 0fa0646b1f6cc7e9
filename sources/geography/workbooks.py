"""Read the two xlsx lookups: ONS LADyy->ITL3/ITL2/ITL1 and DfE LADyy->LSIP.

A sheet is recognised by a header row holding ITL.. or LSIP.. columns (found by content within the
first rows, on any sheet), so a renamed or moved column is reported, not silently skipped.
"""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pandas as pd

from ..archive import RawFile
from ..errors import SourceError
from .shapes import ENGLAND_LAD

HEADER_SEARCH_ROWS = 20
# generic column -> (header pattern, name for messages); the first entry is the LAD code column.
WANTED = {
    "itl_lookup": {
        "code": (r"LAD(\d\d)CD", "LADyyCD"),
        "itl3_code": (r"ITL3\d\dCD", "ITL3yyCD"),
        "itl3_name": (r"ITL3\d\dNM", "ITL3yyNM"),
        "itl2_code": (r"ITL2\d\dCD", "ITL2yyCD"),
        "itl2_name": (r"ITL2\d\dNM", "ITL2yyNM"),
        "itl1_code": (r"ITL1\d\dCD", "ITL1yyCD"),
        "itl1_name": (r"ITL1\d\dNM", "ITL1yyNM"),
    },
    "lsip_lookup": {
        "code": (r"LAD(\d\d)CD", "LADyyCD"),
        "lsip_code": (r"LSIP\d\dCD", "LSIPyyCD"),
        "lsip_name": (r"LSIP\d\dNM", "LSIPyyNM"),
    },
}
# DfE's optional column splitting Greater London into its four skills sub-areas.
LONDON_COLUMN = re.compile(r"LONDON", re.I)


def read_workbook(raw: RawFile, source_id: str) -> tuple[str, str, pd.DataFrame, str] | None:
    """(role, LAD vintage e.g. '2020', England rows with generic columns, sheet) or None if not a lookup."""
    name = raw.original_name
    try:
        book = openpyxl.load_workbook(raw.path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SourceError(f"cannot be read as xlsx ({exc})", file=name, source_id=source_id) from exc
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            for _, row in zip(range(HEADER_SEARCH_ROWS), rows):
                header = ["" if c is None else str(c).strip() for c in row]
                role = _role(header)
                if role:
                    return _frame(role, header, list(rows), name, sheet.title, source_id)
    finally:
        book.close()
    return None


def _role(header: list[str]) -> str | None:
    upper = [h.upper() for h in header]
    if any(re.match(r"^ITL\d\d\dCD$", h) for h in upper):
        return "itl_lookup"
    if any(re.match(r"^LSIP\d\dCD$", h) for h in upper):
        return "lsip_lookup"
    return None


def _frame(role, header, data, name, sheet, source_id) -> tuple[str, str, pd.DataFrame, str]:
    positions: dict[str, int | None] = {}
    vintage = ""
    for column, (pattern, label) in WANTED[role].items():
        hits = [i for i, h in enumerate(header) if re.fullmatch(pattern, h, re.I)]
        if not hits:
            raise SourceError(
                f"no {label} column in the header {[h for h in header if h]}",
                file=name,
                sheet=sheet,
                column=label,
                source_id=source_id,
            )
        positions[column] = hits[0]
        if column == "code":
            code_match = re.fullmatch(pattern, header[hits[0]], re.I)
            assert code_match is not None  # hits[0] matched this pattern above
            vintage = "20" + code_match.group(1)
    if role == "lsip_lookup":
        london = [i for i, h in enumerate(header) if LONDON_COLUMN.search(h)]
        positions["london_lsip_name"] = london[0] if london else None
    rows = [
        [_text(r[i]) if i is not None and i < len(r) else None for i in positions.values()]
        for r in data
        if any(c is not None and str(c).strip() for c in r)
    ]
    if not rows:
        raise SourceError("header found but no data rows below it", file=name, sheet=sheet, source_id=source_id)
    frame = pd.DataFrame(rows, columns=list(positions))
    frame = frame[frame["code"].fillna("").str.match(ENGLAND_LAD)]
    # Scottish LADs repeat once per LAU; England is one row per LAD but drop exact repeats anyway.
    return role, vintage, frame.drop_duplicates().reset_index(drop=True), sheet


def _text(value) -> str | None:
    """Strip DfE's padding (' Buckinghamshire '); blank cells become None."""
    text = "" if value is None else str(value).strip()
    return text or None
