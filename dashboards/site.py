"""Build the static site: read the warehouse once, then write pages, shared assets and downloads.

Layout of the output folder:
  index.html, methodology.html, downloads.html   the overview and site-wide pages
  areas/<code>.html                               one page per LAD, region, combined authority and LEP
  assets/                                         site.css, site.js, plotly.min.js, boundaries.js (shared)
  data/                                           CSV and Parquet downloads (data/areas/<code>-*.csv|parquet)
"""
from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from plotly.offline import get_plotlyjs

from . import area_page, coproduction, data, figures, index_sections, pages, warehouse
from .geometry import for_plotly
from .overview import MapData, Overview, load_overview

PACKAGE_DIR = Path(__file__).resolve().parent
METHODOLOGY = PACKAGE_DIR.parent / "docs" / "methodology.md"
STATIC_ASSETS = ("site.css", "site.js")
SITE_TABLES = ("indicators", "indicator_values", "aggregate_values", "areas", "area_groupings", "sources")


def build_site(warehouse_path: str | Path, out_dir: str | Path, *, area_codes: list[str] | None = None,
               methodology: str | Path | None = None) -> dict:
    """Render the site into out_dir and return a summary.

    area_codes limits the area pages built (None: every area; [] for the index only).
    Summary keys: pages, bytes ({page: size}), figures (index chart ids), charts ({page: chart ids}),
    tables ({page: number of <table>s}), downloads, example_data, notes, reading_ease ({page: score}),
    igplus (bool: IG+ tables present), seconds.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    con = warehouse.connect(warehouse_path)
    try:
        overview = load_overview(con)
        sd = data.load(con)
        present = warehouse.marts_tables(con)
        site_tables = {t: warehouse.read_table(con, t) for t in SITE_TABLES if t in present}
    finally:
        con.close()
    _write_assets(out, sd)
    written: dict[str, str] = {}
    pages_html: dict[str, str] = {}
    charts_by_page: dict[str, list[str]] = {}
    reading: dict[str, float] = {}

    downloads = _write_downloads(overview, out)
    chart_divs = _index_charts(overview)
    igplus_html, igplus_specs = index_sections.igplus_section(sd)
    pages_html["index.html"] = pages.index_page(
        overview, chart_divs, downloads, igplus_html=igplus_html, areas_html=index_sections.areas_section(sd),
        freshness_html=index_sections.freshness_section(sd), example_data=sd.example_data)
    charts_by_page["index.html"] = list(igplus_specs) + list(chart_divs)
    if sd.records_example and sd.table("igplus_scores") is not None:
        example_html, example_specs = index_sections.example_section(sd)
        pages_html[index_sections.EXAMPLE_PAGE] = pages.example_page(
            example_html, built_at=sd.build_info.get("built_at", ""))
        charts_by_page[index_sections.EXAMPLE_PAGE] = list(example_specs)

    layer = area_page.map_layer(sd)
    codes = sd.areas.loc[sd.areas["area_type"].isin(data.AREA_TYPES), "area_code"].tolist() \
        if area_codes is None else list(area_codes)
    (out / "areas").mkdir(parents=True, exist_ok=True)
    (out / "data" / "areas").mkdir(parents=True, exist_ok=True)
    for code in codes:
        page = area_page.build_area_page(sd, code, layer)
        frames = {("Indicator figures", "indicators"): page.tables,
                  ("Co-production totals", "coproduction"): page.records}
        if sd.table("igplus_scores") is not None:
            frames[("IG+ scores", "igplus")] = _igplus_rows(sd, code)
        links = {}
        for (label, slug), frame in frames.items():
            if len(frame):
                path = f"data/areas/{code}-{slug}.csv"
                _write_frame(frame, out / path)
                links.update({f"{label} (CSV)": path, f"{label} (Parquet)": path[:-4] + ".parquet"})
        name = f"areas/{code}.html"
        pages_html[name] = page.html.replace(area_page.DOWNLOADS_SLOT, area_page.downloads_html(links), 1)
        charts_by_page[name] = page.charts
        reading[name] = round(page.reading_ease, 1)

    method_path = Path(methodology) if methodology else METHODOLOGY
    pages_html["methodology.html"] = pages.methodology_page(
        _markdown(method_path), example_data=sd.example_data, built_at=sd.build_info.get("built_at", ""))
    mart_files = _write_marts(out, site_tables, sd)
    pages_html["downloads.html"] = pages.downloads_page(
        mart_files, example_data=sd.example_data, built_at=sd.build_info.get("built_at", ""))
    charts_by_page["methodology.html"] = charts_by_page["downloads.html"] = []

    sizes = {}
    for name, html in pages_html.items():
        path = out / name
        path.write_text(html, encoding="utf-8")
        sizes[name] = path.stat().st_size
        written[name] = name
    return {
        "pages": list(pages_html),
        "bytes": sizes,
        "figures": charts_by_page["index.html"],
        "charts": charts_by_page,
        "tables": {n: h.count("<table") for n, h in pages_html.items()},
        "downloads": sorted(downloads.values()) + ["data/sources.csv"]
        + [p for _, c, q in mart_files for p in (c, q) if p],
        "example_data": sd.example_data,
        "notes": overview.rate_map.notes + overview.trend.notes,
        "reading_ease": reading,
        "igplus": sd.table("igplus_scores") is not None,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _index_charts(ov: Overview) -> dict[str, str]:
    charts = {}
    if ov.rate_map.period is not None and ov.rate_map.mapped_codes:
        charts[pages.MAP_ID] = figures.chart_html(pages.MAP_ID, _rate_map_spec(ov.rate_map))
    if not ov.trend.points.empty:
        points = ov.trend.points
        spec = figures.line(points["period"].tolist(), {"England": points["value"].tolist()},
                            "People sleeping rough", "Autumn snapshot")
        charts[pages.TREND_ID] = figures.chart_html(pages.TREND_ID, spec)
    return charts


def _rate_map_spec(data: MapData) -> dict:
    from . import text
    import html
    rows = data.values[data.values["area_code"].isin(data.geometries)]
    hover = []
    for r in rows.itertuples():
        lines = [f"<b>{html.escape(str(r.area_name))}</b>",
                 "No published value" if text.is_missing(r.value)
                 else f"{text.number(r.value, data.unit)} {text.unit_phrase(data.unit)}"]
        span = text.interval(r.lower_ci, r.upper_ci, data.unit)
        lines += [f"Likely range {span}"] if span else []
        status = text.status_words(r.observation_status)
        lines += [html.escape(status)] if status else []
        hover.append("<br>".join(lines))
    return figures.choropleth(rows, text.unit_phrase(data.unit).capitalize(), hover=hover,
                              polarity="lower_is_better", robust=True)


def _write_assets(out: Path, sd: data.SiteData) -> None:
    assets = out / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    plotly_js = assets / "plotly.min.js"
    source = get_plotlyjs()
    if not plotly_js.is_file() or plotly_js.stat().st_size != len(source.encode("utf-8")):
        plotly_js.write_text(source, encoding="utf-8")
    for name in STATIC_ASSETS:
        shutil.copyfile(PACKAGE_DIR / name, assets / name)
    # One shared file of boundaries (rewound for d3, rounded): pages carry only codes and values.
    shapes = {code: for_plotly(geometry) for code, geometry in sorted(sd.boundaries.items())}
    (assets / "boundaries.js").write_text(
        "window.SiteBoundaries=" + json.dumps(shapes, separators=(",", ":")) + ";\n", encoding="utf-8")
    (assets / "search.js").write_text(index_sections.search_index_js(sd), encoding="utf-8")


def _igplus_rows(sd: data.SiteData, code: str) -> pd.DataFrame:
    if "igplus_by_area" not in sd.cache:
        sd.cache["igplus_by_area"] = dict(tuple(sd.table("igplus_scores").groupby("area_code", sort=False)))
    rows = sd.cache["igplus_by_area"].get(code, sd.table("igplus_scores").iloc[0:0])
    unc = sd.table("igplus_uncertainty")
    if unc is not None and len(unc):
        keys = [k for k in ("year", "level", "component") if k in unc and k in rows]
        extra = unc[unc["area_code"] == code][keys + ["median_rank", "rank_p05", "rank_p95", "hot_cold"]]
        rows = rows.merge(extra, on=keys, how="left")
    return rows


def _write_frame(df: pd.DataFrame, csv_path: Path) -> None:
    """CSV and Parquet side by side (the .parquet next to the .csv)."""
    _csv(df, csv_path)
    pq.write_table(pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False),
                   csv_path.with_suffix(".parquet"))


def _write_marts(out: Path, tables: dict[str, pd.DataFrame], sd: data.SiteData) -> list[tuple[str, str, str]]:
    folder = out / "data" / "marts"
    folder.mkdir(parents=True, exist_ok=True)
    tables = dict(tables)
    records = sd.records.copy()
    if len(records):  # defence in depth: the mart already suppresses small counts of people
        small = records["counts_people"].fillna(False).astype(bool) & (records["value"] < coproduction.MIN_PEOPLE)
        records.loc[small, ["value", "observation_status"]] = [None, "suppressed"]
    tables["record_measures"] = records
    tables.update({k: v for k, v in sd.optional.items() if v is not None})
    listed = []
    for name, df in tables.items():
        _write_frame(df, folder / f"{name}.csv")
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
        return (f'<div class="table-wrap" role="region" tabindex="0" aria-label="{caption}">'
                f"<table><caption>{caption}</caption>")

    rendered = re.sub(r"<h[1-6][^>]*>(?P<heading>.*?)</h[1-6]>|<table>", wrap, rendered)
    return rendered.replace("</table>", "</table></div>")


def _write_downloads(ov: Overview, out: Path) -> dict[str, str]:
    """CSV copies of the tables behind each index figure, keyed by figure id; paths relative to the site."""
    data_dir = out / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    if ov.rate_map.period is not None:
        name = f"data/rough_sleeping_rate_by_local_authority_{_slug(ov.rate_map.period)}.csv"
        _csv(ov.rate_map.values, out / name)
        written[pages.MAP_ID] = name
    if not ov.trend.points.empty:
        trend = ov.trend.points.assign(area_code=warehouse.ENGLAND, area_name="England",
                                       basis=ov.trend.basis)
        _csv(trend, out / "data/rough_sleeping_count_england.csv")
        written[pages.TREND_ID] = "data/rough_sleeping_count_england.csv"
    _csv(ov.sources, data_dir / "sources.csv")
    return written


def _csv(df: pd.DataFrame, path: Path) -> None:
    # A leading = + - @ makes spreadsheets run a cell as a formula; quote such text cells.
    safe = df
    for col in df.columns[df.dtypes == object]:
        risky = df[col].map(lambda v: isinstance(v, str) and v[:1] in "=+-@")
        if risky.any():
            safe = safe.copy() if safe is df else safe
            safe[col] = df[col].where(~risky, "'" + df[col].astype(str))
    safe.to_csv(path, index=False)


def _slug(label: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", str(label)).strip("-") or "latest"
