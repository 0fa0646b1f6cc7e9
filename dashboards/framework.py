"""Framework impact measures and the checklist self-assessment profile (marts.framework_measures).

One row per organisation or area, year and measure (the mart's own shape, sql/marts/framework_measures.sql),
so new measures appear without code changes; measures whose name starts with 'checklist' form the
self-assessment profile. A warehouse built before the mart existed has no such table: the page says so.
"""

from __future__ import annotations

import pandas as pd

from . import text
from .components import Column, data_table, esc, notice

NOT_YET = (
    "Framework impact measures are not yet available: this build of the warehouse does not "
    "include the framework measures table."
)
MIN_PEOPLE = 5


def section(table: pd.DataFrame | None, code: str, area_name: str, own: pd.DataFrame | None = None) -> str:
    """own: the table's rows of the area's own totals when the caller has split them (area_rows)."""
    head = (
        '<section aria-labelledby="framework-title"><h2 id="framework-title">East Midlands Inclusion '
        "Framework: impact measures</h2>"
    )
    if table is None:
        return head + notice(NOT_YET) + "</section>"
    # The area's own totals only: its organisations' rows are already counted in them.
    rows = table[(table["area_code"] == code) & (table["entity_type"] == "area")] if own is None else own
    small = rows["counts_people"].fillna(False).astype(bool) & (rows["value"] < MIN_PEOPLE)
    rows = rows.assign(value=rows["value"].where(~small))  # never a count of people below 5
    if rows.empty:
        return head + f"<p>No framework measures are recorded for {esc(area_name)} yet.</p></section>"
    checklist = rows[rows["measure"].astype(str).str.startswith("checklist")]
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


def area_rows(table: pd.DataFrame, cache: dict, code: str) -> pd.DataFrame:
    """section's rows of one area (its own totals), from a split of the table made once per build."""
    if "framework_by_area" not in cache:
        areas = table[table["entity_type"] == "area"]
        cache["framework_by_area"] = dict(tuple(areas.groupby("area_code", sort=False)))
    return cache["framework_by_area"].get(code, table.iloc[0:0])


def _pivot(rows: pd.DataFrame, table_id: str, caption: str) -> str:
    rows = rows.groupby(["measure", "year"], as_index=False)["value"].sum(min_count=1)
    years = sorted(rows["year"].dropna().unique())
    cells = {(r.measure, r.year): r.value for r in rows.itertuples()}
    body = [[_words(m)] + [_fmt(cells.get((m, y))) for y in years] for m in sorted(rows["measure"].unique())]
    return data_table(table_id, caption, [Column("Measure")] + [Column(str(y), True) for y in years], body)


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
