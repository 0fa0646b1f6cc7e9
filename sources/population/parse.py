"""parse(files): the MYE workbooks (newest edition first) and the Nomis pages, newest winning overlaps."""

from __future__ import annotations

import pandas as pd

from ..archive import RawFile
from ..base import SourceTables
from ..tidy import empty_tidy, to_tidy
from .cells import KEY
from .nomis import parse_nomis
from .workbook import parse_workbook


def parse(files: list[RawFile]) -> SourceTables:
    out = SourceTables()
    workbooks = [f for f in files if f.original_name.lower().endswith(".xlsx")]
    nomis = [f for f in files if f.original_name.lower().endswith(".csv")]
    for f in files:
        if f not in workbooks and f not in nomis:
            out.notes.append(f"skipped {f.original_name}: not an .xlsx workbook or Nomis .csv")
    parts = [parse_workbook(f, out) for f in workbooks]
    parts.sort(key=lambda p: p[0], reverse=True)  # newest edition first: it wins overlaps
    if nomis:
        parts.append((0, *parse_nomis(nomis, out)))
    values, aggregates = empty_tidy(), empty_tidy()
    for _, vals, aggs, label in parts:
        values, kept_v = _prefer_existing(values, vals)
        aggregates, kept_a = _prefer_existing(aggregates, aggs)
        if kept_v < len(vals) or kept_a < len(aggs):
            out.notes.append(
                f"{label}: {len(vals) - kept_v} LA and {len(aggs) - kept_a} aggregate "
                f"values already given by a newer MYE edition were not used; its "
                f"other {kept_v} LA values are left to the edition choice (one edition "
                f"per year: sources/editions.py)"
            )
        if kept_v or kept_a:
            out.releases.append(label)
    out.values, out.aggregates = to_tidy(values), to_tidy(aggregates)
    return out


def _prefer_existing(have: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    if not len(have):
        return new, len(new)
    seen = pd.MultiIndex.from_frame(have[KEY])
    fresh = new[~pd.MultiIndex.from_frame(new[KEY]).isin(seen)]
    return pd.concat([have, fresh], ignore_index=True), len(fresh)


def dataset_of(raw: RawFile) -> str | None:
    """Workbooks are editions of one dataset; Nomis pages are parts of one, so never siblings."""
    return "the mid-year estimates workbook" if raw.original_name.lower().endswith(".xlsx") else None
