"""The Living Wage Foundation rates ONS used, read from the LWF workbook's Notes sheet."""

from __future__ import annotations

from typing import cast

import pandas as pd

from .workbook import Workbook, normalise


def living_wage_rates(book: Workbook) -> pd.DataFrame | None:
    """year, london_gbp_per_hour, outside_london_gbp_per_hour; None when the table is absent.

    The table sits under a row reading 'Working within London | Working in the UK, outside
    London'; it documents the threshold, so its absence is not an error.
    """
    sheet = next((s for s in book.sheet_names if normalise(s) == "notes"), None)
    if sheet is None:
        return None
    grid = book.grid(sheet)
    for r, row in enumerate(grid):
        cells = [normalise(c) for c in row]
        london = next((i for i, c in enumerate(cells) if c.startswith("working within london")), None)
        outside = next((i for i, c in enumerate(cells) if "outside london" in c), None)
        if london is None or outside is None:
            continue
        rates = []
        for below in grid[r + 1 :]:
            year = below[0] if below else ""
            if not isinstance(year, (int, float)) or isinstance(year, bool):
                break
            rates.append(
                {
                    "year": int(year),
                    "london_gbp_per_hour": float(cast(float, below[london])),
                    "outside_london_gbp_per_hour": float(cast(float, below[outside])),
                }
            )
        return pd.DataFrame(rates) if rates else None
    return None
