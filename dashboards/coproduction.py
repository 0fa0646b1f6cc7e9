"""Co-production on an area page, from marts.record_measures (counts only).

Privacy: no count of people below 5 is ever shown. The mart already suppresses them (value NULL,
status 'suppressed'); a grouping's total of people is withheld whenever any member's figure is
suppressed (or the total minus the others would give it away), and any people count under 5 that
still reached us is hidden here too.
"""

from __future__ import annotations

import pandas as pd

from . import figures
from .components import Column, chart_figure, collapsible, data_table, esc
from .words import count, was_were

MIN_PEOPLE = 5
# A hidden count may be small itself or hidden so that a small one cannot be worked out from it (a
# grouping of 22 whose member hides 3): the note claims no size.
HIDDEN = "hidden to protect small numbers"
MEASURE_WORDS = {
    "programmes_active": "Programmes running",
    "involvement_activities": "Involvement activities",
    "activities_codesign_or_above": "Activities at co-design or co-production (ladder steps 6 and 7)",
    "activities_with_paid_participants": "Activities where people were paid or offered payment",
    "participants": "People taking part",
    "participants_lived_experience": "People taking part with lived experience",
    "contributors_active": "Active contributors",
    "recommendations": "Recommendations made by people involved (you said)",
    "recommendations_fed_back": "Recommendations with a decision fed back (we did)",
    "recommendations_adopted_or_partly": "Recommendations taken up in full or in part",
    "organisations_signed_up": "Organisations signed up to the framework",
    "place_survey_respondents": "People answering the place survey",
}
LADDER_CHART = "chart-ladder"


def area_measures(records: pd.DataFrame, lads: list[str]) -> pd.DataFrame:
    """year, measure, value (None when hidden), counts_people, hidden (bool): totals over the LADs."""
    rows = records[records["area_code"].isin(lads)]
    if rows.empty:
        return pd.DataFrame(columns=["year", "measure", "value", "counts_people", "hidden"])
    grouped = rows.groupby(["year", "measure"], as_index=False).agg(
        value=("value", "sum"), known=("value", "count"), n=("value", "size"), counts_people=("counts_people", "max")
    )
    people = grouped["counts_people"].fillna(False).astype(bool)
    hidden = people & ((grouped["known"] < grouped["n"]) | (grouped["value"] < MIN_PEOPLE))
    grouped["value"] = grouped["value"].astype("float").where(~hidden & (grouped["known"] > 0))
    grouped["hidden"] = hidden
    return grouped[["year", "measure", "value", "counts_people", "hidden"]]


def download_rows(measures: pd.DataFrame, code: str) -> pd.DataFrame:
    """area_measures output as a download: hidden values stay empty with a note saying why."""
    if measures.empty:  # nothing to download (no file is written for an empty table)
        return pd.DataFrame(columns=["area_code", "year", "measure", "value", "counts_people", "note"])
    return measures.assign(area_code=code, note=measures["hidden"].map({True: HIDDEN, False: ""}))[
        ["area_code", "year", "measure", "value", "counts_people", "note"]
    ]


def section(
    measures: pd.DataFrame, area_name: str, example: bool, prefix: str, cover: str = ""
) -> tuple[str, dict, dict]:
    """HTML, chart specs by id, and facts for the summary. cover: for a grouping, the sentence saying
    which of its local authorities the records come from when not all have any."""
    head = '<section aria-labelledby="copro-title"><h2 id="copro-title">Co-production: how people are involved</h2>'
    if measures.empty:
        return (head + f"<p>No co-production records have been sent in for {esc(area_name)} yet.</p></section>", {}, {})
    value = {(int(r.year), r.measure): r for r in measures.itertuples()}
    get = lambda y, m: value[(y, m)].value if (y, m) in value else None  # noqa: E731
    years = sorted({int(y) for y in measures["year"]})
    activity_years = [y for y in years if get(y, "involvement_activities")]
    parts, charts, facts = [head], {}, {}
    if example:
        parts.append('<p class="notice notice-warning">These records are example data, not real returns.</p>')
    if cover:
        parts.append(f"<p>{esc(cover)}</p>")
    if activity_years:
        top = [int(get(y, "activities_codesign_or_above") or 0) for y in activity_years]
        rest = [int(max((get(y, "involvement_activities") or 0) - t, 0)) for y, t in zip(activity_years, top)]
        spec = figures.stacked_bars(
            activity_years,
            {"Steps 6 and 7: co-design or co-production": top, "Steps 1 to 5: informing to engagement": rest},
            "Involvement activities",
        )
        y = activity_years[-1]
        total, high, paid = (
            get(y, "involvement_activities"),
            get(y, "activities_codesign_or_above"),
            get(y, "activities_with_paid_participants"),
        )
        description = (
            f"In {y}, {int(high or 0):,} of {count(int(total), 'involvement activity', 'involvement activities')} "
            f"reached co-design or co-production on the ladder of participation."
        )
        charts[LADDER_CHART] = spec
        table = data_table(
            "table-ladder",
            "Involvement activities by ladder step and year",
            [Column("Year"), Column("Steps 6 and 7", True), Column("Steps 1 to 5", True)],
            [[y_, t, r] for y_, t, r in zip(activity_years, top, rest)],
        )
        parts.append(
            chart_figure(
                LADDER_CHART,
                "Involvement activities by step on the ladder of participation",
                figures.chart_html(LADDER_CHART, spec, prefix),
                description,
                kind="bar",
            )
        )
        parts.append(collapsible("Show the figures behind the chart as a table", table))
        if paid is not None:
            parts.append(
                f"<h3>Paid involvement</h3><p>In {y}, people were paid or offered payment in "
                f"{int(paid):,} of {count(int(total), 'involvement activity', 'involvement activities')}.</p>"
            )
        facts.update(year=y, activities=int(total), codesign=int(high or 0), paid=paid)
    recs = [
        (y, get(y, "recommendations"), get(y, "recommendations_fed_back"), get(y, "recommendations_adopted_or_partly"))
        for y in years
        if get(y, "recommendations")
    ]
    if recs:
        y, made, back, adopted = recs[-1]
        back, adopted = int(back or 0), int(adopted or 0)
        parts.append(
            f"<h3>You said, we did</h3><p>In {y}, people made "
            f"{count(int(made), 'recommendation')}. {back:,} had a decision fed back to them and "
            f"{adopted:,} {was_were(adopted)} taken up in full or in part.</p>"
        )
        facts.update(recs_year=y, recommendations=int(made), fed_back=int(back or 0))
    parts.append(_measures_table(measures, years))
    parts.append("</section>")
    return "".join(parts), charts, facts


def _measures_table(measures: pd.DataFrame, years: list[int]) -> str:
    cells = {
        (int(r.year), r.measure): (HIDDEN if r.hidden else ("" if pd.isna(r.value) else f"{int(r.value):,}"))
        for r in measures.itertuples()
    }
    order = [m for m in MEASURE_WORDS if m in set(measures["measure"])]
    order += sorted(set(measures["measure"]) - set(order))
    body = [
        [MEASURE_WORDS.get(m, m.replace("_", " ").capitalize())] + [cells.get((y, m), "") for y in years] for m in order
    ]
    table = data_table(
        "table-records",
        "Co-production records by year (counts)",
        [Column("Measure")] + [Column(str(y), True) for y in years],
        body,
    )
    return "<h3>All co-production figures</h3>" + table
