"""Everything the area pages need, read once from the warehouse into memory.

The warehouse is small (tens of thousands of rows), so one read and pandas in memory is far faster
than a query per page. The IG+ tables (issue 5) are optional: None when not yet published.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import aggregate, names, warehouse

ENGLAND = warehouse.ENGLAND
AREA_TYPES = ("region", "combined_authority", "lep", "lad")   # page order on the index
IGPLUS_TABLES = ("igplus_scores", "igplus_uncertainty", "framework_measures",
                 "statistical_neighbours", "igplus_sensitivity")


@dataclass
class SiteData:
    build_info: dict[str, str]
    areas: pd.DataFrame            # area_code, area_name, area_type, region_code, region_name
    members: dict[str, list[str]]  # grouping or region code (and England) -> its LAD codes
    indicators: pd.DataFrame       # available indicators: indicator_id, title, unit, polarity, ...
    unavailable: pd.DataFrame      # indicators not in this build, with the reason
    values: pd.DataFrame           # every area's values; see aggregate.area_values
    boundaries: dict[str, dict]    # LAD code -> GeoJSON geometry
    sources: pd.DataFrame
    records: pd.DataFrame          # marts.record_measures (may be empty)
    optional: dict[str, pd.DataFrame | None] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)      # values worked out once per build (e.g. the IG+ year)

    @property
    def example_data(self) -> bool:
        flagged = self.build_info.get("example_data", "").strip().lower() == "true"
        return flagged or bool(len(self.records) and self.records["example_data"].fillna(False).any())

    @property
    def records_example(self) -> bool:
        return bool(len(self.records) and self.records["example_data"].fillna(False).any())

    def table(self, name: str) -> pd.DataFrame | None:
        return self.optional.get(name)

    def area(self, code: str) -> dict:
        row = self.areas[self.areas["area_code"] == code]
        return row.iloc[0].to_dict() if len(row) else {"area_code": code, "area_name": code}

    def name(self, code: str) -> str:
        return self._names.get(code, code)

    def series(self, code: str) -> pd.DataFrame:
        """All values of one area, oldest period first (empty frame when none)."""
        return self._by_area.get(code, self.values.iloc[0:0])

    def __post_init__(self):
        self._names = dict(zip(self.areas["area_code"], self.areas["area_name"]))
        self._by_area = {code: rows for code, rows in self.values.groupby("area_code", sort=False)}


def load(con) -> SiteData:
    areas = con.execute("""select area_code, area_name, area_type, region_code, region_name
        from marts.areas qualify row_number() over (partition by area_code order by vintage desc nulls last) = 1
        order by area_type, area_name""").df()
    areas["published_name"] = areas["area_name"]
    areas["area_name"] = [names.display_name(c, n, t) for c, n, t in
                          zip(areas["area_code"], areas["area_name"], areas["area_type"])]
    lads = areas.loc[areas["area_type"] == "lad", "area_code"].tolist()
    members = _members(con, lads)
    indicators = con.execute("select * from marts.indicators order by domain, indicator_id").df()
    if "available" not in indicators:
        indicators["available"] = True
    if "unavailable_reason" not in indicators:
        indicators["unavailable_reason"] = None
    available = indicators["available"].fillna(True).astype(bool)
    lad_values = con.execute(ONE_RELEASE_VALUES).df()
    published = con.execute(ONE_RELEASE_AGGREGATES).df()
    present = warehouse.marts_tables(con)
    records = (con.execute("select * from marts.record_measures").df() if "record_measures" in present
               else pd.DataFrame(columns=["area_code", "year", "measure", "value", "unit", "counts_people",
                                          "observation_status", "example_data"]))
    optional = {t: (warehouse.read_table(con, t) if t in present else None)
                for t in IGPLUS_TABLES}
    return SiteData(
        build_info=warehouse.build_info(con), areas=areas, members=members,
        indicators=indicators[available].reset_index(drop=True),
        unavailable=indicators[~available].reset_index(drop=True),
        values=aggregate.area_values(lad_values, published, members, indicators),
        boundaries=warehouse.boundaries(con),
        sources=con.execute("select * from marts.sources order by source_id").df(),
        records=records, optional=optional)


def _members(con, lads: list[str]) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {ENGLAND: sorted(lads)}
    present = warehouse.marts_tables(con)
    if "area_groupings" in present:
        rows = con.execute("select grouping_code, lad_code from marts.area_groupings order by lad_code").fetchall()
        for grouping, lad in rows:
            members.setdefault(grouping, []).append(lad)
    else:  # older warehouses: regions from marts.areas only
        for code, region in con.execute("select area_code, region_code from marts.areas "
                                        "where area_type = 'lad'").fetchall():
            members.setdefault(region, []).append(code)
    for lad in lads:
        members[lad] = [lad]
    return members


# One row per indicator, area and period even if several releases were loaded: the newest wins.
ONE_RELEASE_VALUES = """select * from marts.indicator_values
    qualify row_number() over (partition by indicator_id, area_code, period order by release desc nulls last) = 1"""
ONE_RELEASE_AGGREGATES = """select * from marts.aggregate_values
    qualify row_number() over (partition by indicator_id, area_code, period order by release desc nulls last) = 1"""
