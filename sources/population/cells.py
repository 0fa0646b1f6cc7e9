"""Area codes, a published cell read as (value, status), and tidy rows of this source."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from ..errors import SourceError
from ..markers import known_markers, marker_status
from ..tidy import empty_tidy, to_tidy
from .meta import SOURCE_ID

ENGLAND = "E92000001"
LAD_CODE = re.compile(r"E0[6-9]\d{6}")
REGION_CODE = re.compile(r"E12\d{6}")
# Values of MYE 'Geography' that are local authority districts (counties overlap them).
LAD_GEOGRAPHIES = {"unitary authority", "metropolitan district", "non-metropolitan district", "london borough"}
MYE_YEAR = re.compile(r"mid[- ]?(\d{4})", re.I)
KEY = ["indicator_id", "area_code", "period"]
# The MYE workbooks' own wording beside the GSS markers (sources/markers.py).
MYE_KEY = {"no data": "not_available"}


def read_cell(value, where: dict) -> tuple[float | None, str | None]:
    """A workbook cell as (value, observation_status)."""
    if isinstance(value, bool):
        raise SourceError(f"unexpected boolean {value!r}", **where)
    if isinstance(value, (int, float)):
        return float(value), None
    text = str(value).strip() if value is not None else ""
    if not text:
        return None, "not_available"
    if (status := marker_status(text, MYE_KEY)) is not None:
        return None, status
    try:
        return float(text.replace(",", "")), None
    except ValueError:
        raise SourceError(
            f"unexpected value {text!r} (not a number or a known marker: {', '.join(known_markers(MYE_KEY))})", **where
        ) from None


def tidy_rows(records: list[dict], release: str) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(records, columns=["indicator_id", "area_code", "year", "value", "observation_status"])
    mid_year = df["year"].map(lambda y: date(int(y), 6, 30))  # a point estimate at 30 June
    df = df.assign(
        period=df["year"].astype(str),
        period_start=mid_year,
        period_end=mid_year,
        unit="count",
        source_id=SOURCE_ID,
        release=release,
    )
    return to_tidy(df) if len(df) else empty_tidy()
