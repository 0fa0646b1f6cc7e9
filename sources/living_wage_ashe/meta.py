"""Identity of the living wage / ASHE source: id, licence and the indicators it publishes."""

from __future__ import annotations

from ..base import OGL, Indicator, Source
from ..tidy import GSS_CODE, TableContract, column

SOURCE_ID = "living_wage_ashe"
LICENCE = "Source: Office for National Statistics, Annual Survey of Hours and Earnings (ASHE). " + OGL

_ASHE = "ONS Annual Survey of Hours and Earnings, April"
INDICATORS = [
    Indicator(
        "jobs_below_living_wage_pct",
        "Employee jobs paid below the real Living Wage (%)",
        SOURCE_ID,
        "percent",
        "lower_is_better",
        f"Share of employee jobs located in the area (work geography) with hourly pay below the "
        f"Living Wage Foundation rate (London rate in London). {_ASHE}; 95% CI from the ONS CV.",
        "low_pay",
    ),
    Indicator(
        "jobs_below_living_wage_count",
        "Employee jobs paid below the real Living Wage",
        SOURCE_ID,
        "count",
        "lower_is_better",
        f"Number of employee jobs located in the area below the Living Wage Foundation rate, "
        f"published in thousands (stored as jobs); ONS says job counts are indicative only. "
        f"{_ASHE}.",
        "low_pay",
    ),
    Indicator(
        "median_hourly_pay_resident",
        "Median gross hourly pay, residents",
        SOURCE_ID,
        "gbp_per_hour",
        "higher_is_better",
        f"Median gross hourly pay of employees living in the area (ASHE Table 8.5a or Nomis NM_30_1). {_ASHE}.",
        "low_pay",
    ),
    Indicator(
        "median_hourly_pay_workplace",
        "Median gross hourly pay, workplace",
        SOURCE_ID,
        "gbp_per_hour",
        "higher_is_better",
        f"Median gross hourly pay of employee jobs located in the area (ASHE Table 7.5a or Nomis NM_99_1). {_ASHE}.",
        "low_pay",
    ),
    Indicator(
        "median_weekly_pay_resident",
        "Median gross weekly pay, residents",
        SOURCE_ID,
        "gbp",
        "higher_is_better",
        f"Median gross weekly pay (GBP per week) of employees living in the area (ASHE Table 8.1a or Nomis NM_30_1). {_ASHE}.",
        "low_pay",
    ),
    Indicator(
        "median_weekly_pay_workplace",
        "Median gross weekly pay, workplace",
        SOURCE_ID,
        "gbp",
        "higher_is_better",
        f"Median gross weekly pay (GBP per week) of employee jobs located in the area (ASHE Table 7.1a or Nomis NM_99_1). {_ASHE}.",
        "low_pay",
    ),
]

# The extra tables parse() returns, landed as landing.living_wage_ashe__<name>.
EXTRA_TABLES = {
    "coefficients_of_variation": TableContract(
        (
            column("indicator_id", required=True),
            column("area_code", required=True, pattern=GSS_CODE),
            column("area_name"),
            column("period", required=True),
            column("cv_percent", "DOUBLE"),
            column("cv_status", allowed=("suppressed",)),
            column("cv_band", allowed=("acceptable", "precise", "reasonably_precise", "unreliable")),
            column("file"),
        ),
        key=("indicator_id", "area_code", "period"),
    ),
    "living_wage_rates": TableContract(
        (
            column("year", "BIGINT", required=True),
            column("london_gbp_per_hour", "DOUBLE"),
            column("outside_london_gbp_per_hour", "DOUBLE"),
        ),
        key=("year",),
    ),
}

SOURCE = Source(
    SOURCE_ID,
    title="Employee jobs below the living wage; Annual Survey of Hours and Earnings",
    publisher="Office for National Statistics",
    licence=LICENCE,
    host="www.ons.gov.uk",
    indicators=tuple(INDICATORS),
    extra_tables=EXTRA_TABLES,
)
