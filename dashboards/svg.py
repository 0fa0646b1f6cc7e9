"""Tiny inline SVG charts (trend sparklines, rank intervals): no script, a few hundred bytes each.

Each is one image (role="img") whose aria-label is the plain-text description; the figures are also
in a table next to it.
"""

from __future__ import annotations

import html

from .words import ordinal

INK, SOFT, MARK = "#00224e", "#505a5f", "#0b0c0c"
BAND = "#c9d3e6"  # the likely range (confidence interval) behind a trend line


def sparkline(
    values: list[float | None],
    label: str,
    width: int = 160,
    height: int = 40,
    lower: list[float | None] | None = None,
    upper: list[float | None] | None = None,
) -> str:
    """A trend line; where the publisher gives confidence intervals, a shaded band shows them."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return ""
    band = [
        (i, lo, hi)
        for i, (lo, hi) in enumerate(zip(lower or [], upper or []))
        if lo is not None and hi is not None and values[i] is not None
    ]
    every = [v for _, v in points] + [x for _, lo, hi in band for x in (lo, hi)]
    lo_all, hi_all = min(every), max(every)
    span, n = (hi_all - lo_all) or 1.0, max(len(values) - 1, 1)
    pad = 4
    x_of = lambda i: pad + i * (width - 2 * pad) / n  # noqa: E731
    y_of = lambda v: height - pad - (v - lo_all) * (height - 2 * pad) / span  # noqa: E731
    xy = [(x_of(i), y_of(v)) for i, v in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    last_x, last_y = xy[-1]
    shade = ""
    if len(band) >= 2:
        ring = [(x_of(i), y_of(hi)) for i, _, hi in band] + [(x_of(i), y_of(lo)) for i, lo, _ in reversed(band)]
        shade = f'<polygon fill="{BAND}" stroke="none" points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in ring) + '"/>'
    elif len(band) == 1:
        i, lo, hi = band[0]
        shade = (
            f'<line x1="{x_of(i):.1f}" y1="{y_of(lo):.1f}" x2="{x_of(i):.1f}" y2="{y_of(hi):.1f}" '
            f'stroke="{SOFT}" stroke-width="2"/>'
        )
    return (
        f'<svg class="spark" role="img" aria-label="{html.escape(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" focusable="false">{shade}'
        f'<polyline fill="none" stroke="{INK}" stroke-width="2" points="{path}"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="3.5" fill="{INK}"/></svg>'
    )


def rank_interval(rank: float, low: float, high: float, n: int, label: str, width: int = 320) -> str:
    """A line from the 5th to the 95th percentile rank, a dot at the rank; rank 1 on the left."""
    if not n or n < 2:
        return ""
    pad, y = 10, 22
    scale = lambda r: pad + (r - 1) * (width - 2 * pad) / (n - 1)  # noqa: E731
    x0, x1, xm = scale(low), scale(high), scale(rank)
    return (
        f'<svg class="interval" role="img" aria-label="{html.escape(label)}" viewBox="0 0 {width} 44" '
        f'width="{width}" height="44" focusable="false">'
        f'<line x1="{pad}" y1="{y}" x2="{width - pad}" y2="{y}" stroke="{SOFT}" stroke-width="1"/>'
        f'<line x1="{x0:.1f}" y1="{y}" x2="{x1:.1f}" y2="{y}" stroke="{INK}" stroke-width="8" '
        f'stroke-linecap="round"/><circle cx="{xm:.1f}" cy="{y}" r="7" fill="#ffffff" stroke="{MARK}" '
        f'stroke-width="3"/><text x="{pad}" y="42" font-size="11" fill="{MARK}">1st (best)</text>'
        f'<text x="{width - pad}" y="42" font-size="11" fill="{MARK}" text-anchor="end">{ordinal(n)}</text></svg>'
    )
