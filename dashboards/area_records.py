"""Co-production views added to the area pages: all fourteen Place Standard themes as the tool's own
compass chart (with respondents and comparisons over time), involvement by stage, method and target
group, and links to the Inclusion Reports of the organisations working in the area.

Reads marts.place_standard and marts.activity_profile (None on warehouses without them); both arrive
already privacy-protected. Every chart has a table with the same figures beneath it.
"""

from __future__ import annotations

import pandas as pd

from sources.records.model import PLACE_THEMES

from . import figures, org_report, warehouse
from . import words as wording
from .components import Column, chart_figure, data_table, esc, notice

PREFIX = "../"
MAX_YEARS = 3  # the compass compares at most the last three years
STAGE_ORDER = ("agenda_setting", "design", "commissioning", "delivery", "evaluation", "governance")
DIMENSION_WORDS = {"stage": "Stage", "method": "Method", "target_group": "Group the programme is for"}
DASHES = ["solid", "dash", "dot"]


def theme_label(theme: str) -> str:
    return theme.replace("_", " ").capitalize()


def load(con) -> dict[str, pd.DataFrame | None]:
    present = warehouse.marts_tables(con)
    return {t: (warehouse.read_table(con, t) if t in present else None) for t in ("place_standard", "activity_profile")}


def sections(extra: dict, reports, sd, code: str) -> tuple[str, list[str]]:
    """HTML for one area page and the chart ids it adds."""
    name = sd.name(code)
    parts, charts = [], []
    example = bool(getattr(sd, "records_example", False))
    place = extra.get("place_standard")
    if place is not None:
        rows = _of_area(sd.cache, "place_standard", place, code)
        shown = rows[rows["score"].notna()] if len(rows) else rows
        year = int(shown["year"].max()) if len(shown) else None
        html, ids = place_section(
            rows, name, example=example, cover=members_with(sd, code, place, "score", year, "surveys of people here")
        )
        parts.append(html)
        charts += ids
    profile = extra.get("activity_profile")
    if profile is not None:
        rows = _of_area(sd.cache, "activity_profile", profile, code)
        year = int(rows["year"].max()) if len(rows) else None
        cover = members_with(sd, code, profile, "activities", year, "records of involvement activities")
        parts.append(profile_section(rows, name, example=example, cover=cover))
    if reports is not None:
        orgs = org_report.serving(reports, sd.members.get(code, [code]), sd.cache)
        parts.append(org_report.links_section(orgs, name, PREFIX))
    return "".join(parts), charts


def members_with(sd, code: str, table: pd.DataFrame | None, column: str, year, what: str) -> str:
    """For a grouping, a sentence saying which of its local authorities the figures come from, when
    not all of them have any: 'These figures come from surveys of people here in only 2 of its 17
    local authorities (Derby and Nottingham) in 2024; the others have none, so they are not figures
    for the whole of D2N2.' ('' for a local authority, when every member has figures, or no year)."""
    lads = sd.members.get(code, [])
    if table is None or year is None or len(lads) <= 1 or lads == [code]:
        return ""
    rows = table[(table["year"] == year) & table["area_code"].isin(lads) & table[column].notna()]
    with_figures = sorted(set(rows["area_code"]))
    if not with_figures or len(with_figures) >= len(lads):
        return ""
    names = [sd.name(c) for c in with_figures]
    named = (
        f" ({names[0] if len(names) == 1 else ', '.join(names[:-1]) + ' and ' + names[-1]})" if len(names) <= 5 else ""
    )
    return (
        f"These figures come from {what} in only {len(with_figures):,} of its "
        f"{wording.count(len(lads), 'local authority', 'local authorities')}{named} in {year}; the others have "
        f"none, so they are not figures for the whole of {wording.the_place(sd.name(code))}."
    )


def _of_area(cache: dict, name: str, table: pd.DataFrame, code: str) -> pd.DataFrame:
    """The table's rows of one area, from a split of the table made once per build."""
    key = ("records_view_by_area", name)
    if key not in cache:
        cache[key] = dict(tuple(table.groupby("area_code", sort=False)))
    return cache[key].get(code, table.iloc[0:0])


def with_chart_scripts(page: str, needed: bool) -> str:
    """Add plotly and site.js to a page that had no chart of its own before these sections."""
    if not needed or "assets/plotly.min.js" in page:
        return page
    scripts = (
        f'<script src="{PREFIX}assets/plotly.min.js" charset="utf-8" defer></script>'
        f'<script src="{PREFIX}assets/site.js" defer></script>'
    )
    return page.replace("</head>", scripts + "\n</head>", 1)


def compass_spec(rows: pd.DataFrame, years: list[int]) -> dict:
    """The Place Standard compass: one closed outline per year on a 1-7 radial scale, 1 at the centre."""
    labels = [theme_label(t) for t in PLACE_THEMES]
    data = []
    for i, year in enumerate(years):
        scores = rows[rows["year"] == year].set_index("theme")["score"]
        r = [scores.get(t) for t in PLACE_THEMES]
        data.append(
            {
                "type": "scatterpolar",
                "name": str(year),
                "r": figures.clean(r + r[:1]),
                "theta": labels + labels[:1],
                "mode": "lines+markers",
                "fill": "toself" if i == len(years) - 1 else "none",
                "opacity": 1 if i == len(years) - 1 else 0.8,
                "line": {
                    "color": figures.CATEGORY_COLOURS[i % len(figures.CATEGORY_COLOURS)],
                    "dash": DASHES[(len(years) - 1 - i) % len(DASHES)],
                    "width": 2,
                },
                "hovertemplate": f"{year}, %{{theta}}: %{{r:.1f}}<extra></extra>",
            }
        )
    layout = {
        "font": figures.FONT,
        "paper_bgcolor": "white",
        "dragmode": False,
        "showlegend": True,
        "legend": {"orientation": "h", "y": -0.15},
        "margin": {"l": 70, "r": 70, "t": 30, "b": 60},
        "polar": {
            "radialaxis": {"range": [1, 7], "tickvals": [1, 2, 3, 4, 5, 6, 7], "angle": 90, "gridcolor": "#dcdcdc"},
            "angularaxis": {"direction": "clockwise", "rotation": 90, "gridcolor": "#dcdcdc"},
        },
    }
    return {"data": data, "layout": layout}


def place_section(rows: pd.DataFrame, name: str, *, example: bool = False, cover: str = "") -> tuple[str, list[str]]:
    """cover: members_with's sentence for a grouping; example: the records are the example set."""
    head = '<section aria-labelledby="place-title"><h2 id="place-title">How people rate the place (Place Standard)</h2>'
    if rows.empty:
        return "", []
    head += notice("These survey results are example data, not real returns.", "warning") if example else ""
    head += f"<p>{esc(cover)}</p>" if cover else ""
    shown = rows[rows["score"].notna()]
    all_years = sorted({int(y) for y in rows["year"]})
    hidden_years = sorted(set(all_years) - {int(y) for y in shown["year"]})
    note = (
        f"<p>Results for {', '.join(map(str, hidden_years))} are not shown: fewer than 5 people answered "
        "(or an area within this one had fewer than 5).</p>"
        if hidden_years
        else ""
    )
    if shown.empty:
        return head + note + "</section>", []
    years = sorted({int(y) for y in shown["year"]})[-MAX_YEARS:]
    latest = shown[shown["year"] == years[-1]].set_index("theme")
    respondents = {int(y): int(r) for y, r in shown.groupby("year")["respondents"].max().items()}
    best, worst = latest["score"].idxmax(), latest["score"].idxmin()
    text = (
        f"In {years[-1]}, {respondents[years[-1]]:,} people rated {name} on all 14 Place Standard themes, from "
        f"1 (a lot of room to improve) to 7 (very little). Highest: {theme_label(best).lower()} "
        f"({latest.loc[best, 'score']:.1f}); lowest: {theme_label(worst).lower()} ({latest.loc[worst, 'score']:.1f})."
    )
    if len(years) > 1:
        before = shown[shown["year"] == years[-2]].set_index("theme")["score"]
        change = (latest["score"] - before).dropna()
        if len(change):
            up, down = change.idxmax(), change.idxmin()
            text += (
                f" Since {years[-2]}, {theme_label(up).lower()} changed most upwards ({change[up]:+.1f})"
                + (f" and {theme_label(down).lower()} most downwards ({change[down]:+.1f})" if change[down] < 0 else "")
                + "."
            )
    chart_id = "chart-place-standard"
    figure = chart_figure(
        chart_id,
        f"Place Standard compass for {name}",
        figures.chart_html(chart_id, compass_spec(shown, years), PREFIX),
        text,
        kind="map",
    )
    table_years = sorted({int(y) for y in shown["year"]})
    by_year = {y: shown[shown["year"] == y].set_index("theme")["score"] for y in table_years}
    body = [
        [theme_label(t)] + [("" if pd.isna(by_year[y].get(t)) else f"{by_year[y].get(t):.1f}") for y in table_years]
        for t in PLACE_THEMES
    ]
    body.append(["People who answered"] + [f"{respondents[y]:,}" for y in table_years])
    table = data_table(
        "table-place-standard",
        f"Place Standard scores for {name} by year (1 to 7)",
        [Column("Theme")] + [Column(str(y), True) for y in table_years],
        body,
    )
    return head + figure + table + note + "</section>", [chart_id]


def profile_section(rows: pd.DataFrame, name: str, *, example: bool = False, cover: str = "") -> str:
    if rows.empty:
        return ""
    year = int(rows["year"].max())
    latest = rows[rows["year"] == year]
    parts = [
        '<section aria-labelledby="profile-title"><h2 id="profile-title">Involvement by stage, method and group</h2>'
    ]
    parts += [notice("These records are example data, not real returns.", "warning")] if example else []
    parts += [f"<p>{esc(cover)}</p>"] if cover else []
    stages = latest[latest["dimension"] == "stage"].set_index("category")

    def share(cats):
        part = stages.loc[stages.index.intersection(cats)]
        total = part["activities"].sum()
        return (None, 0) if not total else (100.0 * part["activities_codesign_or_above"].sum() / total, int(total))

    decisions, decided_n = share(["commissioning", "governance"])
    delivery, delivery_n = share(["delivery"])
    summary = f"<p>In {year}, "
    summary += (
        f"{decisions:.0f}% of the {_activities(decided_n)} in commissioning and governance reached co-design or "
        "co-production"
        if decisions is not None
        else "no activity was recorded in commissioning or governance"
    )
    summary += (
        f", against {delivery:.0f}% of the {_activities(delivery_n)} in delivery.</p>"
        if delivery is not None
        else "; none was recorded in delivery.</p>"
    )
    parts.append(summary)
    for dimension, words in DIMENSION_WORDS.items():
        part = latest[latest["dimension"] == dimension]
        if part.empty:
            continue
        order = (
            [c for c in STAGE_ORDER if c in set(part["category"])] if dimension == "stage" else sorted(part["category"])
        )
        part = part.set_index("category").loc[order]
        body = [
            [
                c.replace("_", " ").capitalize(),
                int(r.activities),
                int(r.activities_codesign_or_above),
                f"{r.codesign_or_above_pct:.0f}%",
            ]
            for c, r in zip(order, part.itertuples())
        ]
        parts.append(
            data_table(
                f"table-profile-{dimension}",
                f"Involvement activities in {name} by {words.lower()}, {year}",
                [Column(words), Column("Activities", True), Column("Co-design or above", True), Column("Share", True)],
                body,
            )
        )
    parts.append("</section>")
    return "".join(parts)


def _activities(n: int) -> str:
    return f"{n} activit{'y' if n == 1 else 'ies'}"
