"""Plotly figures for the site, rendered as <div>s that use the locally bundled plotly.js."""
from __future__ import annotations

import html

import plotly.graph_objects as go
import plotly.io as pio

from . import text
from .geometry import for_plotly
from .overview import MapData, TrendData

PALETTE = "Cividis"        # sequential and colour-blind safe
NO_VALUE_FILL, NO_VALUE_LINE = "#ffffff", "#505a5f"  # unlike any cividis colour
LINE_COLOUR = "#00224e"    # darkest cividis blue: 14:1 on white
FONT = dict(family="Arial, Helvetica, sans-serif", size=15, color="#0b0c0c")

# No toolbar (fewer keyboard stops for board members); topojsonURL points at our own folder so a
# base-map fetch could never leave the site (assets/site.js pre-fills the empty base map anyway).
PLOT_CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False,
               "topojsonURL": "assets/topojson/"}


def figure_div(fig: go.Figure, div_id: str, height: int, asset_prefix: str = "") -> str:
    config = dict(PLOT_CONFIG, topojsonURL=f"{asset_prefix}assets/topojson/")
    return pio.to_html(fig, include_plotlyjs=False, include_mathjax=False, full_html=False,
                       div_id=div_id, config=config, default_height=f"{height}px",
                       default_width="100%")


def rate_map(data: MapData) -> go.Figure:
    unit_phrase = text.unit_phrase(data.unit)
    rows = data.values[data.values["area_code"].isin(data.geometries)]
    known, unknown = rows[rows["value"].notna()], rows[rows["value"].isna()]
    fig = go.Figure()
    fig.add_trace(go.Choropleth(
        geojson=_collection(known["area_code"], data.geometries), locations=known["area_code"],
        z=known["value"], colorscale=PALETTE, zmin=0, marker_line_color="white", marker_line_width=0.4,
        hovertext=[_hover(r, data.unit) for r in known.itertuples()], hoverinfo="text",
        colorbar=dict(title=dict(text=unit_phrase.capitalize(), side="right"), thickness=14),
        name="Rate"))
    if len(unknown):
        fig.add_trace(go.Choropleth(
            geojson=_collection(unknown["area_code"], data.geometries), locations=unknown["area_code"],
            z=[0] * len(unknown),
            colorscale=[[0, NO_VALUE_FILL], [1, NO_VALUE_FILL]], showscale=False,
            marker_line_color=NO_VALUE_LINE, marker_line_width=0.8,
            hovertext=[_hover(r, data.unit) for r in unknown.itertuples()], hoverinfo="text",
            name="No value"))
    fig.update_geos(fitbounds="locations", visible=False, scope="world", resolution=110,
                    projection_type="mercator")
    fig.update_layout(margin=dict(l=0, r=0, t=10, b=10), font=FONT, paper_bgcolor="white",
                      dragmode=False)
    return fig


def trend_line(data: TrendData) -> go.Figure:
    points = data.points
    fig = go.Figure(go.Scatter(
        x=points["period"].astype(str), y=points["value"], mode="lines+markers",
        line=dict(color=LINE_COLOUR, width=3), marker=dict(size=8, color=LINE_COLOUR),
        hovertemplate="%{x}: %{y:,.0f} people<extra></extra>", name="England"))
    fig.update_layout(
        margin=dict(l=60, r=20, t=10, b=50), font=FONT, plot_bgcolor="white", paper_bgcolor="white",
        xaxis=dict(type="category", title="Autumn snapshot", showgrid=False, linecolor="#505a5f"),
        yaxis=dict(title="People sleeping rough", rangemode="tozero", tickformat=",",
                   gridcolor="#dcdcdc", linecolor="#505a5f"),
        dragmode=False, showlegend=False)
    return fig


def _collection(codes, geometries: dict[str, dict]) -> dict:
    """Only each trace's own areas, so no boundary is written into the page twice."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": code, "properties": {}, "geometry": for_plotly(geometries[code])}
        for code in codes]}


def _hover(row, unit: str) -> str:
    # Plotly renders hover text as a small HTML subset, so data strings are escaped here too.
    lines = [f"<b>{html.escape(str(row.area_name))}</b>"]
    if text.is_missing(row.value):
        lines.append("No published value")
    else:
        lines.append(f"{text.number(row.value, unit)} {text.unit_phrase(unit)}")
    span = text.interval(row.lower_ci, row.upper_ci, unit)
    if span:
        lines.append(f"Likely range {span}")
    status = text.status_words(row.observation_status)
    if status:
        lines.append(html.escape(status))
    return "<br>".join(lines)

