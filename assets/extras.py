"""Tables derived from a source's own output before loading (kept out of the generic factory)."""

from __future__ import annotations

import pandas as pd

from sources.base import Source, SourceTables
from sources.http import HttpClient


def recorded_inputs(source_id: str, statxplore_key: str | None) -> dict:
    """What a source's landing depends on besides its files and code: whether a Stat-Xplore key is
    there (never the key itself), so setting one re-runs in-work poverty."""
    if source_id == "in_work_poverty":
        return {"statxplore_key_set": bool(statxplore_key)}
    return {}


def parse_options(described: Source, settings) -> dict:
    """Keyword arguments a source's parse() takes from the deployment's settings (those it names)."""
    return {name: getattr(settings, name) for name in described.parse_settings if getattr(settings, name) is not None}


def derive_extra_tables(
    source_id: str, tables: SourceTables, http: HttpClient, statxplore_key: str | None = None
) -> dict[str, pd.DataFrame]:
    extras = dict(tables.extra)
    if source_id == "in_work_poverty":
        extras["unavailable_indicators"] = _add_stat_xplore(tables, http, statxplore_key)
    return extras


def _add_stat_xplore(tables: SourceTables, http: HttpClient, key: str | None) -> pd.DataFrame:
    """Stat-Xplore needs a key and the internet; without either its indicators are unavailable,
    which is reported, not a failure of the whole source."""
    from sources.errors import SourceUnavailable
    from sources.in_work_poverty import StatXploreError, fetch_statxplore
    from sources.in_work_poverty.meta import STATXPLORE_INDICATORS

    try:
        result = fetch_statxplore(http, key)
    except (StatXploreError, SourceUnavailable) as exc:
        tables.notes.append(str(exc))
        return pd.DataFrame({"indicator_id": list(STATXPLORE_INDICATORS), "reason": str(exc)})
    if result.note:
        tables.notes.append(result.note)
    if not result.values.empty:
        tables.values = pd.concat([tables.values, result.values], ignore_index=True)
    return pd.DataFrame({"indicator_id": result.unavailable, "reason": result.note or ""})
