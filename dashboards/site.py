"""Build the static site: read the warehouse once, then write pages, shared assets and downloads.

Layout of the output folder:
  index.html, methodology.html, downloads.html   the overview and site-wide pages
  areas/<code>.html                               one page per LAD, region, combined authority and LEP
  assets/                                         site.css, site.js, plotly.min.js, boundaries.js (shared)
  data/                                           CSV and Parquet downloads (data/areas/<code>-*.csv|parquet)
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import re
import signal
import time
from pathlib import Path

import pandas as pd
from plotly.offline import get_plotlyjs

from . import (
    area_page,
    area_records,
    coproduction,
    data,
    downloads,
    figures,
    igplus_view,
    index_sections,
    org_report,
    pages,
    rules,
    sitefiles,
    tiles,
    warehouse,
)
from .geometry import for_plotly
from .overview import MapData, Overview, load_overview

PACKAGE_DIR = Path(__file__).resolve().parent
METHODOLOGY = PACKAGE_DIR.parent / "docs" / "methodology.md"
STATIC_ASSETS = ("site.css", "site.js", "report.css")
MAX_WORKERS = 4
SITE_TABLES = (
    "indicators",
    "indicator_values",
    "aggregate_values",
    "areas",
    "area_groupings",
    "sources",
    *org_report.TABLES,
    "place_standard",
    "activity_profile",
)


def build_site(
    warehouse_path: str | Path,
    out_dir: str | Path,
    *,
    area_codes: list[str] | None = None,
    methodology: str | Path | None = None,
    workers: int | None = None,
    igplus_config: str | Path | None = None,
) -> dict:
    """Render the site and publish it at out_dir in one step (dashboards/sitefiles.py); return a summary.

    out_dir becomes a symlink to a complete version folder; a kill mid-build leaves the last one.
    workers: processes rendering area pages (default: the CPU count, at most MAX_WORKERS).
    igplus_config: the IG+ config file whose `reporting` rules apply (default config/igplus.v1.yaml).

    area_codes limits the area pages built (None: every area; [] for the index only).
    Summary keys: pages, bytes ({page: size}), figures (index chart ids), charts ({page: chart ids}),
    tables ({page: number of <table>s}), downloads, example_data, notes, reading_ease ({page: score}),
    igplus (bool: IG+ tables present), files_written, files_unchanged (linked from the last
    version, not rewritten), seconds.
    """
    started = time.perf_counter()
    site = Path(out_dir)
    con = warehouse.connect(warehouse_path)
    try:
        overview = load_overview(con)
        sd = data.load(con)
        sd.cache["rules"] = rules.load(Path(igplus_config) if igplus_config else None)
        present = warehouse.marts_tables(con)
        site_tables = {t: warehouse.read_table(con, t) for t in SITE_TABLES if t in present}
        reports = org_report.load(con)
        area_extra = area_records.load(con)
    finally:
        con.close()
    out = sitefiles.begin(site)
    _write_assets(out, sd)
    pages_html: dict[str, str] = {}
    charts_by_page: dict[str, list[str]] = {}
    reading: dict[str, float] = {}

    downloads = _write_downloads(overview, out)
    chart_divs = _index_charts(overview)
    igplus_html, igplus_specs = index_sections.igplus_section(sd)
    pages_html["index.html"] = pages.index_page(
        overview,
        chart_divs,
        downloads,
        igplus_html=igplus_html,
        areas_html=index_sections.areas_section(sd),
        freshness_html=index_sections.freshness_section(sd),
        example_data=sd.example_data,
    )
    if reports is not None:  # Inclusion Reports listed on the index, just before the end of the page
        pages_html["index.html"] = pages_html["index.html"].replace(
            "</main>", org_report.links_section(reports.organisations, "these areas", "") + "</main>", 1
        )
    charts_by_page["index.html"] = list(igplus_specs) + list(chart_divs)
    if sd.records_example and sd.table("igplus_scores") is not None:
        example_html, example_specs = index_sections.example_section(sd)
        pages_html[index_sections.EXAMPLE_PAGE] = pages.example_page(
            example_html, built_at=sd.build_info.get("built_at", "")
        )
        charts_by_page[index_sections.EXAMPLE_PAGE] = list(example_specs)

    codes = (
        sd.areas.loc[sd.areas["area_type"].isin(data.AREA_TYPES), "area_code"].tolist()
        if area_codes is None
        else list(area_codes)
    )
    area_pages = _area_pages(sd, codes, out, workers, (area_extra, reports))

    if reports is not None:
        for org in reports.organisations["organisation_id"]:
            name = org_report.page_path(org)
            pages_html[name], charts_by_page[name] = org_report.build_page(
                reports,
                org,
                dict(zip(sd.areas["area_code"], sd.areas["area_name"])),
                example=sd.records_example,
                built_at=sd.build_info.get("built_at", ""),
            )

    method_path = Path(methodology) if methodology else METHODOLOGY
    pages_html["methodology.html"] = pages.methodology_page(
        _markdown(method_path), example_data=sd.example_data, built_at=sd.build_info.get("built_at", "")
    )
    mart_files = _write_marts(out, site_tables, sd)
    pages_html["downloads.html"] = pages.downloads_page(
        mart_files, example_data=sd.example_data, built_at=sd.build_info.get("built_at", "")
    )
    charts_by_page["methodology.html"] = charts_by_page["downloads.html"] = []

    sizes, tables = {}, {}
    for name, html in pages_html.items():
        sizes[name] = out.write_text(name, html).stat().st_size
        tables[name] = html.count("<table")
    for page in area_pages:
        sizes[page["name"]], tables[page["name"]] = page["bytes"], page["tables"]
        charts_by_page[page["name"]] = page["charts"]
        reading[page["name"]] = page["reading_ease"]
    sitefiles.commit(site, out)
    return {
        "pages": list(pages_html) + [p["name"] for p in area_pages],
        "bytes": sizes,
        "figures": charts_by_page["index.html"],
        "charts": charts_by_page,
        "tables": tables,
        "downloads": sorted(downloads.values())
        + ["data/sources.csv"]
        + [p for _, c, q in mart_files for p in (c, q) if p],
        "example_data": sd.example_data,
        "notes": overview.rate_map.notes + overview.trend.notes,
        "reading_ease": reading,
        "igplus": sd.table("igplus_scores") is not None,
        "files_written": out.written,
        "files_unchanged": out.linked,
        "seconds": round(time.perf_counter() - started, 2),
    }


# The area pages are rendered by forked workers sharing the data loaded once (copy on write).
_SHARED: dict = {}


def _area_pages(
    sd: data.SiteData,
    codes: list[str],
    out: sitefiles.SiteWriter,
    workers: int | None,
    records_views: tuple = ({}, None),
) -> list[dict]:
    """Render and write every area page and its downloads; facts about each page, in codes' order.
    records_views: (area_records.load(...), org_report.load(...)) for the co-production sections."""
    _SHARED.update(
        sd=sd,
        layer=area_page.map_layer(sd),
        out=out,
        records_views=records_views,
        igplus=_igplus_download(sd, codes) if codes else None,  # every page's rows, formatted before forking
        indicators=_indicator_download(sd, codes) if codes else None,
    )
    workers = min(workers or os.cpu_count() or 1, MAX_WORKERS, max(1, len(codes) // 8))
    try:
        if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            results = [_area_page(code) for code in codes]
        else:
            # The first page here fills the per-build caches once, for every worker; frozen objects
            # are left alone by the workers' garbage collector, so their pages stay shared.
            results = [_area_page(codes[0])]
            gc.freeze()
            pool = multiprocessing.get_context("fork").Pool(workers, initializer=_default_signals)
            try:
                results += pool.map(_area_page, codes[1:], chunksize=max(1, len(codes) // (workers * 4)))
                pool.close()
            finally:
                pool.terminate()
                pool.join()
                gc.unfreeze()
    finally:
        _SHARED.clear()
    out.written += sum(r.pop("written") for r in results)
    out.linked += sum(r.pop("linked") for r in results)
    return results


def _default_signals() -> None:
    """Workers forked from a Dagster run must not run its interrupt handlers when stopped."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _area_page(code: str) -> dict:
    sd, layer, out = _SHARED["sd"], _SHARED["layer"], _SHARED["out"]
    before = (out.written, out.linked)
    page = area_page.build_area_page(sd, code, layer)
    frames = {("Indicator figures", "indicators"): page.tables, ("Co-production totals", "coproduction"): page.records}
    links = {}
    indicators = _SHARED["indicators"]
    for (label, slug), frame in frames.items():
        if slug == "indicators" and indicators is not None and code in indicators:
            indicators.write(code, out, f"data/areas/{code}-indicators.csv")  # page.tables is its slice
            links.update({f"{label} (CSV)": f"data/areas/{code}-indicators.csv"})
            links.update({f"{label} (Parquet)": f"data/areas/{code}-indicators.parquet"})
        elif len(frame):
            path = f"data/areas/{code}-{slug}.csv"
            downloads.write_frame(frame, out, path)
            links.update({f"{label} (CSV)": path, f"{label} (Parquet)": path[:-4] + ".parquet"})
    igplus = _SHARED["igplus"]
    if igplus is not None and igplus.write(code, out, f"data/areas/{code}-igplus.csv"):
        path = f"data/areas/{code}-igplus.csv"
        links.update({"IG+ scores (CSV)": path, "IG+ scores (Parquet)": path[:-4] + ".parquet"})
    name = f"areas/{code}.html"
    extra_html, extra_charts = area_records.sections(*_SHARED["records_views"], sd, code)
    html = page.html.replace(area_page.DOWNLOADS_SLOT, extra_html + area_page.downloads_html(links), 1)
    html = area_records.with_chart_scripts(html, bool(extra_charts))
    size = out.write_text(name, html).stat().st_size
    return {
        "name": name,
        "bytes": size,
        "tables": html.count("<table"),
        "charts": page.charts + extra_charts,
        "reading_ease": round(page.reading_ease, 1),
        "written": out.written - before[0],
        "linked": out.linked - before[1],
    }


def _index_charts(ov: Overview) -> dict[str, str]:
    charts = {}
    if ov.rate_map.period is not None and ov.rate_map.mapped_codes:
        charts[pages.MAP_ID] = figures.chart_html(pages.MAP_ID, _rate_map_spec(ov.rate_map))
    if not ov.trend.points.empty:
        points = ov.trend.points
        spec = figures.line(
            points["period"].tolist(), {"England": points["value"].tolist()}, "People sleeping rough", "Autumn snapshot"
        )
        charts[pages.TREND_ID] = figures.chart_html(pages.TREND_ID, spec)
    return charts


def _rate_map_spec(data: MapData) -> dict:
    import html

    from . import text

    rows = data.values[data.values["area_code"].isin(data.geometries)]
    hover = []
    for r in rows.itertuples():
        lines = [
            f"<b>{html.escape(str(r.area_name))}</b>",
            "No published value"
            if text.is_missing(r.value)
            else f"{text.number(r.value, data.unit)} {text.unit_phrase(data.unit)}",
        ]
        span = text.interval(r.lower_ci, r.upper_ci, data.unit)
        lines += [f"Likely range {span}"] if span else []
        status = text.status_words(r.observation_status)
        lines += [html.escape(status)] if status else []
        hover.append("<br>".join(lines))
    return figures.choropleth(
        rows, text.unit_phrase(data.unit).capitalize(), hover=hover, polarity="lower_is_better", robust=True
    )


def _write_assets(out: sitefiles.SiteWriter, sd: data.SiteData) -> None:
    out.write_text("assets/plotly.min.js", get_plotlyjs())
    for name in STATIC_ASSETS:
        out.write_bytes(f"assets/{name}", (PACKAGE_DIR / name).read_bytes())
    # One shared file of boundaries (rewound for d3, rounded): pages carry only codes and values.
    shapes = {code: for_plotly(geometry) for code, geometry in sorted(sd.boundaries.items())}
    out.write_text("assets/boundaries.js", "window.SiteBoundaries=" + json.dumps(shapes, separators=(",", ":")) + ";\n")
    out.write_text("assets/search.js", index_sections.search_index_js(sd))


def _indicator_download(sd: data.SiteData, codes: list[str]) -> downloads.AreaTable:
    """Every area's indicator table (tiles.indicator_tables), kept for the pages (cut per area by
    tiles.indicator_table) and formatted once for their downloads."""
    table, spans = tiles.indicator_tables(sd, codes)
    sd.cache["indicator_tables"] = (table, spans)
    return downloads.AreaTable(table)


def _igplus_download(sd: data.SiteData, codes: list[str]) -> downloads.AreaTable | None:
    """The IG+ download rows (marts.igplus_scores with its rank intervals) of the areas built, formatted once."""
    scores = sd.table("igplus_scores")
    if scores is None:
        return None
    scores = scores[scores["area_code"].isin(codes)]
    unc = sd.table("igplus_uncertainty")
    if unc is not None and len(unc):
        keys = ["area_code"] + [k for k in ("year", "level", "component") if k in unc and k in scores]
        extra = unc[keys + ["median_rank", "rank_p05", "rank_p95", "hot_cold"]]
        scores = scores.merge(extra, on=keys, how="left")
    return downloads.AreaTable(scores, igplus_view.reporting_rules(sd))


def _write_marts(
    out: sitefiles.SiteWriter, tables: dict[str, pd.DataFrame], sd: data.SiteData
) -> list[tuple[str, str, str]]:
    tables = dict(tables)
    records = sd.records.copy()
    if len(records):  # defence in depth: the mart already suppresses small counts of people
        small = records["counts_people"].fillna(False).astype(bool) & (records["value"] < coproduction.MIN_PEOPLE)
        records.loc[small, ["value", "observation_status"]] = [None, "suppressed"]
    tables["record_measures"] = records
    tables.update({k: v for k, v in sd.optional.items() if v is not None})
    shown = igplus_view.reporting_rules(sd)
    tables = {name: shown.without_small_ranks(df) for name, df in tables.items()}
    listed = []
    for name, df in tables.items():
        downloads.write_frame(df, out, f"data/marts/{name}.csv")
        listed.append((f"marts.{name} ({len(df):,} rows)", f"data/marts/{name}.csv", f"data/marts/{name}.parquet"))
    return listed


def _markdown(path: Path) -> str | None:
    if not path.is_file():
        return None
    import markdown

    rendered = markdown.markdown(path.read_text(encoding="utf-8"), extensions=["tables", "fenced_code", "toc"])
    return _accessible_tables(rendered)


def _accessible_tables(rendered: str) -> str:
    """Markdown tables get a caption (the heading above them) and a scrolling region for phones."""
    count = 0
    heading = "Table"

    def wrap(match: re.Match) -> str:
        nonlocal count, heading
        if match.group("heading") is not None:
            heading = re.sub(r"<[^>]+>", "", match.group("heading")).strip() or heading
            return match.group(0)
        count += 1
        caption = f"{heading}: table {count}"
        return (
            f'<div class="table-wrap" role="region" tabindex="0" aria-label="{caption}">'
            f"<table><caption>{caption}</caption>"
        )

    rendered = re.sub(r"<h[1-6][^>]*>(?P<heading>.*?)</h[1-6]>|<table>", wrap, rendered)
    return rendered.replace("</table>", "</table></div>")


def _write_downloads(ov: Overview, out: sitefiles.SiteWriter) -> dict[str, str]:
    """CSV copies of the tables behind each index figure, keyed by figure id; paths relative to the site."""
    written = {}
    if ov.rate_map.period is not None:
        name = f"data/rough_sleeping_rate_by_local_authority_{_slug(ov.rate_map.period)}.csv"
        downloads.write_csv(ov.rate_map.values, out, name)
        written[pages.MAP_ID] = name
    if not ov.trend.points.empty:
        trend = ov.trend.points.assign(area_code=warehouse.ENGLAND, area_name="England", basis=ov.trend.basis)
        downloads.write_csv(trend, out, "data/rough_sleeping_count_england.csv")
        written[pages.TREND_ID] = "data/rough_sleeping_count_england.csv"
    downloads.write_csv(ov.sources, out, "data/sources.csv")
    return written


def _slug(label: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", str(label)).strip("-") or "latest"
