"""parse(files): the living-wage and ASHE tables (with their CV twins) and Nomis extracts, tidy."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from ..archive import RawFile
from ..base import Reconciliation, SourceTables
from ..errors import SourceError
from ..tidy import to_tidy
from .files import Member, classify, expand, is_cv, release_label, year_from_name
from .meta import SOURCE_ID
from .nomis import parse_nomis_ashe
from .rates import living_wage_rates
from .tables import LWF_MEASURES, ashe_median_measure, check_same_rows, read_table, tidy_rows
from .workbook import Workbook

LA_PREFIXES = ("E06", "E07", "E08", "E09")
# UK, GB, E&W, England, regions, Inner/Outer London, counties, metropolitan counties, nations.
AGGREGATE_PREFIXES = ("K02", "K03", "K04", "E92", "E12", "E13", "E10", "E11", "W92", "S92", "N92")
KEY = ["indicator_id", "area_code", "period"]


def parse(files: list[RawFile]) -> SourceTables:
    members, notes = expand(files)
    groups: dict[tuple, dict[str, list[Member]]] = defaultdict(lambda: {"est": [], "cv": []})
    skipped = []
    for m in members:
        kind = classify(m.name)
        if kind is None:
            skipped.append(m.label)
            continue
        # one group per edition (container): 2022 provisional and 2022 revised are both read, and
        # sources/editions.py keeps the newer edition's figures for the year
        edition = m.container if m.container.lower().endswith(".zip") else (m.release_hint or "")
        groups[(kind.table, kind.basis, kind.measure, kind.key, edition)]["cv" if is_cv(m.name) else "est"].append(m)
    if skipped:
        notes.append(f"tables not used (constituencies, other pay measures): {skipped}")

    tidy_parts, cv_parts, reconciliations, rates = [], [], [], []
    for (table, basis, measure, _, _), group in sorted(groups.items()):
        part, cv_detail, recon, rate = _parse_group(table, basis, measure, group, notes)
        if part is not None:
            tidy_parts.append(part)
            if cv_detail is not None:
                cv_parts.append(cv_detail)
            reconciliations += recon
            if rate is not None:
                rates.append(rate)

    ons = pd.concat(tidy_parts, ignore_index=True) if tidy_parts else pd.DataFrame()
    if not ons.empty and ons.duplicated(KEY + ["release"]).any():
        dup = ons[ons.duplicated(KEY + ["release"])].iloc[0]
        raise SourceError(
            f"{dup['indicator_id']} {dup['area_code']} {dup['period']} is given twice by the {dup['release']} edition",
            source_id=SOURCE_ID,
        )
    combined = _with_nomis(ons, files, notes)
    if combined.empty:
        raise SourceError(
            f"no living-wage table, ASHE table or Nomis extract among the files: {[f.original_name for f in files]}",
            source_id=SOURCE_ID,
        )
    values, aggregates = _split_levels(combined, notes)
    extra = {}
    if cv_parts:
        extra["coefficients_of_variation"] = pd.concat(cv_parts, ignore_index=True)
    if rates:
        extra["living_wage_rates"] = pd.concat(rates, ignore_index=True).drop_duplicates("year")
    return SourceTables(
        values=to_tidy(values),
        aggregates=to_tidy(aggregates),
        extra=extra,
        reconciliations=reconciliations,
        releases=sorted(combined["release"].dropna().unique()),
        notes=notes,
    )


def _parse_group(table, basis, measure, group, notes):
    if not group["est"]:
        notes.append(f"CV table without its estimates, ignored: {[m.label for m in group['cv']]}")
        return None, None, [], None
    for role in ("est", "cv"):
        if len(group[role]) > 1:
            raise SourceError(
                f"more than one matching workbook: {[m.label for m in group[role]]}",
                file=group[role][0].label,
                source_id=SOURCE_ID,
            )
    est = group["est"][0]
    measures = LWF_MEASURES if table == "lwf" else [ashe_median_measure(measure, basis)]
    est_book = Workbook(est.data, est.label)
    est_table = read_table(est_book, measures, file_year=year_from_name(est.name))
    cv_table, cv_label, recon = None, None, []
    if group["cv"]:
        cv = group["cv"][0]
        cv_label = cv.label
        cv_table = read_table(Workbook(cv.data, cv.label), measures, file_year=year_from_name(cv.name))
        check_same_rows(est_table, cv_table, est.label, cv.label)
        recon.append(
            Reconciliation(
                f"CV table lists the estimates' areas, {est_table.year}",
                cv.label,
                float(len(est_table.cells)),
                float(len(cv_table.cells)),
            )
        )
    elif table == "lwf":
        raise SourceError(
            "no coefficient-of-variation table (LWF.1b ... CV) beside it; every interval depends on it",
            file=est.label,
            source_id=SOURCE_ID,
        )
    else:
        notes.append(f"{est.label}: no CV table supplied, so {measures[0].indicator_id} has no confidence intervals")
    release = release_label(est, est_table.year)
    part, detail = tidy_rows(
        est_table, cv_table, measures, est_label=est.label, cv_label=cv_label, release=release, source_id=SOURCE_ID
    )
    rate = living_wage_rates(est_book) if table == "lwf" else None
    return part, detail, recon, rate


def _with_nomis(ons: pd.DataFrame, files: list[RawFile], notes: list[str]) -> pd.DataFrame:
    parts = [ons] if not ons.empty else []
    for raw in files:
        if not raw.original_name.lower().endswith(".csv"):
            continue
        rows = parse_nomis_ashe(raw.path, name=raw.original_name, source_id=SOURCE_ID)
        if not ons.empty:
            overlap = rows.merge(ons[KEY], on=KEY, how="left", indicator=True)["_merge"] == "both"
            if overlap.any():
                notes.append(
                    f"{raw.original_name}: {int(overlap.sum())} rows also in the ONS "
                    f"tables; the ONS table values are kept"
                )
                rows = rows[~overlap.to_numpy()]
        parts.append(rows)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _split_levels(frame: pd.DataFrame, notes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    prefix = frame["area_code"].str[:3]
    is_la = prefix.isin(LA_PREFIXES)
    is_aggregate = prefix.isin(AGGREGATE_PREFIXES)
    other = frame[~is_la & ~is_aggregate]
    if len(other):
        notes.append(
            f"{other['area_code'].nunique()} areas outside England's local authorities "
            f"and the published aggregates (Welsh/Scottish/NI councils) left out"
        )
    return frame[is_la], frame[is_aggregate]


def dataset_of(raw: RawFile) -> str | None:
    """Editions of one table are siblings: an old edition that cannot be read gives way to the others."""
    name = raw.original_name.lower()
    if "livingwage" in name.replace(" ", "") and name.endswith(".zip"):
        return "the living wage tables"
    if name.endswith(".zip") and "table8" in name.replace(" ", ""):
        return "ASHE table 8"
    return None
