"""Period labels used by DWP: financial years ('2020/21', 'FYE 2021') and months ('August 2023')."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

_FY_LABEL = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2}|\d{4})\s*$")


def financial_year(fye: int) -> tuple[str, date, date]:
    """Financial year ending 31 March `fye` -> ('2020/21', 2020-04-01, 2021-03-31)."""
    return f"{fye - 1}/{str(fye)[-2:]}", date(fye - 1, 4, 1), date(fye, 3, 31)


def parse_financial_year(label: str) -> tuple[str, date, date] | None:
    """'2020/21' -> financial_year(2021); None when label is not a financial year."""
    m = _FY_LABEL.match(label)
    if not m:
        return None
    start = int(m.group(1))
    return financial_year(start + 1)


def parse_month(label: str) -> tuple[str, date, date] | None:
    """'August 2023' -> ('August 2023', 2023-08-01, 2023-08-31); None when not a month label."""
    try:
        first = datetime.strptime(label.strip(), "%B %Y").date()
    except ValueError:
        return None
    last = date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
    return label.strip(), first, last


def parse_period(label: str) -> tuple[str, date, date] | None:
    return parse_financial_year(label) or parse_month(label)
