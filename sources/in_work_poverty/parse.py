"""parse(files) for the CiLIF local-area workbook(s): tidy LA values, published aggregates, checks."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..archive import RawFile
from ..base import SourceTables
from ..editions import Edition, published_date
from ..errors import SourceError
from ..tidy import empty_tidy, to_tidy
from .cilif_ods import MEASURES, Workbook, read_la_table, to_frame
from .meta import SOURCE_ID
from .reconcile import ENGLAND_LA, LA_CODE, details_frame, reconcile

KEY = ["indicator_id", "area_code", "period"]


def parse(files: list[RawFile]) -> SourceTables:
    out = SourceTables()
    editions: list[tuple[tuple, pd.DataFrame]] = []
    names: dict[str, str] = {}
    details: list[dict] = []
    for raw in files:
        if not raw.original_name.lower().endswith(".ods"):
            out.notes.append(f"skipped {raw.original_name}: not a CiLIF .ods workbook")
            continue
        book = Workbook(raw)
        tables = {m: read_la_table(book, m) for m in MEASURES}
        if all(t is None for t in tables.values()):
            out.notes.append(
                f"skipped {raw.original_name}: no local-authority sheets (sheets: {', '.join(book.sheet_names)})"
            )
            continue
        for measure, table in tables.items():
            if table is None:
                raise SourceError(
                    f"no {measure} local-authority sheet (sheets: {', '.join(book.sheet_names)})",
                    file=book.name,
                    sheet=f"*_{measure.title()}_Local_Authority",
                    source_id=SOURCE_ID,
                )
        rel, abs_ = tables["relative"], tables["absolute"]
        assert rel is not None and abs_ is not None  # a missing table raised above
        if set(rel.names) != set(abs_.names):
            odd = sorted(set(rel.names) ^ set(abs_.names))
            raise SourceError(
                f"relative and absolute sheets list different areas: {odd[:10]}",
                file=book.name,
                sheet=abs_.sheet,
                source_id=SOURCE_ID,
            )
        release = book.release()
        out.releases.append(release)
        out.editions.append(Edition(release, published_date(release)))
        for table in (rel, abs_):
            checks, detail, notes = reconcile(book, table)
            out.reconciliations += checks
            details += detail
            out.notes += notes
            editions.append(((max(table.years), published_date(release) or date.min), to_frame(table, release)))
            names.update(table.names)
    if not editions:
        raise SourceError(
            f"no Children in Low Income Families local-authority workbook among {[f.original_name for f in files]}",
            source_id=SOURCE_ID,
        )
    # A later edition revises earlier years (provisional -> final), so it wins on overlap; of two
    # editions to the same year (one revised in place), the later published, whatever the file names.
    editions.sort(key=lambda e: e[0])
    tidy = to_tidy(pd.concat([f for _, f in editions], ignore_index=True).drop_duplicates(subset=KEY, keep="last"))
    codes = tidy["area_code"]
    is_la = codes.str.match(LA_CODE.pattern)
    out.values = tidy[codes.str.match(ENGLAND_LA.pattern)].reset_index(drop=True)
    out.aggregates = tidy[~is_la].reset_index(drop=True)
    other = tidy[is_la & ~codes.str.match(ENGLAND_LA.pattern)].reset_index(drop=True)
    out.extra["other_uk_local_authorities"] = other if len(other) else empty_tidy()
    out.extra["areas"] = pd.DataFrame(
        [{"area_code": c, "area_name": n, "geography": _geography(c)} for c, n in names.items()],
        columns=["area_code", "area_name", "geography"],
    )
    out.extra["reconciliation"] = details_frame(details)
    return out


def _geography(code: str) -> str:
    if ENGLAND_LA.match(code):
        return "england_local_authority"
    if LA_CODE.match(code):
        return "uk_local_authority"
    return "aggregate"


def dataset_of(raw: RawFile) -> str | None:
    """Every CiLIF workbook is an edition of one dataset: one that cannot be read gives way to another."""
    return "the CiLIF local-area workbook" if raw.original_name.lower().endswith(".ods") else None
