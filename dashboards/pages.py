"""Whole HTML pages: the shared layout and the index (overview) page."""

from __future__ import annotations

import html
import re

from . import glossary, text
from .components import (
    Column,
    about_sources,
    chart_figure,
    collapsible,
    data_table,
    download_link,
    esc,
    example_banner,
    notice,
)
from .index_sections import search_box
from .overview import MapData, Overview, TrendData

SITE_NAME = "Inclusion Impact"
MAP_ID, TREND_ID = "map-rough-sleeping-rate", "trend-rough-sleeping-count"


NAV = (
    ("index.html", "Overview"),
    ("index.html#areas", "Areas"),
    ("methodology.html", "Methodology"),
    ("downloads.html", "Downloads"),
)


def layout(
    title: str,
    main: str,
    *,
    prefix: str = "",
    example_data: bool = False,
    charts: bool = False,
    maps: bool = False,
    built_at: str = "",
    current: str = "index.html",
    glossary: bool = True,
) -> str:
    """prefix is the relative path back to the site root ('' here, '../' for pages in sub-folders).

    Scripts are deferred and in order: shared boundaries, plotly.js, then site.js which draws charts.
    """
    scripts = ""
    if charts:
        scripts = (
            f'<script src="{prefix}assets/boundaries.js" defer></script>' if maps else ""
        ) + f'<script src="{prefix}assets/plotly.min.js" charset="utf-8" defer></script>'
    if charts or 'class="area-search"' in main:
        scripts += (
            f'<script src="{prefix}assets/search.js" defer></script>' if 'class="area-search"' in main else ""
        ) + f'<script src="{prefix}assets/site.js" defer></script>'
    if glossary:
        main += glossary_section(main)
    built = f" Built {esc(built_at)}." if built_at else ""
    here = ' aria-current="page"'
    nav = "".join(
        f'<li><a href="{prefix}{href}"{here if href == current else ""}>{label}</a></li>' for href, label in NAV
    )
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
<nav aria-label="Site"><ul>{nav}</ul></nav>
</div></header>
{example_banner() if example_data else ""}
<main id="main" class="wrap" tabindex="-1">
{main}
</main>
<footer class="site-footer"><div class="wrap"><p>{SITE_NAME}: measuring inclusion in English local
areas from public statistics.{built} Figures can be downloaded as CSV and Parquet files.</p></div></footer>
</body>
</html>
"""


def glossary_section(main_html: str) -> str:
    entries = glossary.glossary_for(plain_text(main_html))
    if not entries:
        return ""
    items = "".join(f'<dt id="term-{_slug(t)}">{esc(t)}</dt><dd>{esc(m)}</dd>' for t, m in entries)
    return (
        f'<section aria-labelledby="glossary-title" class="glossary"><h2 id="glossary-title">'
        f"Words used on this page</h2><dl>{items}</dl></section>"
    )


def plain_text(fragment: str) -> str:
    """Visible text of an HTML fragment: tags, scripts and chart specs removed, entities decoded."""
    fragment = re.sub(r"<script\b.*?</script>", " ", fragment, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)))


def _slug(label: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", label.lower()).strip("-")


def index_page(
    ov: Overview,
    chart_divs: dict[str, str],
    downloads: dict[str, str],
    *,
    igplus_html: str = "",
    areas_html: str = "",
    freshness_html: str = "",
    example_data: bool | None = None,
) -> str:
    main = "".join(
        [
            "<h1>Inclusive growth and inclusion in England</h1>",
            _intro(ov),
            search_box(),
            igplus_html,
            areas_html,
            '<h2 id="rough-sleeping">Rough sleeping in England</h2>' if igplus_html or areas_html else "",
            _map_section(ov.rate_map, chart_divs.get(MAP_ID), downloads.get(MAP_ID)),
            _trend_section(ov.trend, chart_divs.get(TREND_ID), downloads.get(TREND_ID)),
            freshness_html,
            about_sources(ov.sources, ov.build_info),
        ]
    )
    return layout(
        "Inclusive growth and inclusion in England",
        main,
        example_data=ov.example_data if example_data is None else example_data,
        charts=bool(chart_divs),
        maps=MAP_ID in chart_divs or "igplus-map" in igplus_html,
        built_at=ov.build_info.get("built_at", ""),
    )


def example_page(section_html: str, *, built_at: str) -> str:
    """IG+ and pillar B from example records, on their own page under the example banner."""
    body = (
        "<h1>Example only: IG+ and pillar B</h1><p>This page shows what the IG+ and pillar B maps will "
        "look like when real co-production records are sent in. Every score on it is made up. The "
        '<a href="index.html">overview</a> shows the real public statistics.</p>' + section_html
    )
    return layout(
        "Example only: IG+ and pillar B", body, example_data=True, charts=True, maps=True, built_at=built_at, current=""
    )


def methodology_page(markdown_html: str | None, *, example_data: bool, built_at: str) -> str:
    if markdown_html is None:
        body = "<h1>Methodology</h1>" + notice(
            "The methodology document (docs/methodology.md) has not been written yet, so this page is a "
            "placeholder. It will explain how the IG+ score is worked out, step by step.",
            "warning",
        )
    else:
        body = f'<div class="prose">{markdown_html}</div>'
    return layout("Methodology", body, example_data=example_data, built_at=built_at, current="methodology.html")


def downloads_page(files: list[tuple[str, str, str]], *, example_data: bool, built_at: str) -> str:
    """files: (description, csv path, parquet path)."""
    rows = "".join(
        f'<li>{esc(d)}: <a href="{esc(c)}" download>CSV</a>'
        + (f', <a href="{esc(p)}" download>Parquet</a>' if p else "")
        + "</li>"
        for d, c, p in files
    )
    body = (
        "<h1>Downloads</h1><p>Every table behind this site, as published in the warehouse. CSV files "
        "open in a spreadsheet; Parquet files are for analysts. Each area page also has downloads "
        "of its own figures. Counts of people below 5 from the co-production records are never "
        f"included.</p><ul>{rows}</ul>"
    )
    return layout("Downloads", body, example_data=example_data, built_at=built_at, current="downloads.html")


def _lead_basis(ov: Overview, last) -> str:
    """Whose figure the headline is and how current its release is."""
    from . import currency

    basis = (
        "the England total as published"
        if ov.trend.basis == "published"
        else "the sum of the local authorities' counts (the published England total was not available)"
    )
    rows = ov.sources[ov.sources["source_id"] == last.get("source_id")] if "source_id" in last else ov.sources.iloc[0:0]
    release = ""
    if len(rows):
        row = rows.iloc[0].to_dict()
        status = currency.currency_words(row)
        release = f", from the release \u201c{currency.release_words(row)}\u201d ({status[:1].lower() + status[1:]})"
    return f'<p class="lead-basis">This is {esc(basis)}{esc(release)}.</p>'


def _intro(ov: Overview) -> str:
    lead = ""
    if not ov.trend.points.empty:
        last = ov.trend.points.iloc[-1]
        lead = (
            f'<p class="lead">On a single night in autumn {esc(last["period"])}, '
            f"<strong>{esc(text.number(last['value'], 'count'))}</strong> people were sleeping rough "
            "in England.</p>" + _lead_basis(ov, last)
        )
    return (
        "<p>This site shows how local areas in England are doing on inclusive growth: low pay, "
        "poverty, rough sleeping and social mobility, and how far local people are involved in "
        "decisions. Pick an area from the list to see its own page. Each chart is followed by a "
        "table of the same figures and a download.</p>"
        + lead
        + "<p>Every autumn each local council counts or estimates how many people sleep rough "
        "in its area on one night. The map shows where rough sleeping is most common, taking "
        "account of population, and the chart how the England total has changed since 2010.</p>"
    )


def _map_section(data: MapData, map_div: str | None, download: str | None) -> str:
    parts = ['<section aria-labelledby="map-section"><h2 id="map-section">Where rough sleeping is most common</h2>']
    parts += [notice(n, "warning") for n in data.notes]
    if data.period is not None:
        description = text.describe_rates(data.values, data.period, data.unit)
        table = _rate_table(data)
        if map_div:
            if data.values.loc[data.values["area_code"].isin(data.geometries), "value"].isna().any():
                description += " They are left white on the map."
            description += _colour_note(data)
            unmapped = len(data.unmapped)
            if unmapped:
                description += (
                    f" {unmapped:,} {'authority has' if unmapped == 1 else 'authorities have'} "
                    "no boundary on the map and appear only in the table."
                )
            parts.append(
                chart_figure(
                    MAP_ID,
                    f"Rough sleeping rate by local authority, autumn {data.period}",
                    map_div,
                    description,
                    kind="map",
                )
            )
            parts.append(collapsible("Show the figures behind the map as a table", table))
        else:
            parts.append(f"<p>{esc(description)}</p>{table}")
        if download:
            parts.append(download_link(download, f"Download the rates for {data.period}"))
    parts.append("</section>")
    return "".join(parts)


def _colour_note(data: MapData) -> str:
    """The rate map's colours stop at the 2nd and 98th percentiles, so one outlier (the City of
    London) cannot make the rest of England one shade; the areas beyond are named."""
    from .figures import colour_range
    from .words import count

    values = data.values[data.values["area_code"].isin(data.geometries)]
    low, high, flags = colour_range(values["value"].tolist())
    beyond = values[flags]
    if beyond.empty:
        return " Darker colours mean more rough sleeping."
    above = beyond[beyond["value"] > high].sort_values("value", ascending=False)
    named = ", ".join(f"{r.area_name} ({text.number(r.value, data.unit)})" for r in above.head(3).itertuples())
    return (
        f" Darker colours mean more rough sleeping. The colours run from {text.number(low, data.unit)} to "
        f"{text.number(high, data.unit)} so that a few very high rates do not hide the differences elsewhere; "
        f"{count(len(beyond), 'area')} beyond that range take the end colours"
        + (f", including {named}." if named else ".")
    )


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
    caption = f"Rough sleeping rate {text.unit_phrase(unit)} by local authority, autumn {data.period}, highest first"
    return data_table("table-rough-sleeping-rate", caption, columns, rows)


def _trend_section(data: TrendData, trend_div: str | None, download: str | None) -> str:
    parts = [
        '<section aria-labelledby="trend-section"><h2 id="trend-section">How rough sleeping has changed in England</h2>'
    ]
    parts += [notice(n, "warning" if data.basis is None else "info") for n in data.notes]
    if not data.points.empty:
        first, last = data.points.iloc[0]["period"], data.points.iloc[-1]["period"]
        title = f"People sleeping rough in England on a single autumn night, {first} to {last}"
        statuses = data.points.get("observation_status")
        with_notes = statuses is not None and statuses.notna().any()
        columns = [Column("Year"), Column("People sleeping rough", numeric=True)]
        columns += [Column("Note")] if with_notes else []
        rows = [
            [p.period, text.number(p.value, "count")]
            + ([text.status_words(p.observation_status)] if with_notes else [])
            for p in data.points.itertuples()
        ]
        table = data_table("table-rough-sleeping-count", title, columns, rows)
        if trend_div:
            parts.append(chart_figure(TREND_ID, title, trend_div, text.describe_trend(data.points)))
        parts.append(collapsible("Show the figures behind the chart as a table", table))
        if download:
            parts.append(download_link(download, "Download the England totals"))
    parts.append("</section>")
    return "".join(parts)
