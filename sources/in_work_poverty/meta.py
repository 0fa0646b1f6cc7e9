"""Identity of the in_work_poverty source: id, licence and the indicators it publishes."""

from __future__ import annotations

from ..base import OGL, Indicator, Source
from ..tidy import GSS_CODE, TIDY_TABLE, TableContract, column

SOURCE_ID = "in_work_poverty"
LICENCE = (
    "Department for Work and Pensions, Children in Low Income Families: local area statistics and Stat-Xplore. " + OGL
)

RELATIVE_PCT = "children_low_income_relative_pct"
ABSOLUTE_PCT = "children_low_income_absolute_pct"
RELATIVE_COUNT = "children_low_income_relative_count"
ABSOLUTE_COUNT = "children_low_income_absolute_count"
WORKING_FAMILY_PCT = "children_low_income_working_family_pct"
UC_IN_EMPLOYMENT = "uc_in_employment_rate"

# Indicators that exist only through the Stat-Xplore API (they need an API key).
STATXPLORE_INDICATORS = [WORKING_FAMILY_PCT, UC_IN_EMPLOYMENT]

_DOMAIN = "in_work_poverty"
_CILIF_TABLES = "cilif_local_area_tables"  # one workbook: one edition per financial year
_CILIF = (
    "Children aged under 16 living in {kind} low income families before housing costs "
    "(DWP/HMRC Children in Low Income Families, local area statistics). {what}"
)

INDICATORS = [
    Indicator(
        RELATIVE_PCT,
        "Children in relative low income families (%)",
        SOURCE_ID,
        "percent",
        "lower_is_better",
        _CILIF.format(kind="relative", what="Percentage of children aged 0-15 (mid-year population estimates)."),
        _DOMAIN,
        edition_group=_CILIF_TABLES,
        fallback_for=(WORKING_FAMILY_PCT, UC_IN_EMPLOYMENT),
        fallback_caveat="it counts children in low income families whether or not anyone in the "
        "family works, so it measures child poverty, not in-work poverty as such",
    ),
    Indicator(
        ABSOLUTE_PCT,
        "Children in absolute low income families (%)",
        SOURCE_ID,
        "percent",
        "lower_is_better",
        _CILIF.format(kind="absolute", what="Percentage of children aged 0-15 (mid-year population estimates)."),
        _DOMAIN,
        edition_group=_CILIF_TABLES,
    ),
    # Counts scale with population, so they carry no better/worse direction across areas.
    Indicator(
        RELATIVE_COUNT,
        "Children in relative low income families (number)",
        SOURCE_ID,
        "count",
        "neutral",
        _CILIF.format(kind="relative", what="Number of children, after disclosure control."),
        _DOMAIN,
        edition_group=_CILIF_TABLES,
    ),
    Indicator(
        ABSOLUTE_COUNT,
        "Children in absolute low income families (number)",
        SOURCE_ID,
        "count",
        "neutral",
        _CILIF.format(kind="absolute", what="Number of children, after disclosure control."),
        _DOMAIN,
        edition_group=_CILIF_TABLES,
    ),
    # A larger share is more in-work poverty but also less worklessness: no single direction.
    Indicator(
        WORKING_FAMILY_PCT,
        "Children in relative low income living in working families (%)",
        SOURCE_ID,
        "percent",
        "neutral",
        "Of children in relative low income families (before housing costs), the percentage whose "
        "family has at least one adult in work (DWP Stat-Xplore CILIF_REL, Work Status). Needs a "
        "Stat-Xplore API key.",
        _DOMAIN,
    ),
    Indicator(
        UC_IN_EMPLOYMENT,
        "People on Universal Credit who are in employment (%)",
        SOURCE_ID,
        "percent",
        "neutral",
        "Percentage of people on Universal Credit recorded as in employment (DWP Stat-Xplore "
        "UC_Monthly, Employment indicator). Needs a Stat-Xplore API key.",
        _DOMAIN,
    ),
]

# The extra tables parse() returns, landed as landing.in_work_poverty__<name>.
EXTRA_TABLES = {
    "areas": TableContract(
        (
            column("area_code", required=True, pattern=GSS_CODE),
            column("area_name"),
            column("geography", allowed=("aggregate", "england_local_authority", "uk_local_authority")),
        ),
        key=("area_code",),
    ),
    # Wales, Scotland and Northern Ireland rows, kept in the tidy form but never published.
    "other_uk_local_authorities": TIDY_TABLE,
    "reconciliation": TableContract(
        (
            column("file", required=True),
            column("sheet", required=True),
            column("measure", required=True),
            column("aggregate_code", required=True, pattern=GSS_CODE),
            column("aggregate"),
            column("period", required=True),
            column("published_total", "DOUBLE"),
            column("sum_of_authorities", "DOUBLE"),
            column("authorities", "BIGINT"),
            column("difference", "DOUBLE"),
            column("tolerance", "BIGINT"),
        ),
        key=("file", "sheet", "measure", "aggregate_code", "period"),
    ),
}

SOURCE = Source(
    SOURCE_ID,
    title="Children in low income families: local area statistics",
    publisher="Department for Work and Pensions",
    licence=LICENCE,
    host="www.gov.uk",
    indicators=tuple(INDICATORS),
    api_key="statxplore_api_key",  # STAT_XPLORE_API_KEY: the two indicators only Stat-Xplore gives
    extra_tables=EXTRA_TABLES,
)
