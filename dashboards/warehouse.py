"""Read-only queries against the published warehouse (the marts.* contract)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

CONTRACT_TABLES = (
    "areas",
    "indicators",
    "indicator_values",
    "aggregate_values",
    "area_boundaries",
    "sources",
    "build_info",
)
ENGLAND = "E92000001"

# Queries below keep one row per area and period even if several releases were loaded (the newest
# release label wins), and take each area's name and region from its newest vintage.


class WarehouseError(RuntimeError):
    """The warehouse file is missing or does not follow the published contract."""


def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    if not Path(path).is_file():
        raise WarehouseError(f"warehouse not found: {path}")
    con = duckdb.connect(str(path), read_only=True)
    present = {
        r[0]
        for r in con.execute("select table_name from information_schema.tables where table_schema = 'marts'").fetchall()
    }
    missing = [t for t in CONTRACT_TABLES if t not in present]
    if missing:
        con.close()
        raise WarehouseError(f"{path}: published tables missing: marts.{', marts.'.join(missing)}")
    return con


def read_table(con, name: str):
    """A whole marts table. Table names cannot be bound as parameters, so the name must be one
    the warehouse itself lists (never text from data)."""
    if name not in marts_tables(con):
        raise WarehouseError(f"marts.{name} is not in the published warehouse")
    return con.execute('select * from marts."' + name + '"').df()


def marts_tables(con) -> set[str]:
    return {
        r[0]
        for r in con.execute("select table_name from information_schema.tables where table_schema = 'marts'").fetchall()
    }


def build_info(con) -> dict[str, str]:
    return {
        k: ("" if v is None else str(v)) for k, v in con.execute("select key, value from marts.build_info").fetchall()
    }


def indicator(con, indicator_id: str) -> dict:
    df = con.execute("select * from marts.indicators where indicator_id = ?", [indicator_id]).df()
    return df.iloc[0].to_dict() if len(df) else {}


def periods_with_values(con, indicator_id: str) -> pd.DataFrame:
    """Periods that hold at least one non-null value, in either values table, oldest first."""
    return con.execute(
        """
        select period, min(period_start) as period_start, max(period_end) as period_end
        from (select * from marts.indicator_values union all by name select * from marts.aggregate_values)
        where indicator_id = ? and value is not null
        group by period order by max(period_end), period""",
        [indicator_id],
    ).df()


def lad_values(con, indicator_id: str, period: str) -> pd.DataFrame:
    """Local-authority rows for one period with names, highest value first (no value last)."""
    return con.execute(
        """
        with v as (
            select * from marts.indicator_values where indicator_id = ? and period = ?
            qualify row_number() over (partition by area_code, period order by release desc nulls last) = 1
        ),
        latest_areas as (
            select area_code, area_name, region_name from marts.areas
            qualify row_number() over (partition by area_code order by vintage desc nulls last) = 1
        )
        select v.area_code, coalesce(a.area_name, v.area_code) as area_name, a.region_name,
               v.period, v.value, v.unit, v.lower_ci, v.upper_ci, v.observation_status,
               v.source_id, v.release
        from v left join latest_areas a using (area_code)
        order by v.value desc nulls last, area_name""",
        [indicator_id, period],
    ).df()


def england_series(con, indicator_id: str) -> pd.DataFrame:
    """The publisher's England row over time."""
    return con.execute(
        """
        select period, period_start, value, observation_status, source_id, release
        from marts.aggregate_values where indicator_id = ? and area_code = ?
        qualify row_number() over (partition by area_code, period order by release desc nulls last) = 1
        order by period_start, period""",
        [indicator_id, ENGLAND],
    ).df()


def lad_sum_series(con, indicator_id: str) -> pd.DataFrame:
    """England as the sum of local authorities, for when the publisher's England row is absent."""
    return con.execute(
        """
        with v as (
            select * from marts.indicator_values where indicator_id = ?
            qualify row_number() over (partition by area_code, period order by release desc nulls last) = 1
        )
        select period, min(period_start) as period_start, sum(value) as value,
               count(value) as areas_summed, any_value(source_id) as source_id, max(release) as release
        from v group by period having count(value) > 0
        order by min(period_start), period""",
        [indicator_id],
    ).df()


def boundaries(con) -> dict[str, dict]:
    """GeoJSON geometry per area code, newest vintage first wins."""
    rows = con.execute("""
        select area_code, geojson from marts.area_boundaries where geojson is not null
        qualify row_number() over (partition by area_code order by vintage desc nulls last) = 1
        """).fetchall()
    return {code: json.loads(geometry) for code, geometry in rows}


def sources(con, source_ids: list[str]) -> pd.DataFrame:
    df = con.execute("select * from marts.sources order by source_id").df()
    return df[df["source_id"].isin(source_ids)].reset_index(drop=True)
