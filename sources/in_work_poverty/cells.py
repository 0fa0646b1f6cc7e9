"""Reading one published cell: a number, or a DWP/ONS shorthand marker that becomes a status."""

from __future__ import annotations

import math
import re

from ..markers import known_markers, marker_status

_NUMBER = re.compile(r"^-?\d[\d,]*(\.\d+)?$|^-?\.\d+$")
# A figure may carry its own flag, e.g. '5,417 [p]'.
_CELL_FLAG = re.compile(r"\s*\[(p|r)\]\s*$", re.IGNORECASE)


def read_cell(raw) -> tuple[float | None, str | None]:
    """(value, observation_status). Raises ValueError for text that is neither number nor marker."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None, "not_available"
    if isinstance(raw, bool):
        raise ValueError(f"unexpected boolean {raw!r}")
    if isinstance(raw, (int, float)):
        return float(raw), None
    text = str(raw).strip()
    if not text:
        return None, "not_available"
    if (marker := marker_status(text)) is not None:
        return None, marker
    status = None
    flag = _CELL_FLAG.search(text)
    if flag:
        status = "provisional" if flag.group(1).lower() == "p" else None
        text = text[: flag.start()]
    if _NUMBER.match(text):
        return float(text.replace(",", "")), status
    raise ValueError(f"cell text {str(raw)!r} is neither a number nor a known marker ({', '.join(known_markers())})")
