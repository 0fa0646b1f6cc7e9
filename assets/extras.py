"""What a source's landing takes beyond its files, as its registered Source description says:
the deployment settings its parse() names, and a publisher API key for its supplement()."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from sources.base import Source, SourceTables
from sources.http import HttpClient
from sources.registry import package


def recorded_inputs(described: Source, api_key: str | None) -> dict:
    """What the landing depends on besides files and code: whether its API key is set (never the
    key itself), so setting one re-runs the source."""
    return {f"{described.api_key}_set": bool(api_key)} if described.api_key else {}


def parse_options(described: Source, settings) -> dict:
    """Keyword arguments a source's parse() takes from the deployment's settings (those it names),
    read from the publishers resource (assets/resources.py)."""
    return {name: getattr(settings, name) for name in described.parse_settings if getattr(settings, name) is not None}


def derive_extra_tables(
    described: Source, tables: SourceTables, http: HttpClient, api_key: str | None = None
) -> dict[str, pd.DataFrame]:
    """The parsed extra tables, plus the indicators the source's API supplement left unavailable."""
    extras = dict(tables.extra)
    if described.api_key:
        extras["unavailable_indicators"] = package(described.source_id).supplement(tables, http, api_key)
    return extras
