"""Identity of the population source: id, licence and the indicators it publishes."""

from __future__ import annotations

from ..base import OGL, Indicator, Source
from ..tidy import GSS_CODE, TIDY_TABLE, TableContract, column

SOURCE_ID = "population"
LICENCE = "Source: Office for National Statistics (mid-year population estimates; Nomis). " + OGL

ALL_AGES = "population_all_ages"
AGED_16_64 = "population_aged_16_64"
INDICATORS = [
    Indicator(
        ALL_AGES,
        "Population, all ages",
        SOURCE_ID,
        "count",
        "neutral",
        "ONS mid-year estimate, all ages",
        "context",
        edition_group="mid_year_estimates",
    ),
    Indicator(
        AGED_16_64,
        "Population aged 16 to 64",
        SOURCE_ID,
        "count",
        "neutral",
        "ONS mid-year estimate, people aged 16 to 64 (sum of single years of age)",
        "context",
        edition_group="mid_year_estimates",
    ),
]

# The extra tables parse() returns, landed as landing.population__<name>.
EXTRA_TABLES = {
    "areas": TableContract(
        (column("area_code", required=True, pattern=GSS_CODE), column("area_name"), column("geography")),
        key=("area_code",),
    ),
    "lad_county": TableContract(
        (
            column("lad_code", required=True, pattern=GSS_CODE),
            column("county_code", required=True, pattern=GSS_CODE),
            column("county_name"),
        ),
        key=("lad_code",),
    ),
    "former_area_values": TIDY_TABLE,  # keep_former_areas (below)
}

SOURCE = Source(
    SOURCE_ID,
    title="Mid-year population estimates",
    publisher="Office for National Statistics",
    licence=LICENCE,
    host="www.ons.gov.uk",
    indicators=tuple(INDICATORS),
    # Populations of areas abolished since the newest edition (from the edition superseded for that
    # year) are kept as landing.population__former_area_values: weights for harmonising other
    # sources' values published on old boundaries, never published as population figures themselves.
    keep_former_areas=True,
    extra_tables=EXTRA_TABLES,
)
