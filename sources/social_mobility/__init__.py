"""Social Mobility Commission: State of the Nation composite indices for 205 UK areas.

Files: CI1-CI4 '--full-dataset.csv' from the SMC data explorer, joined by name to GSS codes
through the explorer's 205-area map; optionally the 2017 Social Mobility Index workbook.
Values are z-scores (unit 'score': standardised scores around the UK average of 0, not an index
with a base of 100); the publisher's 7 categories go to extra['categories'].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes
from .discover import DEFAULT_BASE_URL, discover
from .meta import INDICATORS, LICENCE, SOURCE, SOURCE_ID

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

__all__ = ["SOURCE", "SOURCE_ID", "LICENCE", "INDICATORS", "DEFAULT_BASE_URL", "discover", "parse", "dataset_of"]
