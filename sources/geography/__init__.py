"""ONS geography: England LADs on the newest vintage, their regions, combined authorities, LEPs,
code changes since 2011 and light web boundaries. Publishes no indicators; other sources use it
to map their LAD codes to the target vintage (target_code_map) and to draw maps.

Tables (SourceTables.extra): areas, area_changes, lad_region, lad_combined_authority, lad_lep,
boundaries, lad_itl (ITL3/2/1 from the ONS LAD20 xlsx) and lad_lsip (DfE LSIPs); the last two are
empty, with a note, when their optional xlsx is absent. See parse.py for how the target vintage is built.
"""

from __future__ import annotations

import importlib
from typing import Any

from .changes import MERGERS_2023, RECODES_2025, target_code_map
from .discover import ONS_ARCGIS, discover, fetch_layer
from .meta import INDICATORS, LICENCE, SOURCE, SOURCE_ID

PARSER = ("parse", "dataset_of")


def __getattr__(name: str) -> Any:
    """parse and dataset_of, imported when first asked for: the parser brings geopandas, shapely and
    openpyxl (about a second), which registering the source and a refresh with nothing new never use."""
    if name not in PARSER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(".parse", __name__)
    globals().update({n: getattr(module, n) for n in PARSER})  # over the submodule the import bound
    return globals()[name]


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
