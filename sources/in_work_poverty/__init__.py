"""DWP Children in Low Income Families (local area statistics) and Stat-Xplore in-work measures.

No official LA-level in-work poverty statistic exists; these are the closest proxies (SOURCE.md).
"""

from .discover import GOVUK_BASE, discover
from .meta import INDICATORS, LICENCE, SOURCE, SOURCE_ID, STATXPLORE_INDICATORS
from .parse import dataset_of, parse
from .statxplore import (
    STAT_XPLORE_BASE,
    StatXploreError,
    StatXploreKeyRejected,
    StatXploreResult,
    build_query,
    cube_to_frame,
    cube_to_indicator,
    fetch_statxplore,
    supplement,
    unavailable_indicators,
)

__all__ = [
    "SOURCE",
    "SOURCE_ID",
    "LICENCE",
    "INDICATORS",
    "STATXPLORE_INDICATORS",
    "discover",
    "parse",
    "dataset_of",
    "GOVUK_BASE",
    "STAT_XPLORE_BASE",
    "fetch_statxplore",
    "supplement",
    "unavailable_indicators",
    "build_query",
    "cube_to_frame",
    "cube_to_indicator",
    "StatXploreResult",
    "StatXploreError",
    "StatXploreKeyRejected",
]
