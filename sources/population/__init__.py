"""ONS mid-year population estimates by local authority: the denominators for rates.

Two inputs, both optional in a call to parse():
* the ONS workbook mye<yy>tablesew.xlsx (workbook.py): MYE4 is the mid-2011.. time series (newest
  first) on the edition's LA boundaries, MYE2 - Persons gives single years of age for the latest year;
* Nomis API CSV pages (nomis.py), e.g. NM_2002_1, for all ages. The workbook is the official
  edition, so where both give the same area and year the workbook wins (parse.py).
discover() (discover.py) finds both on the live path; meta.py registers the source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes
from .discover import ONS_LANDING, discover
from .meta import INDICATORS, SOURCE, SOURCE_ID

if TYPE_CHECKING:
    from .parse import dataset_of, parse

# The parser, imported when first used (sources/lazy.py): discovering and registering never parse.
lazy_attributes(
    __name__,
    {
        "parse": ".parse",
        "dataset_of": ".parse",
    },
)

__all__ = ["SOURCE", "SOURCE_ID", "INDICATORS", "ONS_LANDING", "discover", "parse", "dataset_of"]
