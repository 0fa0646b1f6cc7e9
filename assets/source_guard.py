"""Guards between parsing a source and landing it: bad files set aside, shrinking releases refused.

Kept apart from the asset factory (assets/sources.py) so the rules read in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from sources import shrink
from sources.archive import now_utc
from sources.base import SourceTables
from sources.errors import SourceError
from sources.registry import source

from . import landing as ld


def refuse_shrink(
    con,
    source_id: str,
    tables: SourceTables,
    extras: dict[str, pd.DataFrame],
    *,
    min_share: float,
    accepted: set[str],
    files: int,
) -> list[str]:
    """Raise SourceError when the release is empty or far smaller than the last good one and the
    operator has not accepted that; returns notes (an accepted shrink is noted, never silent)."""
    unavailable = extras.get("unavailable_indicators")
    excused = set(unavailable["indicator_id"]) if unavailable is not None and len(unavailable) else set()
    before, after = ld.values_extent(con, source_id), shrink.extent(tables.values)
    found = shrink.shrinks(before, after, min_share=min_share, excused=excused)
    extra_names = [n for n in extras if n != "unavailable_indicators"]
    found += shrink.table_shrinks(
        ld.table_rows(con, "landing", [f"{source_id}__{n}" for n in extra_names]),
        {f"{source_id}__{n}": len(extras[n]) for n in extra_names},
        min_share=min_share,
    )
    declared = {i.indicator_id for i in source(source_id).indicators}
    empty = bool(declared) and after.empty and not excused >= declared
    if not found and not empty:
        return []
    what = shrink.refusal(source_id, found, min_share) if found else shrink.empty_refusal(source_id)
    if source_id not in accepted:
        if not files:
            what = "no data files were found (is the mirror folder empty?); " + what
        raise SourceError(what, source_id=source_id)
    return [
        f"accepted by the operator at {now_utc()}: " + shrink.summary(found)
        if found
        else f"accepted by the operator at {now_utc()}: the release has no values"
    ]
