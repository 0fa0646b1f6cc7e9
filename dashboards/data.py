"""Everything the area pages need, read once from the warehouse into memory.

The warehouse is small (tens of thousands of rows), so one read and pandas in memory is far faster
than a query per page. The IG+ tables (issue 5) are optional: None when not yet published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from . import names, warehouse

ENGLAND = warehouse.ENGLAND
AREA_TYPES = ("region", "combined_authority", "lep", "lad")  # page order on the index
IGPLUS_TABLES = (
    "igplus_scores",
    "igplus_uncertainty",
    "framework_measures",
    "statistical_neighbours",
    "igplus_sensitivity",
)


@dataclass
class SiteData:
    build_info: dict[str, str]
    areas: pd.DataFrame  # area_code, area_name, area_type, region_code, region_name
    members: dict[str, list[str]]  # grouping or region code (and England) -> its LAD codes
    indicators: pd.DataFrame  # available indicators: indicator_id, title, unit, polarity, ...
    unavailable: pd.DataFrame  # indicators not in this build, with the reason
    values: pd.DataFrame  # every area's values, groupings included: marts.area_values
    boundaries: dict[str, dict]  # LAD code -> GeoJSON geometry
    sources: pd.DataFrame
    records: pd.DataFrame  # marts.record_measures (may be empty)
    optional: dict[str, pd.DataFrame | None] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # values worked out once per build (e.g. the IG+ year)

    @cached_property
    def example_data(self) -> bool:
        flagged = self.build_info.get("example_data", "").strip().lower() == "true"
        return flagged or bool(len(self.records) and self.records["example_data"].fillna(False).any())

    @cached_property
    def records_example(self) -> bool:
        return bool(len(self.records) and self.records["example_data"].fillna(False).any())

    def table(self, name: str) -> pd.DataFrame | None:
        return self.optional.get(name)

    def area(self, code: str) -> dict:
        row = self._areas.get(code)
        return dict(row) if row is not None else {"area_code": code, "area_name": code}

    def name(self, code: str) -> str:
        return self._names.get(code, code)

    def series(self, code: str) -> pd.DataFrame:
        """All values of one area, oldest period first (empty frame when none)."""
        return self._by_area.get(code, self.values.iloc[0:0])

    def __post_init__(self):
        self._names = dict(zip(self.areas["area_code"], self.areas["area_name"]))
        # Looked up on every page: one dict, first row per code as a filter would give.
        self._areas = {}
        for row in self.areas.to_dict("records"):
            self._areas.setdefault(row["area_code"], row)
        self._by_area = {code: rows for code, rows in self.values.groupby("area_code", sort=False)}


def load(con) -> SiteData:
    areas = con.execute("""select area_code, area_name, area_type, region_code, region_name
        from marts.areas qualify row_number() over (partition by area_code order by vintage desc nulls last) = 1
        order by area_type, area_name""").df()
    areas["published_name"] = areas["area_name"]
    areas["area_name"] = [
        names.display_name(c, n, t) for c, n, t in zip(areas["area_code"], areas["area_name"], areas["area_type"])
    ]
    lads = areas.loc[areas["area_type"] == "lad", "area_code"].tolist()
    members = _members(con, lads)
    indicators = con.execute("select * from marts.indicators order by domain, indicator_id").df()
    if "available" not in indicators:
        indicators["available"] = True
    if "unavailable_reason" not in indicators:
        indicators["unavailable_reason"] = None
    available = indicators["available"].fillna(True).astype(bool)
    present = warehouse.marts_tables(con)
    records = (
        con.execute("select * from marts.record_measures").df()
        if "record_measures" in present
        else pd.DataFrame(
            columns=[
                "area_code",
                "year",
                "measure",
                "value",
                "unit",
                "counts_people",
                "observation_status",
                "example_data",
            ]
        )
    )
    optional = {t: (warehouse.read_table(con, t) if t in present else None) for t in IGPLUS_TABLES}
    return SiteData(
        build_info=warehouse.build_info(con),
        areas=areas,
        members=members,
        indicators=indicators[available].reset_index(drop=True),
        unavailable=indicators[~available].reset_index(drop=True),
        values=con.execute(AREA_VALUES).df(),
        boundaries=warehouse.boundaries(con),
        sources=con.execute("select * from marts.sources order by source_id").df(),
        records=records,
        optional=optional,
    )


def _members(con, lads: list[str]) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {ENGLAND: sorted(lads)}
    present = warehouse.marts_tables(con)
    if "area_groupings" in present:
        rows = con.execute("select grouping_code, lad_code from marts.area_groupings order by lad_code").fetchall()
        for grouping, lad in rows:
            members.setdefault(grouping, []).append(lad)
    else:  # older warehouses: regions from marts.areas only
        for code, region in con.execute(
            "select area_code, region_code from marts.areas where area_type = 'lad'"
        ).fetchall():
            members.setdefault(region, []).append(code)
    for lad in lads:
        members[lad] = [lad]
    return members


# Every area's values as marts.area_values made them: a grouping's figure is the one the IG+ index
# uses (published, sum or population-weighted mean, with its coverage). basis says whose figure it is.
AREA_VALUES = """select area_code, indicator_id, period, period_start, period_end, value, unit, lower_ci, upper_ci,
        observation_status, source_id, release,
        case basis when 'population_weighted_mean' then 'weighted_mean' else basis end as basis,
        basis_area_code, basis_area_name, coverage_areas as members_used, total_areas as members_total,
        coverage_population_share
    from marts.area_values order by area_code, indicator_id, period_end, period"""
BASIS_WORDS = {
    "own": "as published",
    "published": "as published",
    "summed": "added up from the former council areas it was made from",
    "recomputed": "worked out again from the former council areas it was made from",
    "inherited": "its county's figure, not published for the district itself",
    "sum": "worked out by adding up its local authorities",
    "weighted_mean": "estimated as the average of its local authorities, weighted by population",
    "recomputed_share": "worked out from its local authorities' counts added up, as a share of the total they are out of",
    "not_available": "not available: the publisher gives none and it cannot be worked out from local authorities",
}
