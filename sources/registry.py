"""The one registry of publishers. Each is a package sources/<source_id>/ whose meta.SOURCE is its
registered description (sources/base.py: Source); the catalogue, the CLI's preflight and the
assets all read it from here.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .base import Source

# In refresh order. Geography and population come first: others lean on them.
SOURCE_IDS = (
    "geography",
    "population",
    "living_wage_ashe",
    "in_work_poverty",
    "rough_sleeping",
    "social_mobility",
)


def package_name(source_id: str) -> str:
    if source_id not in SOURCE_IDS:
        raise KeyError(f"unknown source {source_id!r}; sources are: {', '.join(SOURCE_IDS)}")
    return f"sources.{source_id}"


def package(source_id: str) -> ModuleType:
    """The source's package: discover(), parse() and dataset_of()."""
    return importlib.import_module(package_name(source_id))


def source(source_id: str) -> Source:
    """The source's registered description, from its meta module alone (no parser imported)."""
    return importlib.import_module(package_name(source_id) + ".meta").SOURCE


def registered() -> list[Source]:
    return [source(s) for s in SOURCE_IDS]
