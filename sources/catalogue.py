"""All indicators the pipeline publishes, gathered from each source module."""
from __future__ import annotations

import importlib

import pandas as pd

from .base import Indicator

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


def all_indicators() -> list[Indicator]:
    out: list[Indicator] = []
    for source_id in SOURCE_MODULES:
        out.extend(getattr(load_source(source_id), "INDICATORS", []))
    return out


def indicators_frame() -> pd.DataFrame:
    rows = [i.__dict__ for i in all_indicators()]
    return pd.DataFrame(rows, columns=["indicator_id", "title", "source_id", "unit", "polarity",
                                       "description", "domain"])


SOURCE_TITLES = {
    "geography": ("ONS Open Geography: local authority boundaries and lookups", "Office for National Statistics"),
    "population": ("Mid-year population estimates", "Office for National Statistics"),
    "rough_sleeping": ("Rough sleeping snapshot in England", "Ministry of Housing, Communities and Local Government"),
    "living_wage_ashe": ("Employee jobs below the living wage; Annual Survey of Hours and Earnings",
                         "Office for National Statistics"),
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
