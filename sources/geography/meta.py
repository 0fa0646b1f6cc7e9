"""Identity of the geography source: it publishes no indicators; others use its areas and lookups."""

from __future__ import annotations

from ..base import OGL, Indicator, Source
from ..tidy import GSS_CODE, TableContract, column

SOURCE_ID = "geography"
LICENCE = OGL + " Contains OS data © Crown copyright and database right."
INDICATORS: list[Indicator] = []

# The lookups parse() returns, landed as landing.geography__<name> (assets/landing.py) and checked
# by the one GX suite (assets/suites.py).
LAD = column("lad_code", required=True, pattern=GSS_CODE)
EXTRA_TABLES = {
    "areas": TableContract(
        (
            column("area_code", required=True, pattern=GSS_CODE),
            column("area_name"),
            column("area_type", allowed=("combined_authority", "country", "lad", "lep", "region")),
            column("region_code", pattern=GSS_CODE),
            column("region_name"),
            column("vintage"),
        ),
        key=("area_code", "vintage"),
    ),
    "area_changes": TableContract(
        (
            column("old_code", required=True, pattern=GSS_CODE),
            column("old_name"),
            column("new_code", required=True, pattern=GSS_CODE),
            column("new_name"),
            column("change_date"),
            column("change_type", allowed=("boundary", "merger", "recode")),
            column("vintage_from"),
            column("vintage_to"),
        ),
        key=("old_code", "new_code", "change_date"),
    ),
    "boundaries": TableContract(
        (
            column("area_code", required=True, pattern=GSS_CODE),
            column("area_name"),
            column("vintage"),
            column("geojson"),
        ),
        key=("area_code", "vintage"),
    ),
    "code_map": TableContract(
        (
            column("source_code", required=True, pattern=GSS_CODE),
            column("target_code", required=True, pattern=GSS_CODE),
            column("relation", allowed=("boundary", "identity", "merger", "recode")),
        ),
        key=("source_code",),
    ),
    "lad_region": TableContract(
        (LAD, column("region_code", pattern=GSS_CODE), column("region_name")), key=("lad_code",)
    ),
    "lad_combined_authority": TableContract(
        (LAD, column("ca_code", pattern=GSS_CODE), column("ca_name")), key=("lad_code",)
    ),
    "lad_lep": TableContract(
        (LAD, column("lep_code"), column("lep_name"), column("share_of_lad_area", "DOUBLE")),
        key=("lad_code", "lep_code"),
    ),
    "lad_itl": TableContract(
        (
            LAD,
            *(column(f"itl{level}_{part}") for level in (3, 2, 1) for part in ("code", "name")),
        ),
        key=("lad_code",),
    ),
    "lad_lsip": TableContract(
        (LAD, column("lsip_code"), column("lsip_name"), column("london_lsip_name")), key=("lad_code",)
    ),
}

SOURCE = Source(
    SOURCE_ID,
    title="ONS Open Geography: local authority boundaries and lookups",
    publisher="Office for National Statistics",
    licence=LICENCE,
    host="services1.arcgis.com",
    parse_settings=("target_vintage",),  # INCLUSION_TARGET_VINTAGE: the LAD vintage to harmonise to
    extra_tables=EXTRA_TABLES,
)
