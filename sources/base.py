"""What every source module provides, so assets/ can treat them alike.

A source module (sources/<source_id>.py or package) exposes:
    SOURCE_ID: str                       # the mirror folder name
    INDICATORS: list[Indicator]          # what it publishes, for marts.indicators
    LICENCE: str                         # attribution line
    discover(http) -> list[RemoteFile]   # live path: find the newest release via the publisher's API
    parse(files: list[RawFile]) -> SourceTables
parse() raises sources.errors.SourceError, naming file, sheet, row and column, on bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .editions import Edition
from .tidy import empty_tidy

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
