"""Whole HTML pages: the shared layout and the index (overview) page."""
from __future__ import annotations

from . import text
from .components import (Column, chart_figure, collapsible, data_table, download_link, esc,
                         example_banner, about_sources, notice)
from .overview import MapData, Overview, TrendData

SITE_NAME = "Inclusion Impact"
MAP_ID, TREND_ID = "map-rough-sleeping-rate", "trend-rough-sleeping-count"


def layout(title: str, main: str, *, prefix: str = "", example_data: bool = False,
           charts: bool = False, built_at: str = "") -> str:
    """prefix is the relative path back to the site root ('' here, '../' for pages in sub-folders)."""
    scripts = (f'<script src="{prefix}assets/site.js"></script>'
               f'<script src="{prefix}assets/plotly.min.js" charset="utf-8"></script>') if charts else ""
    built = f" Built {esc(built_at)}." if built_at else ""
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} - {SITE_NAME}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{prefix}assets/site.css">
{scripts}
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header"><div class="wrap">
<p class="site-name"><a href="{prefix}index.html">{SITE_NAME}</a></p>
<nav aria-label="Site"><ul><li><a href="{prefix}index.html" aria-current="page">Overview</a></li></ul></nav>
</div></header>
{example_banner() if example_data else ""}
<main id="main" class="wrap" tabindex="-1">
{main}
</main>
<footer class="site-footer"><div class="wrap"><p>{SITE_NAME}: measuring inclusion in English local
areas from public statistics.{built} Figures can be downloaded as CSV beneath each table.</p></div></footer>
</body>
</html>
"""


def index_page(ov: Overview, chart_divs: dict[str, str], downloads: dict[str, str]) -> str:
    main = "".join([
        "<h1>Rough sleeping in England</h1>",
        _intro(ov),
        _map_section(ov.rate_map, chart_divs.get(MAP_ID), downloads.get(MAP_ID)),
        _trend_section(ov.trend, chart_divs.get(TREND_ID), downloads.get(TREND_ID)),
        about_sources(ov.sources, ov.build_info),
    ])
    return layout("Rough sleeping in England", main, example_data=ov.example_data,
                  charts=bool(chart_divs), built_at=ov.build_info.get("built_at", ""))


def _intro(ov: Overview) -> str:
    lead = ""
    if not ov.trend.points.empty:
        last = ov.trend.points.iloc[-1]
        lead = (f'<p class="lead">On a single night in autumn {esc(last["period"])}, '
                f'<strong>{esc(text.number(last["value"], "count"))}</strong> people were sleeping rough '
                "in England.</p>")
    return (lead + "<p>Every autumn each local council counts or estimates how many people sleep rough "
            "in its area on one night. This page shows where rough sleeping is most common, taking "
            "account of population, and how the England total has changed since 2010. Each chart is "
            "followed by a table of the same figures and a download.</p>")


def _map_section(data: MapData, map_div: str | None, download: str | None) -> str:
    parts = ['<section aria-labelledby="map-section"><h2 id="map-section">Where rough sleeping is most '
             "common</h2>"]
    parts += [notice(n, "warning") for n in data.notes]
    if data.period is not None:
        description = text.describe_rates(data.values, data.period, data.unit)
        table = _rate_table(data)
        if map_div:
            if data.values.loc[data.values["area_code"].isin(data.geometries), "value"].isna().any():
                description += " They are left white on the map."
            unmapped = len(data.unmapped)
            if unmapped:
                description += (f" {unmapped:,} {'authority has' if unmapped == 1 else 'authorities have'} "
                                "no boundary on the map and appear only in the table.")
            parts.append(chart_figure(MAP_ID, f"Rough sleeping rate by local authority, autumn "
                                      f"{data.period}", map_div, description, kind="map"))
            parts.append(collapsible("Show the figures behind the map as a table", table))
        else:
            parts.append(f"<p>{esc(description)}</p>{table}")
        if download:
            parts.append(download_link(download, f"Download the rates for {data.period}"))
    parts.append("</section>")
    return "".join(parts)


def _rate_table(data: MapData) -> str:
    values, unit = data.values, data.unit
    with_ci = values["lower_ci"].notna().any()
    with_region = values["region_name"].notna().any()
    columns = [Column("Local authority"), Column("Code")]
    columns += [Column("Region")] if with_region else []
    columns += [Column(f"Rate {text.unit_phrase(unit)}", numeric=True)]
    columns += [Column("Likely range", numeric=True)] if with_ci else []
    columns += [Column("Note")]
    rows = []
    for r in values.itertuples():
        row = [r.area_name, r.area_code] + ([r.region_name] if with_region else [])
        row += [text.number(r.value, unit)]
        row += [text.interval(r.lower_ci, r.upper_ci, unit)] if with_ci else []
        rows.append(row + [text.status_words(r.observation_status)])
    caption = (f"Rough sleeping rate {text.unit_phrase(unit)} by local authority, autumn {data.period}, "
               "highest first")
    return data_table("table-rough-sleeping-rate", caption, columns, rows)


def _trend_section(data: TrendData, trend_div: str | None, download: str | None) -> str:
    parts = ['<section aria-labelledby="trend-section"><h2 id="trend-section">How rough sleeping has '
             "changed in England</h2>"]
    parts += [notice(n, "warning" if data.basis is None else "info") for n in data.notes]
    if not data.points.empty:
        first, last = data.points.iloc[0]["period"], data.points.iloc[-1]["period"]
        title = f"People sleeping rough in England on a single autumn night, {first} to {last}"
        statuses = data.points.get("observation_status")
        with_notes = statuses is not None and statuses.notna().any()
        columns = [Column("Year"), Column("People sleeping rough", numeric=True)]
        columns += [Column("Note")] if with_notes else []
        rows = [[p.period, text.number(p.value, "count")]
                + ([text.status_words(p.observation_status)] if with_notes else [])
                for p in data.points.itertuples()]
        table = data_table("table-rough-sleeping-count", title, columns, rows)
        if trend_div:
            parts.append(chart_figure(TREND_ID, title, trend_div, text.describe_trend(data.points)))
        parts.append(collapsible("Show the figures behind the chart as a table", table))
        if download:
            parts.append(download_link(download, "Download the England totals"))
    parts.append("</section>")
    return "".join(parts)
