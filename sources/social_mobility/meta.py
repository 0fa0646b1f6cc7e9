"""Identity of the social mobility source: id, licence and the indicators it publishes."""

from __future__ import annotations

from ..base import OGL, Indicator, Source
from ..tidy import GSS_CODE, TableContract, column

SOURCE_ID = "social_mobility"
LICENCE = "Social Mobility Commission, State of the Nation data. " + OGL

_Z = (
    "Composite z-score across the SMC's 205 UK local authority areas (0 = UK average; higher "
    "= more favourable for social mobility, per the SMC). {what} Pooled survey years (LFS)."
)
INDICATORS = [
    Indicator(
        "smc_conditions_of_childhood",
        "Conditions of childhood (SMC composite index)",
        SOURCE_ID,
        "score",
        "higher_is_better",
        _Z.format(what="Parental income, education and occupation."),
        "social_mobility",
    ),
    Indicator(
        "smc_labour_market_opportunities",
        "Labour market opportunities for young people (SMC composite index)",
        SOURCE_ID,
        "score",
        "higher_is_better",
        _Z.format(what="Local labour market outcomes for young people."),
        "social_mobility",
    ),
    Indicator(
        "smc_innovation_and_growth",
        "Innovation and growth (SMC composite index)",
        SOURCE_ID,
        "score",
        "higher_is_better",
        _Z.format(what="Local economic innovation and growth."),
        "social_mobility",
    ),
    Indicator(
        "smc_promising_prospects",
        "Promising prospects (SMC composite index)",
        SOURCE_ID,
        "score",
        "higher_is_better",
        _Z.format(
            what="Degree level, professional work and earnings at 25 to "
            "44 after controlling for socio-economic background; area = where people lived at 14."
        ),
        "social_mobility",
    ),
    # Social Mobility Index 2017 (324 English districts). Workbook layout unverified.
    Indicator(
        "smi_2017_overall_score",
        "Social Mobility Index 2017: overall score",
        SOURCE_ID,
        "score",
        "higher_is_better",
        "Overall SMI 2017 score (higher = better prospects; unverified).",
        "social_mobility",
    ),
    *[
        Indicator(
            f"smi_2017_{stage}_rank",
            f"Social Mobility Index 2017: {label} rank",
            SOURCE_ID,
            "score",
            "lower_is_better",
            f"{label.capitalize()} rank of 324 English districts (1 = best).",
            "social_mobility",
        )
        for stage, label in [
            ("overall", "overall"),
            ("early_years", "early years"),
            ("school", "school"),
            ("youth", "youth"),
            ("adulthood", "adulthood"),
        ]
    ],
]

# The extra tables parse() returns, landed as landing.social_mobility__<name>.
EXTRA_TABLES = {
    "categories": TableContract(
        (
            column("indicator_id", required=True),
            column("area_code", required=True, pattern=GSS_CODE),
            column("smc_area_name"),
            column("period", required=True),
            column("category"),
            column("category_order", "BIGINT"),
            column("release"),
        ),
        key=("indicator_id", "area_code", "period", "release"),
    ),
    "smc_areas": TableContract(
        (
            column("smc_area_name", required=True),
            column("smc_area_slug"),
            column("area_code", required=True, pattern=GSS_CODE),
            column("area_type"),
            column("listed_by_publisher", "BOOLEAN"),
            column("representative", "BOOLEAN"),
        ),
        key=("area_code",),
    ),
}

SOURCE = Source(
    SOURCE_ID,
    title="State of the Nation: social mobility composite indices",
    publisher="Social Mobility Commission",
    licence=LICENCE,
    host="social-mobility.data.gov.uk",
    indicators=tuple(INDICATORS),
    extra_tables=EXTRA_TABLES,
)
