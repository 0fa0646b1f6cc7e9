"""GeoJSON geometry prepared for plotly.js geo maps.

plotly.js draws with d3-geo, which reads ring direction on the sphere: an exterior ring must run
clockwise, or d3 fills the whole globe except the area. RFC 7946 GeoJSON (ONS files included)
runs exteriors anticlockwise, so rings are rewound here. Coordinates are also rounded to shrink
the page.
"""

from __future__ import annotations

COORD_DECIMALS = 3  # about 100 m: below a pixel on a national map, and a much lighter page


def for_plotly(geometry: dict, decimals: int = COORD_DECIMALS) -> dict:
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        return dict(geometry, geometries=[for_plotly(g, decimals) for g in geometry["geometries"]])
    coords = geometry.get("coordinates", [])
    if kind == "Polygon":
        return dict(geometry, coordinates=_polygon(coords, decimals))
    if kind == "MultiPolygon":
        return dict(geometry, coordinates=[_polygon(p, decimals) for p in coords])
    return geometry


def _polygon(rings: list, decimals: int) -> list:
    out = []
    for i, ring in enumerate(rings):
        ring = _rounded(ring, decimals)
        clockwise = _signed_area(ring) < 0
        wanted = i == 0  # exterior clockwise, holes anticlockwise
        out.append(ring if clockwise == wanted else ring[::-1])
    return out


def _rounded(ring: list, decimals: int) -> list:
    """Round and drop repeated points; a ring that would collapse keeps more precision."""
    out = []
    for x, y, *_ in ring:
        point = [round(x, decimals), round(y, decimals)]
        if not out or point != out[-1]:
            out.append(point)
    return out if len(out) >= 4 or decimals >= 6 else _rounded(ring, decimals + 2)


def _signed_area(ring: list) -> float:
    """Shoelace sum: positive when the ring runs anticlockwise with x east and y north."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1])) / 2
