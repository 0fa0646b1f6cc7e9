"""ONS geography: England LADs on the newest vintage, their regions, combined authorities, LEPs,
code changes since 2011 and light web boundaries. Publishes no indicators; other sources use it
to map their LAD codes to the target vintage (target_code_map) and to draw maps.

Tables (SourceTables.extra): areas, area_changes, lad_region, lad_combined_authority, lad_lep,
boundaries, lad_itl (ITL3/2/1 from the ONS LAD20 xlsx) and lad_lsip (DfE LSIPs); the last two are
empty, with a note, when their optional xlsx is absent. See parse.py for how the target vintage is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes
from .discover import ONS_ARCGIS, discover, fetch_layer
from .meta import INDICATORS, LICENCE, SOURCE, SOURCE_ID

if TYPE_CHECKING:
    from .changes import MERGERS_2023, RECODES_2025, target_code_map
    from .parse import dataset_of, parse

# The parser and the code-change tables, imported when first used (sources/lazy.py): the parser brings
# geopandas, shapely and openpyxl (about a second), which registering the source, discovering its
# files and a refresh with nothing new never use.
lazy_attributes(
    __name__,
    {
        "parse": ".parse",
        "dataset_of": ".parse",
        "MERGERS_2023": ".changes",
        "RECODES_2025": ".changes",
        "target_code_map": ".changes",
    },
)


__all__ = [
    "SOURCE",
    "SOURCE_ID",
    "LICENCE",
    "INDICATORS",
    "ONS_ARCGIS",
    "MERGERS_2023",
    "RECODES_2025",
    "discover",
    "fetch_layer",
    "parse",
    "dataset_of",
    "target_code_map",
]
