"""Framework impact measures and the checklist self-assessment profile (marts.framework_measures).

The table comes from issue 5 and may be missing. Its rows are read generically: one row per area (or
organisation), period and measure, so new measures appear without code changes; measures whose name
starts with 'checklist' form the self-assessment profile.
"""

from __future__ import annotations

import pandas as pd

from . import text
from .components import Column, data_table, esc, notice

NOT_YET = (
    "Framework impact measures are not yet available: this build of the warehouse does not "
    "include the framework measures table."
)
PERIOD_COLUMNS = ("year", "period")
SKIP = {"area_code", "area_type", "example_data", "organisation_id", "organisation_code"}


def rows_for(table: pd.DataFrame | None, codes: list[str]) -> pd.DataFrame | None:
    if table is None:
        return None
    if "area_code" not in table:
        return table.iloc[0:0]
    return table[table["area_code"].isin(codes)]


def section(table: pd.DataFrame | None, code: str, area_name: str) -> str:
    head = (
        '<section aria-labelledby="framework-title"><h2 id="framework-title">East Midlands Inclusion '
        "Framework: impact measures</h2>"
    )
    if table is None:
        return head + notice(NOT_YET) + "</section>"
    rows = rows_for(table, [code])
    if "entity_type" in rows:  # area totals only: organisation rows are already counted in them
        rows = rows[rows["entity_type"] == "area"]
    if "counts_people" in rows and "value" in rows:  # never a count of people below 5
        small = rows["counts_people"].fillna(False).astype(bool) & (rows["value"] < 5)
        rows = rows.assign(value=rows["value"].where(~small))
    if rows.empty:
        return head + f"<p>No framework measures are recorded for {esc(area_name)} yet.</p></section>"
    measure_col = "measure" if "measure" in rows else None
    if measure_col is None:
        return head + _generic(rows, "table-framework", "Framework measures") + "</section>"
    checklist = rows[rows[measure_col].astype(str).str.startswith("checklist")]
    impact = rows.drop(checklist.index)
    parts = [head]
    if len(impact):
        parts.append(_pivot(impact, "table-framework", "Framework impact measures by year"))
    if len(checklist):
        parts.append(
            "<h3>Checklist self-assessment profile</h3>"
            + _pivot(checklist, "table-checklist", "Checklist self-assessment by point and year")
        )
    parts.append("</section>")
    return "".join(parts)


def _pivot(rows: pd.DataFrame, table_id: str, caption: str) -> str:
    period = next((c for c in PERIOD_COLUMNS if c in rows), None)
    value_col = "value" if "value" in rows else None
    if period is None or value_col is None:
        return _generic(rows, table_id, caption)
    rows = rows.groupby(["measure", period], as_index=False)[value_col].sum(min_count=1)
    periods = sorted(rows[period].dropna().unique())
    cells = {(r.measure, getattr(r, period)): getattr(r, value_col) for r in rows.itertuples()}
    body = [[_words(m)] + [_fmt(cells.get((m, p))) for p in periods] for m in sorted(rows["measure"].unique())]
    return data_table(table_id, caption, [Column("Measure")] + [Column(str(p), True) for p in periods], body)


def _generic(rows: pd.DataFrame, table_id: str, caption: str) -> str:
    cols = [c for c in rows.columns if c not in SKIP]
    body = [[_fmt(v) for v in r] for r in rows[cols].itertuples(index=False)]
    return data_table(table_id, caption, [Column(c.replace("_", " ").capitalize()) for c in cols], body)


WORDS = {"gbp": "(pounds)", "pct": "(%)", "co designed": "co-designed", "coproduction": "co-production"}


def _words(measure: str) -> str:
    label = str(measure).replace("_", " ")
    for short, long in WORDS.items():
        label = label.replace(short, long)
    return label.capitalize()


def _fmt(value) -> str:
    if text.is_missing(value):
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return str(value)
