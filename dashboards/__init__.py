"""Static, offline dashboard site rendered from the published DuckDB warehouse.

Pure Python (no dagster): build_site() reads the warehouse read-only and writes HTML, CSS, the
bundled plotly.js and CSV downloads; serve() previews the folder on a local port.
"""

from .serve import serve
from .site import build_site

__all__ = ["build_site", "serve"]
