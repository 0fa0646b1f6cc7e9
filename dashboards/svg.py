"""Tiny inline SVG charts (trend sparklines, rank intervals): no script, a few hundred bytes each.

Each is one image (role="img") whose aria-label is the plain-text description; the figures are also
in a table next to it.
"""
from __future__ import annotations

import html

from .words import ordinal

INK, SOFT, MARK = "#00224e", "#505a5f", "#0b0c0c"


def sparkline(values: list[float | None], label: str, width: int = 160, height: int = 40) -> str:
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return ""
    lo, hi = min(v for _, v in points), max(v for _, v in points)
    span, n = (hi - lo) or 1.0, max(len(values) - 1, 1)
    pad = 4
    xy = [(pad + i * (width - 2 * pad) / n, height - pad - (v - lo) * (height - 2 * pad) / span) for i, v in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    last_x, last_y = xy[-1]
    return (f'<svg class="spark" role="img" aria-label="{html.escape(label)}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" focusable="false">'
            f'<polyline fill="none" stroke="{INK}" stroke-width="2" points="{path}"/>'
            f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="3.5" fill="{INK}"/></svg>')


def rank_interval(rank: float, low: float, high: float, n: int, label: str, width: int = 320) -> str:
    """A line from the 5th to the 95th percentile rank, a dot at the rank; rank 1 on the left."""
    if not n or n < 2:
        return ""
    pad, y = 10, 22
    scale = lambda r: pad + (r - 1) * (width - 2 * pad) / (n - 1)  # noqa: E731
    x0, x1, xm = scale(low), scale(high), scale(rank)
    return (f'<svg class="interval" role="img" aria-label="{html.escape(label)}" viewBox="0 0 {width} 44" '
            f'width="{width}" height="44" focusable="false">'
            f'<line x1="{pad}" y1="{y}" x2="{width - pad}" y2="{y}" stroke="{SOFT}" stroke-width="1"/>'
            f'<line x1="{x0:.1f}" y1="{y}" x2="{x1:.1f}" y2="{y}" stroke="{INK}" stroke-width="8" '
            f'stroke-linecap="round"/><circle cx="{xm:.1f}" cy="{y}" r="7" fill="#ffffff" stroke="{MARK}" '
            f'stroke-width="3"/><text x="{pad}" y="42" font-size="11" fill="{MARK}">1st (best)</text>'
            f'<text x="{width - pad}" y="42" font-size="11" fill="{MARK}" text-anchor="end">{ordinal(n)}</text></svg>')
