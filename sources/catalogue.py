"""All indicators the pipeline publishes, gathered from each source module."""

from __future__ import annotations

import importlib

import pandas as pd

from .base import Indicator, SourceTables
from .editions import one_edition_per_period

# Source modules in refresh order. Geography and population come first: others lean on them.
SOURCE_MODULES = {
    "geography": "sources.geography",
    "population": "sources.population",
    "living_wage_ashe": "sources.living_wage_ashe",
    "in_work_poverty": "sources.in_work_poverty",
    "rough_sleeping": "sources.rough_sleeping",
    "social_mobility": "sources.social_mobility",
}


def load_source(source_id: str):
    return importlib.import_module(SOURCE_MODULES[source_id])


def parse_source(source_id: str, files: list, **options) -> SourceTables:
    """The source's parse(), then one edition per indicator group and period (sources/editions.py);
    the choice is in tables.edition_choice (landing.source_editions)."""
    module = load_source(source_id)
    tables = module.parse(files, **options)
    groups = {i.indicator_id: i.edition_group or i.indicator_id for i in getattr(module, "INDICATORS", [])}
    tables.values, tables.aggregates, chosen, former = one_edition_per_period(
        source_id, tables.values, tables.aggregates, tables.editions, groups
    )
    if getattr(module, "KEEP_FORMER_AREAS", False):  # harmonisation weights, never published
        tables.extra["former_area_values"] = former
    superseded = chosen[chosen["rows_superseded"] > 0]
    for row in superseded.itertuples():
        tables.notes.append(
            f"{row.release}: {row.rows_superseded} {row.edition_group} rows for "
            f"{row.periods_superseded} not used (a newer edition covers those periods)"
        )
    used = set(chosen.loc[chosen["used"], "release"].dropna())
    tables.releases = [r for r in tables.releases if r in used] or sorted(used)
    tables.edition_choice = chosen
    return tables


def all_indicators() -> list[Indicator]:
    out: list[Indicator] = []
    for source_id in SOURCE_MODULES:
        out.extend(getattr(load_source(source_id), "INDICATORS", []))
    return out


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


SOURCE_TITLES = {
    "geography": ("ONS Open Geography: local authority boundaries and lookups", "Office for National Statistics"),
    "population": ("Mid-year population estimates", "Office for National Statistics"),
    "rough_sleeping": ("Rough sleeping snapshot in England", "Ministry of Housing, Communities and Local Government"),
    "living_wage_ashe": (
        "Employee jobs below the living wage; Annual Survey of Hours and Earnings",
        "Office for National Statistics",
    ),
    "in_work_poverty": ("Children in low income families: local area statistics", "Department for Work and Pensions"),
    "social_mobility": ("State of the Nation: social mobility composite indices", "Social Mobility Commission"),
}


def sources_frame() -> pd.DataFrame:
    rows = []
    for source_id in SOURCE_MODULES:
        title, publisher = SOURCE_TITLES.get(source_id, (source_id, ""))
        licence = getattr(load_source(source_id), "LICENCE", "Open Government Licence v3.0")
        rows.append({"source_id": source_id, "title": title, "publisher": publisher, "licence": licence})
    return pd.DataFrame(rows, columns=["source_id", "title", "publisher", "licence"])
