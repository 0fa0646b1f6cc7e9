"""ONS: employee jobs paid below the real Living Wage, and ASHE median pay, by local authority.

Files (see ../shared/data/living_wage_ashe/SOURCE.md):
* the living-wage zip: Table 7 LWF.1a (jobs below the Living Wage Foundation rate, by *work*
  geography) and its CV twin LWF.1b. The CV table is mandatory: it gives every interval.
* ASHE Table 8 (home = resident) or Table 7 (work = workplace) parts .1a (weekly gross pay) and
  .5a (hourly gross pay), with their .b CV tables when present. The mirror holds only
  8.1a (weekly, no CV table), so offline runs give median_weekly_pay_resident without intervals;
  hourly pay comes from 8.5a/7.5a when supplied; live, Nomis (NM_30_1 / NM_99_1) gives weekly and
  hourly median pay for every April from 2014.

Choices:
* Provisional editions: values keep observation_status NULL (they are the publisher's normal
  estimates) and `release` says e.g. "2022 provisional", so revisions are visible without
  marking every value. 'provisional' stays for publishers that flag single values.
* Survey estimates at different levels are not additive (the England count is not the sum of
  LAs), so counts are not reconciled across levels; instead each CV table must list exactly the
  estimates' areas (SourceError otherwise).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes
from .discover import discover
from .meta import INDICATORS, LICENCE, SOURCE, SOURCE_ID

if TYPE_CHECKING:
    from .nomis import parse_nomis_ashe
    from .parse import dataset_of, parse
    from .quality import confidence_interval

# The parser, imported when first used (sources/lazy.py): discovering and registering never parse.
lazy_attributes(
    __name__,
    {
        "parse_nomis_ashe": ".nomis",
        "parse": ".parse",
        "dataset_of": ".parse",
        "confidence_interval": ".quality",
    },
)

__all__ = [
    "SOURCE",
    "SOURCE_ID",
    "LICENCE",
    "INDICATORS",
    "discover",
    "parse",
    "dataset_of",
    "parse_nomis_ashe",
    "confidence_interval",
]
