"""How much of a grouping its co-production records cover: districts with records and their share
of the grouping's population, so a pooled records figure is shown only beside its coverage and only
when the coverage meets the reporting rule (dashboards/rules.py).

The grouping mart (one table of every indicator for every grouping, with coverage_areas,
total_areas and coverage_population_share) replaces this computation when it is published: the
function reads it first and works the figure out from the records and population only without it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .data import SiteData

GROUPING_MART = "area_values"
POPULATION = "population_all_ages"


@dataclass(frozen=True)
class Coverage:
    areas_with_records: int
    total_areas: int
    population_share: float | None  # None when no population figures are available

    @property
    def share(self) -> float:
        """The population share; the share of districts when no population figures exist."""
        if self.population_share is not None:
            return self.population_share
        return self.areas_with_records / self.total_areas if self.total_areas else 0.0

    def words(self) -> str:
        """'records from 2 of 17 local authorities, home to 9% of its people'."""
        from .words import plural

        out = (
            f"records from {self.areas_with_records:,} of {self.total_areas:,} "
            f"{plural(self.total_areas, 'local authority', 'local authorities')}"
        )
        if self.population_share is not None:
            out += f", home to {100 * self.population_share:.0f}% of its people"
        return out


def records_coverage(sd: SiteData, code: str, year=None) -> Coverage | None:
    """Coverage of a grouping (None for a single local authority or an area without members)."""
    lads = sd.members.get(code, [])
    if not lads or lads == [code]:
        return None
    key = ("records_coverage", code, year)
    if key not in sd.cache:
        sd.cache[key] = _from_mart(sd, code, year) or _computed(sd, code, lads, year)
    return sd.cache[key]


def _from_mart(sd: SiteData, code: str, year) -> Coverage | None:
    """Coverage of the grouping's pooled records values as the grouping mart (marts.area_values)
    recorded it, read from the site's values or the mart itself; None when neither has it."""
    for name, frame, used, total in (
        ("values", sd.values, "members_used", "members_total"),
        ("mart", sd.table(GROUPING_MART), "coverage_areas", "total_areas"),
    ):
        if frame is None or not {"area_code", "indicator_id", used, total, "coverage_population_share"} <= set(
            frame.columns
        ):
            continue
        rows = _records_rows(sd, name, frame).get(code, frame.iloc[0:0])
        if year is not None and "period" in rows:
            rows = rows[rows["period"].astype(str) == str(year)]
        if rows.empty:
            continue
        best = rows.sort_values("coverage_population_share", ascending=False).iloc[0]
        share = best["coverage_population_share"]
        return Coverage(int(best[used]), int(best[total]), None if pd.isna(share) else float(share))
    return None


def _records_rows(sd: SiteData, name: str, frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The frame's rows of pooled records values, split by area once per build (not a scan per area)."""
    key = ("records_rows", name)
    if key not in sd.cache:
        rows = frame[frame["indicator_id"].astype(str).str.startswith("records_")]
        sd.cache[key] = dict(tuple(rows.groupby("area_code", sort=False)))
    return sd.cache[key]


def _computed(sd: SiteData, code: str, lads: list[str], year) -> Coverage:
    records = sd.records
    if year is not None and len(records):
        records = records[records["year"] == year]
    with_records = set(records["area_code"]) & set(lads) if len(records) else set()
    population = _population(sd)
    known = population.reindex(lads)
    share = None
    if known.notna().any():
        total = known.sum()
        share = float(known.reindex(sorted(with_records)).sum() / total) if total else None
    return Coverage(len(with_records), len(lads), share)


def _population(sd: SiteData) -> pd.Series:
    """Each LAD's latest population (cached)."""
    if "lad_population" not in sd.cache:
        pop = sd.values[(sd.values["indicator_id"] == POPULATION) & sd.values["value"].notna()]
        pop = pop.sort_values(["period_end", "period"]).groupby("area_code")["value"].last()
        sd.cache["lad_population"] = pop
    return sd.cache["lad_population"]
