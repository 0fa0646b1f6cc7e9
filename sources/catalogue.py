"""The catalogue of sources and indicators (marts.sources, marts.indicators), read from the one
registry (sources/registry.py), and parse_source(): a source's parse() then one edition per period."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from .base import Indicator, SourceTables
from .editions import Edition, one_edition_per_period, previous_version
from .errors import SourceError
from .registry import package, registered, source


def parse_source(source_id: str, files: list, **options) -> SourceTables:
    """The source's parse(), then one edition per indicator group and period (sources/editions.py);
    the choice is in tables.edition_choice (landing.source_editions). An ONS edition's previous
    versions (files whose release ends '(previous version vN)') are each parsed on their own as an
    edition of their own, so the current version's figures win every period both cover."""
    described = source(source_id)
    current = [f for f in files if previous_version(getattr(f, "release", None)) is None]
    tables = package(source_id).parse(current, **options)
    _add_previous_versions(source_id, tables, [f for f in files if f not in current], options)
    groups = {i.indicator_id: i.edition_group or i.indicator_id for i in described.indicators}
    tables.values, tables.aggregates, chosen, former = one_edition_per_period(
        source_id, tables.values, tables.aggregates, tables.editions, groups
    )
    if described.keep_former_areas:  # harmonisation weights, never published
        tables.extra["former_area_values"] = former
    superseded = chosen[chosen["rows_superseded"] > 0]
    for row in superseded.itertuples():
        tables.notes.append(
            f"{row.release}: {row.rows_superseded} {row.edition_group} rows for "
            f"{row.periods_superseded} not used (a newer edition covers those periods)"
        )
    if not chosen.empty:  # a source without indicator rows (geography) keeps the releases it names
        used = set(chosen.loc[chosen["used"], "release"].dropna())
        tables.releases = [r for r in tables.releases if r in used] or sorted(used)
    tables.edition_choice = chosen
    return tables


def _add_previous_versions(source_id: str, tables: SourceTables, files: list, options: dict) -> None:
    """Each previous version's rows, labelled '<its release> (previous version vN)', beside the
    current ones. One that cannot be read, or does not reconcile, is left out with a note: it never
    supplies a figure the current version has, so it must not stop the source."""
    import pandas as pd

    versions: dict[str, list] = {}
    for f in files:
        versions.setdefault(str(f.release), []).append(f)
    for label, group in sorted(versions.items()):
        suffix = f" (previous version {previous_version(label)})"
        try:
            old = package(source_id).parse(group, **options)
        except SourceError as exc:
            tables.notes.append(f"{label}: not read ({exc}); the current version stands")
            continue
        failed = [r for r in old.reconciliations if not r.passed]
        if failed:
            tables.notes.append(f"{label}: left out ({failed[0].check} does not reconcile)")
            continue
        named = {r: r if previous_version(r) else f"{r}{suffix}" for r in old.values["release"].dropna().unique()}
        named |= {r: r if previous_version(r) else f"{r}{suffix}" for r in old.aggregates["release"].dropna().unique()}
        tables.values = pd.concat([tables.values, old.values.replace({"release": named})], ignore_index=True)
        tables.aggregates = pd.concat(
            [tables.aggregates, old.aggregates.replace({"release": named})], ignore_index=True
        )
        tables.editions += [
            Edition(named.get(e.release, e.release + suffix), e.published, e.periods) for e in old.editions
        ]
        tables.notes += [f"{label}: {note}" for note in old.notes]


def all_indicators() -> list[Indicator]:
    return [i for s in registered() for i in s.indicators]


def indicators_frame() -> pd.DataFrame:
    import pandas as pd

    rows = [{**i.__dict__, "fallback_for": ",".join(i.fallback_for)} for i in all_indicators()]
    return pd.DataFrame(
        rows,
        columns=[
            "indicator_id",
            "title",
            "source_id",
            "unit",
            "polarity",
            "description",
            "domain",
            "fallback_for",
            "fallback_caveat",
        ],
    )


def sources_frame() -> pd.DataFrame:
    import pandas as pd

    rows = [
        {"source_id": s.source_id, "title": s.title, "publisher": s.publisher, "licence": s.licence}
        for s in registered()
    ]
    return pd.DataFrame(rows, columns=["source_id", "title", "publisher", "licence"])


__all__ = ["all_indicators", "indicators_frame", "parse_source", "sources_frame"]
