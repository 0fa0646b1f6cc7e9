"""Identity of the rough sleeping source: id, licence, indicators and the snapshot window."""

from __future__ import annotations

from datetime import date

from ..base import OGL, Indicator, Source
from ..tidy import GSS_CODE, TableContract, column

SOURCE_ID = "rough_sleeping"

LICENCE = (
    "Rough sleeping snapshot in England, Ministry of Housing, Communities and Local Government "
    "(MHCLG; DLUHC 2021-2024). " + OGL
)

SNAPSHOT_TABLES = "snapshot_tables"  # counts and rates restated together by each edition
COUNT = "rough_sleeping_count"
RATE = "rough_sleeping_rate"

INDICATORS = [
    Indicator(
        COUNT,
        "People sleeping rough on a single autumn night",
        SOURCE_ID,
        "count",
        "lower_is_better",
        "Number of people seen, or thought to be, sleeping rough on one night chosen by the local "
        "authority between 1 October and 30 November (count or evidence-based estimate).",
        domain="housing",
        edition_group=SNAPSHOT_TABLES,
    ),
    Indicator(
        RATE,
        "People sleeping rough per 100,000 population",
        SOURCE_ID,
        "rate_per_100k",
        "lower_is_better",
        "Autumn snapshot of people sleeping rough per 100,000 residents, as published by MHCLG "
        "with ONS mid-year population estimates.",
        domain="housing",
        edition_group=SNAPSHOT_TABLES,
    ),
]


def release_label(year: int) -> str:
    return f"autumn {year}"


def snapshot_window(year: int) -> tuple[date, date]:
    """Each authority picks one night between 1 October and 30 November."""
    return date(year, 10, 1), date(year, 11, 30)


# The extra table parse() returns, landed as landing.rough_sleeping__areas.
EXTRA_TABLES = {
    "areas": TableContract(
        (
            column("area_code", required=True, pattern=GSS_CODE),
            column("area_name"),
            column("region_code", pattern=GSS_CODE),
            column("region_name"),
            column("release"),
        ),
        key=("area_code", "release"),
    ),
}

SOURCE = Source(
    SOURCE_ID,
    title="Rough sleeping snapshot in England",
    publisher="Ministry of Housing, Communities and Local Government",
    licence=LICENCE,
    host="www.gov.uk",
    indicators=tuple(INDICATORS),
    extra_tables=EXTRA_TABLES,
)
