"""Build the static site: read the warehouse, draw figures, write pages, assets and CSV downloads."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
from plotly.offline import get_plotlyjs

from . import figures, pages, warehouse
from .overview import Overview, load_overview

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_ASSETS = ("site.css", "site.js")
MAP_HEIGHT, TREND_HEIGHT = 620, 420


def build_site(warehouse_path: str | Path, out_dir: str | Path) -> dict:
    """Render the site into out_dir and return a summary.

    Summary keys: pages (list of page paths), bytes ({page: size}), figures (figure div ids),
    downloads (CSV paths), example_data (bool), notes (fallback messages shown on the pages).
    """
    out = Path(out_dir)
    con = warehouse.connect(warehouse_path)
    try:
        overview = load_overview(con)
    finally:
        con.close()
    _write_assets(out)
    downloads = _write_downloads(overview, out)
    charts = _chart_divs(overview)
    index = out / "index.html"
    index.write_text(pages.index_page(overview, charts, downloads), encoding="utf-8")
    return {
        "pages": ["index.html"],
        "bytes": {"index.html": index.stat().st_size},
        "figures": list(charts),
        "downloads": sorted(downloads.values()) + ["data/sources.csv"],
        "example_data": overview.example_data,
        "notes": overview.rate_map.notes + overview.trend.notes,
    }


def _chart_divs(ov: Overview) -> dict[str, str]:
    charts = {}
    if ov.rate_map.period is not None and ov.rate_map.mapped_codes:
        charts[pages.MAP_ID] = figures.figure_div(figures.rate_map(ov.rate_map), pages.MAP_ID, MAP_HEIGHT)
    if not ov.trend.points.empty:
        charts[pages.TREND_ID] = figures.figure_div(figures.trend_line(ov.trend), pages.TREND_ID,
                                                    TREND_HEIGHT)
    return charts


def _write_assets(out: Path) -> None:
    assets = out / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    (assets / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    for name in STATIC_ASSETS:
        shutil.copyfile(PACKAGE_DIR / name, assets / name)


def _write_downloads(ov: Overview, out: Path) -> dict[str, str]:
    """CSV copies of the tables behind each figure, keyed by figure id; paths relative to the site."""
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
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
    _csv(ov.sources, data / "sources.csv")
    return written


def _csv(df: pd.DataFrame, path: Path) -> None:
    # A leading = + - @ makes spreadsheets run a cell as a formula; quote such text cells.
    safe = df.copy()
    for col in safe.columns[safe.dtypes == object]:
        safe[col] = safe[col].map(lambda v: "'" + v if isinstance(v, str) and v[:1] in "=+-@" else v)
    safe.to_csv(path, index=False)


def _slug(label: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", str(label)).strip("-") or "latest"
