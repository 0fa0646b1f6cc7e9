"""marts.area_values publishes a grouping's weighted mean by the *current* IG+ config's coverage
threshold (landing.igplus_config_settings, config_set 'current'), never the default config's."""

import duckdb
import pytest

from assets.warehouse import Warehouse

LADS = ["E06000001", "E06000002", "E06000003"]
REGION = "E12000001"


def build(con, current: float, default: float) -> None:
    for schema in ("landing", "marts"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    con.execute(
        "CREATE OR REPLACE TABLE landing.igplus_config_settings AS SELECT * FROM (VALUES "
        "('current', CAST($c AS DOUBLE)), ('default', CAST($d AS DOUBLE))) AS s(config_set, "
        "grouping_min_population_coverage)",
        {"c": current, "d": default},
    )
    con.execute(
        "CREATE OR REPLACE TABLE marts.areas AS SELECT unnest($lads) AS area_code, 'lad' AS area_type", {"lads": LADS}
    )
    con.execute(
        "CREATE OR REPLACE TABLE marts.area_groupings AS SELECT unnest($lads) AS lad_code, $r AS grouping_code, "
        "'region' AS grouping_type, 'North East' AS grouping_name, 1.0 AS share_of_lad_area",
        {"lads": LADS, "r": REGION},
    )
    # Equal populations; one authority of three has the indicator: a third of the population covered.
    con.execute(
        """CREATE OR REPLACE TABLE marts.indicator_values AS
        SELECT 'population_all_ages' AS indicator_id, unnest($lads) AS area_code, '2022' AS period,
               DATE '2022-06-30' AS period_start, DATE '2022-06-30' AS period_end, 1000.0 AS value,
               'count' AS unit, CAST(NULL AS DOUBLE) AS lower_ci, CAST(NULL AS DOUBLE) AS upper_ci,
               CAST(NULL AS VARCHAR) AS observation_status, 'population' AS source_id, 'mid-2022' AS release,
               'published' AS basis, CAST(NULL AS VARCHAR) AS basis_area_code,
               CAST(NULL AS VARCHAR) AS basis_area_name
        UNION ALL
        SELECT 'jobs_below_living_wage_pct', $lad, '2022', DATE '2022-04-01', DATE '2022-04-30', 12.0,
               'percent', NULL, NULL, NULL, 'living_wage_ashe', '2022', 'published', NULL, NULL""",
        {"lads": LADS, "lad": LADS[0]},
    )
    con.execute("CREATE OR REPLACE TABLE marts.aggregate_values AS SELECT * FROM marts.indicator_values LIMIT 0")
    Warehouse.run(con, "marts/area_values.sql")


def region_value(current: float, default: float):
    with duckdb.connect() as con:
        build(con, current, default)
        return con.execute(
            "SELECT value, observation_status, coverage_population_share FROM marts.area_values "
            "WHERE area_code = $r AND indicator_id = 'jobs_below_living_wage_pct'",
            {"r": REGION},
        ).fetchone()


@pytest.mark.parametrize("current, default", [(0.3, 0.9), (0.3, 0.1)])
def test_a_third_covered_passes_a_current_threshold_below_it_whatever_the_default(current, default):
    value, status, share = region_value(current, default)
    assert value == pytest.approx(12.0) and status == "estimated" and share == pytest.approx(1 / 3)


@pytest.mark.parametrize("current, default", [(0.5, 0.1), (0.5, 0.9)])
def test_a_third_covered_fails_a_current_threshold_above_it_whatever_the_default(current, default):
    value, status, share = region_value(current, default)
    assert value is None and status == "not_available" and share == pytest.approx(1 / 3)
