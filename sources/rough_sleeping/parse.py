"""Combine editions: each snapshot year comes whole from the newest edition that restates it.

Every edition restates 2010 onwards on its own current boundaries, so mixing editions within one
year would double count merged authorities (e.g. Kettering and North Northamptonshire).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..archive import RawFile
from ..base import SourceTables
from ..editions import Edition as Release
from ..errors import SourceError
from ..tidy import empty_tidy
from .edition import AREA_COLUMNS, Edition, parse_workbook
from .meta import SOURCE_ID
from .sheets import SPREADSHEET_EXTENSIONS


def parse(files: list[RawFile]) -> SourceTables:
    notes: list[str] = []
    editions: dict[int, Edition] = {}
    unread: list[tuple[RawFile, SourceError]] = []
    for raw in sorted(files, key=lambda f: f.original_name):
        if Path(raw.original_name).suffix.lower() not in SPREADSHEET_EXTENSIONS:
            notes.append(f"skipped {raw.original_name}: not a spreadsheet")
            continue
        try:
            edition = parse_workbook(raw.path, display_name=raw.original_name)
        except SourceError as exc:
            unread.append((raw, exc))
            continue
        notes += edition.notes
        if raw.release and raw.release != edition.release:
            notes.append(
                f"{raw.original_name}: listed as {raw.release} but its content says "
                f"{edition.release}; using the content"
            )
        if edition.year in editions:
            kept, skipped = _same_edition(editions[edition.year], edition)
            notes.append(
                f"skipped {skipped.file}: {skipped.release} already read from {kept.file}{_why(kept, skipped)}"
            )
            editions[edition.year] = kept
            continue
        editions[edition.year] = edition
    _older_unread_skipped(unread, editions, notes)
    if not editions:
        raise SourceError("no spreadsheet among the files", source_id=SOURCE_ID)

    newest_first = sorted(editions.values(), key=lambda e: e.year, reverse=True)
    periods_by_edition: dict[int, set[str]] = {}
    for period in sorted({str(y) for e in newest_first for y in e.years}):
        chosen = next(e for e in newest_first if int(period) in e.years)
        periods_by_edition.setdefault(chosen.year, set()).add(period)
    used = [e for e in newest_first if e.year in periods_by_edition]
    values = _concat([e.values[e.values["period"].isin(periods_by_edition[e.year])] for e in used])
    aggregates = _concat([e.aggregates[e.aggregates["period"].isin(periods_by_edition[e.year])] for e in used])
    # Name each authority as the newest edition that has it does.
    areas = pd.concat([e.areas for e in used], ignore_index=True).drop_duplicates("area_code")
    areas = areas[areas["area_code"].isin(values["area_code"])].reset_index(drop=True)
    for e in newest_first:
        if e.year not in periods_by_edition:
            notes.append(f"{e.file} ({e.release}) not used: newer editions restate all its years")
    return SourceTables(
        values=values,
        aggregates=aggregates,
        extra={"areas": areas[AREA_COLUMNS]},
        reconciliations=[r for e in newest_first for r in e.reconciliations],
        releases=[e.release for e in sorted(used, key=lambda e: e.year)],
        notes=notes,
        editions=[Release(e.release, e.published, tuple(str(y) for y in e.years)) for e in newest_first],
    )


def _same_edition(first: Edition, second: Edition) -> tuple[Edition, Edition]:
    """(kept, skipped) for two files of one autumn's edition (a copy, or a revision in place).
    The later 'Last Update' wins; two files that disagree and that no date orders are an error,
    since which of them is right cannot be told."""
    if first.published and second.published and first.published != second.published:
        return (first, second) if first.published > second.published else (second, first)
    joined = _figures(first).merge(
        _figures(second), on=["indicator_id", "area_code", "period"], how="outer", suffixes=("_a", "_b")
    )
    # the same figure, allowing for the last binary digit a spreadsheet's float format may change
    same = (joined.value_a - joined.value_b).abs() <= 1e-9 * joined.value_a.abs().clip(lower=1)
    differ = joined[~(same | (joined.value_a.isna() & joined.value_b.isna()))]
    if differ.empty:
        return first, second
    example = differ.iloc[0]
    raise SourceError(
        f"{first.release} is also in {first.file} with different figures (e.g. {example.indicator_id} for "
        f"{example.area_code}: {example.value_b} here, {example.value_a} there), and neither file's "
        f"'Last Update' is later: keep only the right file",
        file=second.file,
        column=str(example.period),
        source_id=SOURCE_ID,
    )


def _figures(edition: Edition) -> pd.DataFrame:
    keys = ["indicator_id", "area_code", "period"]
    return edition.values[[*keys, "value"]]


def _why(kept: Edition, skipped: Edition) -> str:
    if kept.published and skipped.published and kept.published != skipped.published:
        return f" (updated {kept.published.isoformat()}, after {skipped.published.isoformat()})"
    return " (the same figures)"


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else empty_tidy()


def _older_unread_skipped(unread: list, editions: dict[int, Edition], notes: list[str]) -> None:
    """An edition that cannot be read is set aside, with a note, only when a newer edition was read:
    every edition restates each year from 2010, so the newer one gives all of its years. Otherwise
    (the newest, or one whose autumn is not known) its error stands."""
    newest = max(editions, default=None)
    for raw, exc in unread:
        listed = re.search(r"autumn (\d{4})", str(raw.release or ""))
        if newest is None or listed is None or int(listed.group(1)) >= newest:
            raise exc
        notes.append(
            f"skipped {raw.original_name} (autumn {listed.group(1)}): it could not be read ({exc.problem}); "
            f"autumn {newest} restates every year it had"
        )


def dataset_of(raw: RawFile) -> str | None:
    """Each edition restates earlier years, but none stands in for another's newest year."""
    return None
