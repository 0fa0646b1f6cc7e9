"""Build marts.area_values in a hand-made test warehouse with the real SQL (sql/marts/area_values.sql)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from assets.warehouse import Warehouse


def add_area_values(path: Path, min_coverage: float = 0.5) -> None:
    """Fill in what a real build has and a small fixture may leave out (basis columns, groupings from
    marts.areas' regions, the IG+ coverage setting, and an equal population for every authority when
    the fixture has none, so grouping means are plain means), then run the mart's SQL; the
    scaffolding goes again."""
    con = duckdb.connect(str(path))
    try:
        present = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE "
                "table_schema = 'marts' AND table_name = 'indicator_values'"
            ).fetchall()
        }
        added = [c for c in ("basis", "basis_area_code", "basis_area_name") if c not in present]
        for column in added:
            con.execute(f"ALTER TABLE marts.indicator_values ADD COLUMN {column} VARCHAR")
        made_groupings = not con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
            "'marts' AND table_name = 'area_groupings'"
        ).fetchone()[0]
        con.execute(
            "CREATE TABLE IF NOT EXISTS marts.area_groupings AS SELECT area_code AS lad_code, "
            "'region' AS grouping_type, region_code AS grouping_code, region_name AS grouping_name, "
            "1.0 AS share_of_lad_area FROM marts.areas WHERE area_type = 'lad' AND region_code IS NOT NULL"
        )
        con.execute("CREATE SCHEMA IF NOT EXISTS landing")
        con.execute(
            "CREATE OR REPLACE TABLE landing.igplus_config_settings AS SELECT 'current' AS config_set, "
            "CAST($m AS DOUBLE) AS grouping_min_population_coverage",
            {"m": min_coverage},
        )
        made_population = not con.execute(
            "SELECT count(*) FROM marts.indicator_values WHERE indicator_id = 'population_all_ages'"
        ).fetchone()[0]
        if made_population:
            con.execute(
                "INSERT INTO marts.indicator_values BY NAME SELECT DISTINCT 'population_all_ages' AS "
                "indicator_id, area_code, CAST(year(CAST(period_start AS DATE)) AS VARCHAR) AS period, "
                "1000.0 AS value, 'count' AS unit FROM marts.indicator_values"
            )
        Warehouse.run(con, "marts/area_values.sql")
        if made_population:
            for table in ("indicator_values", "area_values"):
                con.execute(f"DELETE FROM marts.{table} WHERE indicator_id = 'population_all_ages'")
        con.execute("DROP SCHEMA landing CASCADE")
        for column in added:
            con.execute(f"ALTER TABLE marts.indicator_values DROP COLUMN {column}")
        if made_groupings:
            con.execute("DROP TABLE marts.area_groupings")
    finally:
        con.close()
