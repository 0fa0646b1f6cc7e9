"""Check published totals (UK, England, ...) against the sum of their local authorities.

DWP applies disclosure control and calibrates LA figures to HBAI regional averages, so totals need
not add exactly ("Totals may not sum due to the rounding and disclosure control applied"). We allow
5 per authority summed, the bound if each count were rounded to the nearest 10; beyond it the file is
wrong (truncated, shifted or mislabelled rows) and we raise.
"""

from __future__ import annotations

import re

import pandas as pd

from ..base import Reconciliation
from ..errors import SourceError
from .cilif_ods import LATable, Workbook
from .meta import SOURCE_ID
from .periods import financial_year

LA_CODE = re.compile(r"^(E0[6-9]|W06|S12|N09)\d{6}$")
ENGLAND_LA = re.compile(r"^E0[6-9]\d{6}$")
ROUNDING_PER_LA = 5

# Aggregate code -> (name, the local authorities it covers)
AGGREGATES = {
    "K02000001": ("United Kingdom", re.compile(r"^(E0[6-9]|W06|S12|N09)")),
    "K03000001": ("Great Britain", re.compile(r"^(E0[6-9]|W06|S12)")),
    "K04000001": ("England and Wales", re.compile(r"^(E0[6-9]|W06)")),
    "E92000001": ("England", re.compile(r"^E0[6-9]")),
    "W92000004": ("Wales", re.compile(r"^W06")),
    "S92000003": ("Scotland", re.compile(r"^S12")),
    "N92000002": ("Northern Ireland", re.compile(r"^N09")),
}


def reconcile(book: Workbook, table: LATable) -> tuple[list[Reconciliation], list[dict], list[str]]:
    """-> (reconciliations, detail rows for extra['reconciliation'], notes). Raises on failure."""
    counts = [r for r in table.rows if r["kind"] == "count"]
    checks, details, notes = [], [], []
    for agg in (r for r in counts if r["area_code"] in AGGREGATES):
        name, covers = AGGREGATES[agg["area_code"]]
        members = [
            r
            for r in counts
            if r["fye"] == agg["fye"] and LA_CODE.match(r["area_code"]) and covers.match(r["area_code"])
        ]
        period = financial_year(agg["fye"])[0]
        if agg["value"] is None or not members or any(m["value"] is None for m in members):
            notes.append(
                f"{book.name} '{table.sheet}': {name} {period} not reconciled "
                "(the total or some authorities have no value)"
            )
            continue
        total = sum(m["value"] for m in members)
        tolerance = ROUNDING_PER_LA * len(members)
        difference = total - agg["value"]
        details.append(
            {
                "file": book.name,
                "sheet": table.sheet,
                "measure": table.measure,
                "aggregate_code": agg["area_code"],
                "aggregate": name,
                "period": period,
                "published_total": agg["value"],
                "sum_of_authorities": total,
                "authorities": len(members),
                "difference": difference,
                "tolerance": tolerance,
            }
        )
        if abs(difference) > tolerance:
            raise SourceError(
                f"{name} {period} total {agg['value']:,.0f} differs from the sum of its {len(members)} "
                f"local authorities {total:,.0f} by {difference:+,.0f}, beyond the disclosure-control "
                f"tolerance of ±{tolerance:,}",
                file=book.name,
                sheet=table.sheet,
                row=agg["row"],
                column=agg["column"],
                source_id=SOURCE_ID,
            )
        # Recorded as the excess over tolerance (0 = passed); the raw figures are in the check text
        # and in extra['reconciliation'].
        checks.append(
            Reconciliation(
                check=(
                    f"{table.measure} count {period}: {name} row {agg['value']:,.0f} vs sum of "
                    f"{len(members)} LAs {total:,.0f} (difference {difference:+,.0f}; excess over "
                    f"±{tolerance:,} tolerance)"
                ),
                file=book.name,
                expected=0.0,
                actual=max(0.0, abs(difference) - tolerance),
            )
        )
    return checks, details, notes


def details_frame(details: list[dict]) -> pd.DataFrame:
    cols = [
        "file",
        "sheet",
        "measure",
        "aggregate_code",
        "aggregate",
        "period",
        "published_total",
        "sum_of_authorities",
        "authorities",
        "difference",
        "tolerance",
    ]
    return pd.DataFrame(details, columns=cols)
