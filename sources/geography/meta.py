"""Identity of the geography source: it publishes no indicators; others use its areas and lookups."""

from __future__ import annotations

from ..base import OGL, Indicator, Source

SOURCE_ID = "geography"
LICENCE = OGL + " Contains OS data © Crown copyright and database right."
INDICATORS: list[Indicator] = []

SOURCE = Source(
    SOURCE_ID,
    title="ONS Open Geography: local authority boundaries and lookups",
    publisher="Office for National Statistics",
    licence=LICENCE,
    host="services1.arcgis.com",
    parse_settings=("target_vintage",),  # INCLUSION_TARGET_VINTAGE: the LAD vintage to harmonise to
)
