"""The catalogue of sources and indicators (marts.sources, marts.indicators), read from the one
registry (sources/registry.py), and parse_source(): a source's parse() then one edition per period."""

from __future__ import annotations

import pandas as pd

from .base import Indicator, SourceTables
from .editions import one_edition_per_period
from .registry import package, registered, source


def parse_source(source_id: str, files: list, **options) -> SourceTables:
    """The source's parse(), then one edition per indicator group and period (sources/editions.py);
    the choice is in tables.edition_choice (landing.source_editions)."""
    described = source(source_id)
    tables = package(source_id).parse(files, **options)
    groups = {i.indicator_id: i.edition_group or i.indicator_id for i in described.indicators}
    tables.values, tables.aggregates, chosen, former = one_edition_per_period(
        source_id, tables.values, tables.aggregates, tables.editions, groups
    )
    if described.keep_former_areas:  # harmonisation weights, never published
        tables.extra["former_area_values"] = former
    superseded = chosen[chosen["rows_superseded"] > 0]
    for row in superseded.itertuples():
        tables.notes.append(
            f"{row.release}: {row.rows_superseded} {row.edition_group} rows for "
            f"{row.periods_superseded} not used (a newer edition covers those periods)"
        )
    if not chosen.empty:  # a source without indicator rows (geography) keeps the releases it names
        used = set(chosen.loc[chosen["used"], "release"].dropna())
        tables.releases = [r for r in tables.releases if r in used] or sorted(used)
    tables.edition_choice = chosen
    return tables


def all_indicators() -> list[Indicator]:
    return [i for s in registered() for i in s.indicators]


def indicators_frame() -> pd.DataFrame:
    rows = [{**i.__dict__, "fallback_for": ",".join(i.fallback_for)} for i in all_indicators()]
    return pd.DataFrame(
        rows,
        columns=[
            "indicator_id",
            "title",
            "source_id",
            "unit",
            "polarity",
            "description",
            "domain",
            "fallback_for",
            "fallback_caveat",
        ],
    )


def sources_frame() -> pd.DataFrame:
    rows = [
        {"source_id": s.source_id, "title": s.title, "publisher": s.publisher, "licence": s.licence}
        for s in registered()
    ]
    return pd.DataFrame(rows, columns=["source_id", "title", "publisher", "licence"])


__all__ = ["all_indicators", "indicators_frame", "parse_source", "sources_frame"]
