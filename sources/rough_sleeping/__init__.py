"""MHCLG 'Rough sleeping snapshot in England' tables: LA counts and rates per 100,000, autumn 2010 on.

parse_workbook(path) -> Edition    one edition, reconciled against its England/region rows
parse(files) -> SourceTables       each year from the newest edition restating it
discover(http, base_url=...)       every edition's tables file via the GOV.UK Content API
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes
from .discover import BASE_URL, discover
from .meta import INDICATORS, LICENCE, SOURCE, SOURCE_ID

if TYPE_CHECKING:
    from .edition import Edition, parse_workbook
    from .parse import dataset_of, parse

# The parser, imported when first used (sources/lazy.py): discovering and registering never parse.
lazy_attributes(
    __name__,
    {
        "Edition": ".edition",
        "parse_workbook": ".edition",
        "parse": ".parse",
        "dataset_of": ".parse",
    },
)

__all__ = [
    "SOURCE",
    "SOURCE_ID",
    "LICENCE",
    "INDICATORS",
    "BASE_URL",
    "Edition",
    "parse_workbook",
    "parse",
    "dataset_of",
    "discover",
]
