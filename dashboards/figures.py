"""Plotly chart specs as plain JSON-ready dicts, drawn in the browser by assets/site.js.

Building dicts directly (not plotly.graph_objects) keeps a full-site build fast. Map traces say
geojson "shared": site.js fills in each area's boundary from the one shared assets/boundaries.js,
so no boundary is written into any page.
"""

from __future__ import annotations

import html
import json
import math

import pandas as pd

from . import text

PALETTE = "Cividis"  # sequential and colour-blind safe; dark blue is the low end
# Diverging, colour-blind safe (orange to purple, ColorBrewer PuOr): dark orange is the low end, so
# with reversescale for lower-is-better the worse end is always orange and the better end purple.
DIVERGING = [
    [0.0, "#b35806"],
    [0.2, "#f1a340"],
    [0.4, "#fee0b6"],
    [0.5, "#f7f7f7"],
    [0.6, "#d8daeb"],
    [0.8, "#998ec3"],
    [1.0, "#542788"],
]
NO_VALUE_FILL, NO_VALUE_LINE = "#ffffff", "#505a5f"
LINE_COLOUR = "#00224e"  # darkest cividis blue: 14:1 on white
# Okabe-Ito: distinguishable with every common colour-vision deficiency.
CATEGORY_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
FONT = {"family": "Arial, Helvetica, sans-serif", "size": 15, "color": "#0b0c0c"}
CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False, "topojsonURL": "assets/topojson/"}


def chart_html(div_id: str, spec: dict, asset_prefix: str = "") -> str:
    """An empty target div plus its spec; '</' is escaped so data can never close the script."""
    spec = dict(spec, config=dict(CONFIG, topojsonURL=f"{asset_prefix}assets/topojson/"))
    payload = json.dumps(spec, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    return (
        f'<div id="{div_id}" class="chart-target"></div>'
        f'<script type="application/json" class="chart-spec" data-target="{div_id}">{payload}</script>'
    )


def clean(values) -> list:
    """JSON-safe list: NaN/NA -> null, numpy scalars -> Python."""
    out = []
    for v in values:
        if text.is_missing(v) or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif hasattr(v, "item"):
            out.append(v.item())
        else:
            out.append(v)
    return out


def colour_range(values, *, clip: float = 0.02) -> tuple[float, float, list]:
    """A colour range robust to outliers: the 2nd to 98th percentile of the values (the whole range
    when that would hide nothing). Returns (zmin, zmax, outlier flags) so beyond-range areas can be
    marked; they are drawn in the end colours."""
    known = pd.Series(values, dtype="float64").dropna()
    if known.empty:
        return 0.0, 1.0, [False] * len(values)
    low, high = float(known.quantile(clip)), float(known.quantile(1 - clip))
    if high <= low:
        low, high = float(known.min()), float(known.max()) + (1e-9 if known.max() == known.min() else 0)
    flags = [not text.is_missing(v) and (v < low - 1e-12 or v > high + 1e-12) for v in values]
    return low, high, flags


def choropleth(
    rows: pd.DataFrame,
    colour_title: str,
    *,
    highlight: str | None = None,
    hover: list[str] | None = None,
    zmin: float | None = None,
    zmax: float | None = None,
    polarity: str = "higher_is_better",
    robust: bool = False,
    midpoint: float | None = None,
) -> dict:
    """rows: area_code, area_name, value. Areas without a value are white with a grey edge.

    One legend meaning on every map: the darkest colour is the worse end (a high rate where lower is
    better, a low score where higher is better). robust clips the colours to the 2nd-98th percentile
    so one outlier cannot flatten the map (outliers say so on hover); midpoint (England's value)
    makes the scale diverge around it. Colour is never the only cue: every map has a table.
    """
    hover = (
        hover
        if hover is not None
        else [
            f"<b>{html.escape(str(r.area_name))}</b><br>"
            + ("No value" if text.is_missing(r.value) else f"{r.value:,.1f}")
            for r in rows.itertuples()
        ]
    )
    rows = rows.assign(hover=hover)
    known, unknown = rows[rows["value"].notna()], rows[rows["value"].isna()]
    data = []
    if len(known):
        values = known["value"].astype(float).tolist()
        if robust:
            low, high, flags = colour_range(values)
            zmin = low if zmin is None else zmin
            zmax = high if zmax is None else zmax
            known = known.assign(
                hover=[
                    h + ("<br>Beyond the colour scale: shown in its end colour" if f else "")
                    for h, f in zip(known["hover"], flags)
                ]
            )
        zmin = zmin if zmin is not None else min(0.0, float(known["value"].min()))
        zmax = zmax if zmax is not None else float(known["value"].max())
        scale = {"colorscale": PALETTE, "reversescale": polarity == "lower_is_better"}
        if midpoint is not None and zmin < midpoint < zmax:
            scale = {"colorscale": DIVERGING, "reversescale": polarity == "lower_is_better", "zmid": midpoint}
        colorbar = {"title": {"text": colour_title, "side": "right"}, "thickness": 14}
        below, above = min(values) < zmin - 1e-12, max(values) > zmax + 1e-12
        if below or above:  # the end labels say the colour also covers everything beyond
            ticks = [zmin + i * (zmax - zmin) / 4 for i in range(5)]
            labels = [f"{t:,.1f}" for t in ticks]
            labels[0] = ("\u2264 " if below else "") + labels[0]
            labels[-1] = ("\u2265 " if above else "") + labels[-1]
            colorbar.update(tickvals=ticks, ticktext=labels)
        data.append(
            {
                "type": "choropleth",
                "geojson": "shared",
                "locations": known["area_code"].tolist(),
                "z": clean(known["value"]),
                **scale,
                "name": colour_title,
                "zmin": zmin,
                "zmax": zmax,
                "marker": {
                    "line": {
                        "color": _outline(known["area_code"], highlight),
                        "width": _widths(known["area_code"], highlight),
                    }
                },
                "text": known["hover"].tolist(),
                "hoverinfo": "text",
                "colorbar": colorbar,
            }
        )
    if len(unknown):
        data.append(
            {
                "type": "choropleth",
                "geojson": "shared",
                "locations": unknown["area_code"].tolist(),
                "z": [0] * len(unknown),
                "colorscale": [[0, NO_VALUE_FILL], [1, NO_VALUE_FILL]],
                "showscale": False,
                "name": "No value",
                "marker": {
                    "line": {
                        "color": _outline(unknown["area_code"], highlight, NO_VALUE_LINE),
                        "width": _widths(unknown["area_code"], highlight, 0.8),
                    }
                },
                "text": unknown["hover"].tolist(),
                "hoverinfo": "text",
            }
        )
    layout = {
        "geo": {
            "fitbounds": "locations",
            "visible": False,
            "scope": "world",
            "resolution": 110,
            "projection": {"type": "mercator"},
        },
        "margin": {"l": 0, "r": 0, "t": 10, "b": 10},
        "font": FONT,
        "paper_bgcolor": "white",
        "dragmode": False,
    }
    return {"data": data, "layout": layout}


def with_highlight(spec: dict, highlight: str) -> dict:
    """A choropleth(...) spec made without highlight, as choropleth(..., highlight=highlight) gives it:
    that area outlined thick and black. Lets one map of a region serve each of its districts' pages."""
    data = []
    for trace in spec["data"]:
        no_value = trace.get("showscale") is False  # the trace of areas without a value
        line = {
            "color": _outline(trace["locations"], highlight, NO_VALUE_LINE if no_value else "white"),
            "width": _widths(trace["locations"], highlight, 0.8 if no_value else 0.4),
        }
        data.append(dict(trace, marker={"line": line}))
    return dict(spec, data=data)


def line(periods: list[str], series: dict[str, list], y_title: str, x_title: str = "", tickformat: str = ",") -> dict:
    """One line per series (first series darkest); markers differ too, so colour is not the only cue."""
    symbols = ["circle", "square", "diamond", "triangle-up"]
    colours = [LINE_COLOUR] + CATEGORY_COLOURS
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": [str(p) for p in periods],
            "y": clean(values),
            "line": {"color": colours[i % len(colours)], "width": 3},
            "marker": {"size": 8, "symbol": symbols[i % len(symbols)], "color": colours[i % len(colours)]},
            "hovertemplate": f"{html.escape(name)}, %{{x}}: %{{y:{tickformat}}}<extra></extra>",
        }
        for i, (name, values) in enumerate(series.items())
    ]
    layout = {
        "margin": {"l": 60, "r": 20, "t": 10, "b": 50},
        "font": FONT,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "dragmode": False,
        "showlegend": len(series) > 1,
        "legend": {"orientation": "h", "y": -0.25},
        "xaxis": {"type": "category", "title": {"text": x_title}, "showgrid": False, "linecolor": "#505a5f"},
        "yaxis": {
            "title": {"text": y_title},
            "rangemode": "tozero",
            "tickformat": tickformat,
            "gridcolor": "#dcdcdc",
            "linecolor": "#505a5f",
        },
    }
    return {"data": data, "layout": layout}


def scatter(points: pd.DataFrame, x_title: str, y_title: str) -> dict:
    """points: x, y, label, group (hot/cold/uncertain or similar); each group its own colour and marker."""
    symbols = ["circle", "square", "diamond", "triangle-up", "x"]
    data = []
    for i, (group, rows) in enumerate(points.groupby("group", sort=True)):
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": str(group),
                "x": clean(rows["x"]),
                "y": clean(rows["y"]),
                "text": [html.escape(str(t)) for t in rows["label"]],
                "hovertemplate": "<b>%{text}</b><br>"
                + f"{html.escape(x_title)}: %{{x:.1f}}<br>"
                + f"{html.escape(y_title)}: %{{y:.1f}}<extra></extra>",
                "marker": {
                    "size": 9,
                    "symbol": symbols[i % len(symbols)],
                    "color": CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)],
                    "line": {"color": "#0b0c0c", "width": 0.5},
                },
            }
        )
    layout = {
        "margin": {"l": 60, "r": 20, "t": 10, "b": 60},
        "font": FONT,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "dragmode": False,
        "legend": {"orientation": "h", "y": -0.2},
        "xaxis": {"title": {"text": x_title}, "gridcolor": "#dcdcdc", "zeroline": False},
        "yaxis": {"title": {"text": y_title}, "gridcolor": "#dcdcdc", "zeroline": False},
    }
    return {"data": data, "layout": layout}


def stacked_bars(categories: list[str], stacks: dict[str, list], x_title: str) -> dict:
    """Horizontal stacked bars (e.g. activities by ladder band per year); patterns back up colour."""
    patterns = ["", "/", ".", "x"]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": [str(c) for c in categories],
            "x": clean(values),
            "marker": {
                "color": CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)],
                "pattern": {"shape": patterns[i % len(patterns)], "fgcolor": "#ffffff"},
            },
            "hovertemplate": f"{html.escape(name)}, %{{y}}: %{{x}}<extra></extra>",
        }
        for i, (name, values) in enumerate(stacks.items())
    ]
    layout = {
        "barmode": "stack",
        "margin": {"l": 60, "r": 20, "t": 10, "b": 60},
        "font": FONT,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "dragmode": False,
        "legend": {"orientation": "h", "y": -0.3},
        "xaxis": {"title": {"text": x_title}, "gridcolor": "#dcdcdc", "rangemode": "tozero"},
        "yaxis": {"type": "category", "autorange": "reversed"},
    }
    return {"data": data, "layout": layout}


def _outline(codes, highlight: str | None, default: str = "white"):
    if highlight is None:
        return default
    return ["#0b0c0c" if c == highlight else default for c in codes]


def _widths(codes, highlight: str | None, default: float = 0.4):
    if highlight is None:
        return default
    return [3.0 if c == highlight else default for c in codes]
