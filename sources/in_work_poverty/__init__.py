"""DWP Children in Low Income Families (local area statistics) and Stat-Xplore in-work measures.

No official LA-level in-work poverty statistic exists; these are the closest proxies (SOURCE.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes
from .discover import GOVUK_BASE, discover
from .meta import INDICATORS, LICENCE, SOURCE, SOURCE_ID, STATXPLORE_INDICATORS

if TYPE_CHECKING:
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

# The parser and the Stat-Xplore client, imported when first used (sources/lazy.py): discovering and
# registering never parse.
lazy_attributes(
    __name__,
    {
        "parse": ".parse",
        "dataset_of": ".parse",
        "STAT_XPLORE_BASE": ".statxplore",
        "StatXploreError": ".statxplore",
        "StatXploreKeyRejected": ".statxplore",
        "StatXploreResult": ".statxplore",
        "build_query": ".statxplore",
        "cube_to_frame": ".statxplore",
        "cube_to_indicator": ".statxplore",
        "fetch_statxplore": ".statxplore",
        "supplement": ".statxplore",
        "unavailable_indicators": ".statxplore",
    },
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
