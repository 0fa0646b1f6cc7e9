"""Tables derived from a source's own output before loading (kept out of the generic factory)."""
from __future__ import annotations

import pandas as pd

from pipelines.settings import Settings
from sources.base import SourceTables


def derive_extra_tables(source_id: str, tables: SourceTables, settings: Settings) -> dict[str, pd.DataFrame]:
    extras = dict(tables.extra)
    if source_id == "geography" and "area_changes" in extras:
        from sources.geography import target_code_map
        # The target vintage is the newest the geography source can build (see docs/methodology.md).
        extras["code_map"] = target_code_map(extras["area_changes"], extras["areas"])
    return extras
