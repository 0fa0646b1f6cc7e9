"""One unparseable file does not fail a source when another file supplies the same dataset.

Every source package defines `dataset_of(raw) -> str | None` (in its parse.py), naming the dataset
a file belongs to (e.g. the Social Mobility Commission's "promising prospects" index, in whichever
version). When parse() raises a SourceError naming a file, and another file of the same dataset is
among the files, that file is set aside with a warning and the rest parsed again. With no dataset
(None) or no sibling file, the error stands: nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable

from .archive import RawFile
from .base import SourceTables
from .errors import SourceError


def parse_skipping_bad_files(
    module,
    files: list[RawFile],
    parse: Callable[[list[RawFile]], SourceTables],
) -> tuple[SourceTables, list[str]]:
    """parse(files), setting aside each failing file that has a usable sibling; returns (tables, warnings)."""
    dataset_of = module.dataset_of
    remaining, skipped = list(files), []
    while True:
        try:
            tables = parse(remaining)
        except SourceError as exc:
            bad = _named_file(exc, remaining)
            if bad is None:
                raise
            dataset = dataset_of(bad)
            siblings = [f for f in remaining if f is not bad and dataset is not None and dataset_of(f) == dataset]
            if not siblings:
                raise
            remaining.remove(bad)
            skipped.append(
                f"skipped {bad.original_name}: it could not be read ({exc.problem}); "
                f"{dataset} comes from {', '.join(sorted(f.original_name for f in siblings))} instead"
            )
            continue
        tables.notes[:0] = skipped
        return tables, skipped


def _named_file(exc: SourceError, files: list[RawFile]) -> RawFile | None:
    if not exc.file:
        return None
    named = [f for f in files if f.original_name == exc.file]
    return named[0] if len(named) == 1 else None
