"""A source never shrinks silently: compare a new parse with the source's last good release.

A release with no rows, or with far fewer rows, areas or periods for an indicator than the last
good one (below `min_share` of it), is refused: the refresh keeps the last good rows, marked stale
with the reason, until the release is fixed or an operator accepts it (docs/sources.md).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_MIN_SHARE = 0.75  # a release keeps at least 3/4 of the last good rows, areas and periods
MEASURES = ("rows", "areas", "periods")


@dataclass(frozen=True)
class Shrink:
    indicator_id: str  # or "table <name>" for a source's extra tables
    measure: str  # rows | areas | periods
    before: int
    after: int

    def describe(self) -> str:
        return f"{self.indicator_id}: {self.after:,} {self.measure}, down from {self.before:,}"


def extent(values: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: rows with a value, and distinct areas and periods that have one."""
    import pandas as pd

    valued = values[values["value"].notna()] if len(values) else values
    if not len(valued):
        return pd.DataFrame(columns=["indicator_id", *MEASURES])
    return (
        valued.groupby("indicator_id")
        .agg(rows=("value", "size"), areas=("area_code", "nunique"), periods=("period", "nunique"))
        .reset_index()
    )


def shrinks(
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    min_share: float = DEFAULT_MIN_SHARE,
    excused: set[str] | frozenset[str] = frozenset(),
) -> list[Shrink]:
    """Measures of `after` that fell below min_share of `before` (both as extent() gives them).

    An indicator the source itself reports as unavailable, with its reason, is excused.
    """
    found = []
    now = after.set_index("indicator_id") if len(after) else None
    for row in before.itertuples(index=False):
        if row.indicator_id in excused:
            continue
        for measure in MEASURES:
            old = int(getattr(row, measure))
            new = int(now.at[row.indicator_id, measure]) if now is not None and row.indicator_id in now.index else 0
            if old > 0 and new < min_share * old:
                found.append(Shrink(row.indicator_id, measure, old, new))
    return found


def table_shrinks(
    before: dict[str, int], after: dict[str, int], *, min_share: float = DEFAULT_MIN_SHARE
) -> list[Shrink]:
    """Row counts of a source's extra tables (lookups, categories) against the last good ones."""
    return [
        Shrink(f"table {name}", "rows", old, after.get(name, 0))
        for name, old in sorted(before.items())
        if old > 0 and after.get(name, 0) < min_share * old
    ]


def summary(found: list[Shrink], limit: int = 5) -> str:
    """'population_all_ages: 0 rows (was 3,865), 0 areas (was 313); ...', one entry per indicator."""
    by_indicator: dict[str, list[Shrink]] = {}
    for s in found:
        by_indicator.setdefault(s.indicator_id, []).append(s)
    parts = [
        f"{name}: " + ", ".join(f"{s.after:,} {s.measure} (was {s.before:,})" for s in items)
        for name, items in list(by_indicator.items())[:limit]
    ]
    more = len(by_indicator) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def refusal(source_id: str, found: list[Shrink], min_share: float) -> str:
    """The reason a shrunk release is refused, in plain words, with how to accept it."""
    listed = summary(found)
    return (
        f"the new release has far fewer values than the last good one (under {min_share:.0%}): {listed}. "
        f"The last good data is kept. If this is expected, accept it with "
        f"`inclusion accept-shrink {source_id}` (or INCLUSION_ACCEPT_SHRINK={source_id}) and refresh again"
    )


def empty_refusal(source_id: str) -> str:
    return (
        f"the release has no values at all (no usable file, or every file was empty). "
        f"If this is expected, accept it with `inclusion accept-shrink {source_id}`"
    )


# ---------------------------------------------------------------- operator acceptance

ACCEPT_FILE = "accepted_shrinks.json"  # under <home>/work/: one-shot acceptances by `inclusion accept-shrink`


def accept(work_dir: Path, source_ids: list[str], *, when: str) -> None:
    """Let the next refresh land a shrunk release of these sources (used once, then forgotten)."""
    path = Path(work_dir) / ACCEPT_FILE
    pending = _read(path)
    pending.update({s: when for s in source_ids})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(pending, indent=1, sort_keys=True))
    os.replace(tmp, path)


def accepted(work_dir: Path, standing: tuple[str, ...] = ()) -> set[str]:
    """Sources whose shrink is accepted: pending one-shot acceptances plus INCLUSION_ACCEPT_SHRINK."""
    return set(_read(Path(work_dir) / ACCEPT_FILE)) | set(standing)


def consume(work_dir: Path, source_id: str) -> None:
    path = Path(work_dir) / ACCEPT_FILE
    pending = _read(path)
    if pending.pop(source_id, None) is not None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(pending, indent=1, sort_keys=True))
        os.replace(tmp, path)


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
