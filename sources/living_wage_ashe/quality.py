"""ASHE cell markers and coefficient-of-variation (CV) arithmetic."""

from __future__ import annotations

import math

from ..errors import SourceError
from ..markers import marker_status

# ASHE key: x = CV > 20% (withheld on quality grounds), .. = disclosive, : = not applicable,
# - = nil or negligible. None of them is a number we may publish, so all become NULL values.
# '-' is mapped to not_available rather than 0 because the publisher does not say it is exactly 0.
# The GSS map (sources/markers.py) holds the others; only x means something else in this key.
ASHE_KEY = {"x": "suppressed"}

UNRELIABLE_CV = 20.0  # ONS: CV > 20% is "unreliable for practical purposes"
Z_95 = 1.96


def read_cell(raw: object, *, file: str, sheet: str, row: int, column: str) -> tuple[float | None, str | None]:
    """(number, None) for a value, (None, status) for a publisher marker; else SourceError."""
    if isinstance(raw, bool):
        raise SourceError(f"unexpected boolean {raw!r}", file=file, sheet=sheet, row=row, column=column)
    if isinstance(raw, (int, float)):
        if math.isnan(raw):
            raise SourceError("NaN where a value or marker is expected", file=file, sheet=sheet, row=row, column=column)
        return float(raw), None
    text = str(raw).strip()
    if (status := marker_status(text, ASHE_KEY)) is not None:
        return None, status
    if not text:
        raise SourceError(
            "empty cell where a value or marker (x, .., :) is expected", file=file, sheet=sheet, row=row, column=column
        )
    try:
        return float(text.replace(",", "")), None
    except ValueError:
        raise SourceError(
            f"unknown marker {text!r} (expected a number or x, .., :, -)",
            file=file,
            sheet=sheet,
            row=row,
            column=column,
        ) from None


def confidence_interval(
    value: float | None, cv_percent: float | None, upper_bound: float | None = None
) -> tuple[float | None, float | None]:
    """95% confidence interval from an estimate and its coefficient of variation.

    The CV is the standard error as a percentage of the estimate, so SE = value * cv / 100 and

        lower = value * (1 - 1.96 * cv / 100)
        upper = value * (1 + 1.96 * cv / 100)

    lower is clamped at 0 and, for percentages, upper at 100 (upper_bound). This is the normal
    approximation ONS itself uses when it says the true value lies within about +/- 2 CVs.
    Returns (None, None) when either input is missing.
    """
    if value is None or cv_percent is None:
        return None, None
    half_width = Z_95 * cv_percent / 100.0 * value
    lower = max(0.0, value - half_width)
    upper = value + half_width
    if upper_bound is not None:
        upper = min(upper_bound, upper)
    return round(lower, 6), round(upper, 6)


def cv_band(cv_percent: float | None) -> str | None:
    """ONS robustness bands: <=5 precise, <=10 reasonably precise, <=20 acceptable, >20 unreliable."""
    if cv_percent is None:
        return None
    if cv_percent <= 5:
        return "precise"
    if cv_percent <= 10:
        return "reasonably_precise"
    if cv_percent <= UNRELIABLE_CV:
        return "acceptable"
    return "unreliable"
