"""Social Mobility Commission: State of the Nation composite indices for 205 UK areas.

Files: CI1-CI4 '--full-dataset.csv' from the SMC data explorer, joined by name to GSS codes
through the explorer's 205-area map; optionally the 2017 Social Mobility Index workbook.
Values are z-scores (unit 'score': standardised scores around the UK average of 0, not an index
with a base of 100); the publisher's 7 categories go to extra['categories'].
"""

from __future__ import annotations

import pandas as pd

from ..archive import RawFile
from ..base import OGL, Indicator, SourceTables
from ..errors import SourceError
from ..tidy import to_tidy
from .areas import MAP_FILE, NAMES_FILE, AreaMap
from .composite import CompositeFile, identify, parse_composite
from .discovery import DEFAULT_BASE_URL, discover
from .itl2 import itl2_skip_note
from .smi2017 import identify as is_smi2017
from .smi2017 import parse_smi2017

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

CATEGORY_COLUMNS = ["indicator_id", "area_code", "smc_area_name", "period", "category", "category_order", "release"]

__all__ = ["SOURCE_ID", "LICENCE", "INDICATORS", "DEFAULT_BASE_URL", "discover", "parse", "dataset_of"]


def _newest(files: list[CompositeFile], notes: list[str]) -> list[CompositeFile]:
    """One file per index: the highest version (mirrors may hold several)."""
    best: dict[str, CompositeFile] = {}
    for cf in files:
        if cf.indicator_id not in best or cf.version_key > best[cf.indicator_id].version_key:
            best[cf.indicator_id] = cf
    for cf in files:
        if cf is not best[cf.indicator_id]:
            notes.append(f"skipped {cf.raw.original_name}: superseded by {best[cf.indicator_id].raw.original_name}")
    return sorted(best.values(), key=lambda cf: cf.indicator_id)


def parse(files: list[RawFile]) -> SourceTables:
    notes: list[str] = []
    by_name = {f.original_name: f for f in files}
    composites, smi, other = [], [], []
    for f in files:
        if (cf := identify(f)) is not None:
            composites.append(cf)
        elif is_smi2017(f):
            smi.append(f)
        elif (skip_note := itl2_skip_note(f)) is not None:
            notes.append(skip_note)
        elif f.original_name not in (MAP_FILE, NAMES_FILE):
            other.append(f.original_name)
    if other:
        notes.append(f"not used (not a composite index or the SMI 2017 workbook): {', '.join(sorted(other))}")
    if not composites and not smi:
        raise SourceError(
            "no composite index ('CI<n>-<version>-<slug>--full-dataset.csv') or SMI_2017 workbook among the files",
            source_id=SOURCE_ID,
        )

    values, aggregates, categories, checks, releases, extra = [], [], [], [], [], {}
    if composites:
        if MAP_FILE not in by_name:
            raise SourceError(
                f"{MAP_FILE} is missing: the composite files leave area_code blank and "
                f"can only be joined by name through it",
                source_id=SOURCE_ID,
            )
        areas = AreaMap.from_json(by_name[MAP_FILE].path, MAP_FILE)
        if NAMES_FILE in by_name:
            areas.check_names_file(by_name[NAMES_FILE].path, NAMES_FILE)
        extra["smc_areas"] = areas.frame()
        for cf in _newest(composites, notes):
            rows = parse_composite(cf, areas, SOURCE_ID)
            values.append(pd.DataFrame(rows.values))
            aggregates.extend(rows.aggregates)
            categories.append(pd.DataFrame(rows.categories, columns=CATEGORY_COLUMNS))
            checks.append(rows.reconciliation)
            releases.append(cf.release)
    for f in smi:
        smi_values, spots = parse_smi2017(f, SOURCE_ID)
        values.append(smi_values)
        categories.append(spots[CATEGORY_COLUMNS])
        releases.append(smi_values["release"].iloc[0])

    tables = SourceTables(
        values=to_tidy(pd.concat(values, ignore_index=True)),
        reconciliations=checks,
        releases=releases,
        notes=notes,
        extra=extra,
    )
    if aggregates:
        tables.aggregates = to_tidy(pd.DataFrame(aggregates))
    cats = pd.concat(categories, ignore_index=True)
    cats["category_order"] = pd.to_numeric(cats["category_order"]).astype("Int64")
    tables.extra["categories"] = cats
    return tables


def dataset_of(raw: RawFile) -> str | None:
    """The index a file supplies, whatever its version: a damaged file gives way to a sibling."""
    if (cf := identify(raw)) is not None:
        return f"the {cf.slug} index"
    return None
