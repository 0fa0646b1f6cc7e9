"""What every source package provides, so assets/ can treat them alike.

Every publisher is a package sources/<source_id>/ of the same shape:
    meta.py      SOURCE: Source              # its one registered description (sources/registry.py)
    discover.py  discover(http)              # live path: find the releases via the publisher's API
    parse.py     parse(files) -> SourceTables, dataset_of(raw) -> str | None (bad_files.py)
    __init__.py  re-exports SOURCE, discover, parse and dataset_of
parse() raises sources.errors.SourceError, naming file, sheet, row and column, on bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from .editions import Edition
from .tidy import TableContract, empty_tidy

OGL = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)."
)


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    title: str
    source_id: str
    unit: str
    polarity: str  # "higher_is_better" | "lower_is_better" | "neutral"
    description: str
    domain: str = ""  # e.g. low_pay, in_work_poverty, housing, social_mobility, context
    edition_group: str = ""  # indicators published in one table: one edition per period for all
    fallback_for: tuple[str, ...] = ()  # indicators this one stands in for when they are unavailable
    fallback_caveat: str = ""  # what a reader must know when it does


@dataclass(frozen=True)
class Source:
    """One publisher's registered description: the catalogue (marts.sources, marts.indicators),
    the CLI's preflight and the assets read this, and nothing else, about a source."""

    source_id: str  # the package and mirror folder name
    title: str
    publisher: str
    licence: str  # attribution line
    host: str  # the publisher host the live path talks to (the CLI checks it when offline)
    indicators: tuple[Indicator, ...] = ()
    keep_former_areas: bool = False  # parse() keeps values of abolished areas as harmonisation weights
    parse_settings: tuple[str, ...] = ()  # deployment settings passed to parse() by name
    # A publisher API that needs a key beyond the files (Stat-Xplore): the resource's secret of that
    # name goes to the package's supplement(tables, http, key); only whether it is set is recorded.
    api_key: str | None = None
    # The contract of each extra table parse() returns (landing.<source_id>__<name>): its DDL and
    # its part of the one GX suite are made from it; an undeclared table is refused at landing.
    extra_tables: dict[str, TableContract] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Reconciliation:
    """A comparison with the publisher's own total. Failed ones are raised as SourceError by parse()."""

    check: str  # e.g. "sum of LAs = England, 2022"
    file: str
    expected: float
    actual: float

    @property
    def passed(self) -> bool:
        return abs(self.expected - self.actual) < 1e-6


@dataclass
class SourceTables:
    values: pd.DataFrame = field(default_factory=empty_tidy)  # tidy, local-authority rows
    aggregates: pd.DataFrame = field(default_factory=empty_tidy)  # tidy, publisher's England/region/etc rows
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)  # source-specific tables (e.g. lookups)
    reconciliations: list[Reconciliation] = field(default_factory=list)
    releases: list[str] = field(default_factory=list)  # editions actually used
    notes: list[str] = field(default_factory=list)  # human-readable remarks (skipped files...)
    editions: list[Edition] = field(default_factory=list)  # publication dates, where known
    edition_choice: pd.DataFrame | None = None  # set by catalogue.parse_source
