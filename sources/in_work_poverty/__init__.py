"""DWP Children in Low Income Families (local area statistics) and Stat-Xplore in-work measures.

No official LA-level in-work poverty statistic exists; these are the closest proxies (SOURCE.md).
"""

from .govuk import GOVUK_BASE, discover
from .meta import INDICATORS, LICENCE, SOURCE_ID, STATXPLORE_INDICATORS
from .parse import parse
from .statxplore import (
    STAT_XPLORE_BASE,
    StatXploreError,
    StatXploreKeyRejected,
    StatXploreResult,
    api_key_from_env,
    build_query,
    cube_to_frame,
    cube_to_indicator,
    fetch_statxplore,
    unavailable_indicators,
)

__all__ = [
    "SOURCE_ID",
    "LICENCE",
    "INDICATORS",
    "STATXPLORE_INDICATORS",
    "discover",
    "parse",
    "GOVUK_BASE",
    "STAT_XPLORE_BASE",
    "fetch_statxplore",
    "unavailable_indicators",
    "api_key_from_env",
    "build_query",
    "cube_to_frame",
    "cube_to_indicator",
    "StatXploreResult",
    "StatXploreError",
    "StatXploreKeyRejected",
]


def dataset_of(raw) -> str | None:
    """Every CiLIF workbook is an edition of one dataset: one that cannot be read gives way to another."""
    return "the CiLIF local-area workbook" if raw.original_name.lower().endswith(".ods") else None
