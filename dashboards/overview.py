"""What the index page shows, decided from the warehouse: latest year, fallbacks and notes."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import warehouse

COUNT = "rough_sleeping_count"
RATE = "rough_sleeping_rate"
TREND_FROM = pd.Timestamp("2010-01-01").date()


@dataclass
class MapData:
    period: str | None  # the year mapped; None when no rates exist at all
    values: pd.DataFrame  # warehouse.lad_values columns
    geometries: dict[str, dict]  # area_code -> GeoJSON geometry (empty: no boundaries)
    unit: str
    notes: list[str] = field(default_factory=list)  # plain-English fallbacks to show by the map

    @property
    def mapped_codes(self) -> list[str]:
        return [c for c in self.values["area_code"] if c in self.geometries]

    @property
    def unmapped(self) -> pd.DataFrame:
        return self.values[~self.values["area_code"].isin(self.geometries)]


@dataclass
class TrendData:
    points: pd.DataFrame  # period, period_start, value, source_id, release
    basis: str | None  # "published" | "sum_of_local_authorities" | None
    notes: list[str] = field(default_factory=list)


@dataclass
class Overview:
    build_info: dict[str, str]
    latest_period: str | None
    rate_map: MapData
    trend: TrendData
    sources: pd.DataFrame

    @property
    def example_data(self) -> bool:
        return self.build_info.get("example_data", "").strip().lower() == "true"


def load_overview(con) -> Overview:
    rate_periods = warehouse.periods_with_values(con, RATE)
    count_periods = warehouse.periods_with_values(con, COUNT)
    latest = _latest_period(pd.concat([rate_periods, count_periods]))
    rate_map = _rate_map(con, rate_periods, latest)
    trend = _trend(con)
    used = set(rate_map.values["source_id"].dropna())
    used |= set(trend.points.get("source_id", pd.Series(dtype=object)).dropna())
    return Overview(warehouse.build_info(con), latest, rate_map, trend, warehouse.sources(con, sorted(used)))


def _latest_period(periods: pd.DataFrame) -> str | None:
    if periods.empty:
        return None
    return str(periods.sort_values(["period_end", "period"]).iloc[-1]["period"])


def _rate_map(con, rate_periods: pd.DataFrame, latest: str | None) -> MapData:
    unit = warehouse.indicator(con, RATE).get("unit") or "rate_per_100k"
    if rate_periods.empty:
        empty = warehouse.lad_values(con, RATE, "")
        return MapData(
            None,
            empty,
            {},
            unit,
            ["No rough sleeping rates are available in this build, so the map could not be drawn."],
        )
    period = str(rate_periods.iloc[-1]["period"])
    notes = []
    if latest is not None and period != latest:
        notes.append(
            f"Rates for {latest} are not available yet, so the map shows {period}, the latest year with rates."
        )
    values = warehouse.lad_values(con, RATE, period)
    geometries = warehouse.boundaries(con)
    if not geometries:
        notes.append("Area boundaries were not available, so the rates are shown as a table instead of a map.")
    return MapData(period, values, geometries, unit, notes)


def _trend(con) -> TrendData:
    points = warehouse.england_series(con, COUNT)
    points = points[points["value"].notna()]
    basis, notes = "published", []
    if points.empty:
        points = warehouse.lad_sum_series(con, COUNT)
        basis = "sum_of_local_authorities"
        notes.append(
            "The published England total was not in this build, so each year's England "
            "figure is the sum of the local authorities."
        )
    if points.empty:
        return TrendData(points, None, ["No rough sleeping counts are available in this build."])
    points = points[pd.to_datetime(points["period_start"]).dt.date >= TREND_FROM]
    return TrendData(points.reset_index(drop=True), basis, notes)
