"""parse(files): the newest version of each composite index, joined to GSS codes, and the SMI 2017."""

from __future__ import annotations

import pandas as pd

from ..archive import RawFile
from ..base import SourceTables
from ..errors import SourceError
from ..tidy import to_tidy
from .areas import MAP_FILE, NAMES_FILE, AreaMap
from .composite import CompositeFile, identify, parse_composite
from .itl2 import itl2_skip_note
from .meta import SOURCE_ID
from .smi2017 import identify as is_smi2017
from .smi2017 import parse_smi2017

CATEGORY_COLUMNS = ["indicator_id", "area_code", "smc_area_name", "period", "category", "category_order", "release"]


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
