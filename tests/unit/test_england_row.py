"""England's row, made once in marts.area_values and repeated by marts.england_values: the publisher's
own figure where it prints one; else a count summed over every authority (never a survey estimate);
else a percentage recomputed from the counts beside it; else a population-weighted mean; else not
available. Built with the real SQL over three authorities."""

import duckdb
import pytest

from assets.warehouse import Warehouse

LADS = ["E06000001", "E06000002", "E06000003"]
ENGLAND = "E92000001"
COLUMNS = (
    "indicator_id, area_code, period, period_start, period_end, value, unit, lower_ci, upper_ci, "
    "observation_status, source_id, release, basis, basis_area_code, basis_area_name"
)


def row(indicator_id, area_code, value, unit, source_id="s", period="2022", release="r1"):
    return (indicator_id, area_code, period, "2022-04-01", "2023-03-31", value, unit, None, None, None, source_id,
            release, "own", area_code, None)  # fmt: skip


# population 1000, 2000, 1000: a weighted mean differs from a plain one and from a recomputed share
AUTHORITY_ROWS = [
    *(row("population_all_ages", c, p, "count", "population") for c, p in zip(LADS, (1000.0, 2000.0, 1000.0))),
    # 100 children each, as 10%, 20% and 50% of 1000, 500 and 200 children: England 300 / 1700
    *(row("children_pct", c, v, "percent") for c, v in zip(LADS, (10.0, 20.0, 50.0))),
    *(row("children_count", c, 100.0, "count") for c in LADS),
    # a percentage whose counts miss one authority: no England figure rather than a partial one
    *(row("gap_pct", c, 10.0, "percent") for c in LADS),
    *(row("gap_count", c, 5.0, "count") for c in LADS[:2]),
    row("gap_count", LADS[2], None, "count"),
    *(row("sleeping_count", c, v, "count") for c, v in zip(LADS, (1.0, 2.0, 3.0))),
    *(row("index_value", c, v, "score") for c, v in zip(LADS, (1.0, 4.0, 1.0))),
    *(row("jobs_count", c, v, "count", "living_wage_ashe") for c, v in zip(LADS, (3.0, 4.0, 5.0))),
    *(row("paid_pct", c, v, "percent", "living_wage_ashe") for c, v in zip(LADS, (10.0, 12.0, 14.0))),
]
PUBLISHED = [row("paid_pct", ENGLAND, 11.5, "percent", "living_wage_ashe")]


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    for schema in ("landing", "marts"):
        con.execute(f"CREATE SCHEMA {schema}")
    con.execute(
        "CREATE TABLE landing.igplus_config_settings AS SELECT 'current' AS config_set, "
        "0.5 AS grouping_min_population_coverage"
    )
    con.execute("CREATE TABLE marts.areas AS SELECT unnest($l) AS area_code, 'lad' AS area_type", {"l": LADS})
    con.execute(
        "CREATE TABLE marts.area_groupings (lad_code VARCHAR, grouping_code VARCHAR, grouping_type VARCHAR, "
        "grouping_name VARCHAR, share_of_lad_area DOUBLE)"
    )
    for table, rows in (("indicator_values", AUTHORITY_ROWS), ("aggregate_values", PUBLISHED)):
        con.execute(
            f"CREATE TABLE marts.{table} (indicator_id VARCHAR, area_code VARCHAR, period VARCHAR, "
            "period_start DATE, period_end DATE, value DOUBLE, unit VARCHAR, lower_ci DOUBLE, upper_ci DOUBLE, "
            "observation_status VARCHAR, source_id VARCHAR, release VARCHAR, basis VARCHAR, "
            "basis_area_code VARCHAR, basis_area_name VARCHAR)"
        )
        con.executemany(f"INSERT INTO marts.{table} ({COLUMNS}) VALUES ({', '.join(['?'] * 15)})", rows)
    Warehouse.run(con, "marts/area_values.sql")
    Warehouse.run(con, "marts/england_values.sql")
    yield con
    con.close()


def england(con, table: str) -> dict[str, tuple]:
    method = "aggregation_method" if table == "area_values" else "basis"
    rows = con.execute(
        f"SELECT indicator_id, value, {method}, observation_status FROM marts.{table} WHERE area_code = $e",
        {"e": ENGLAND},
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_each_kind_of_indicator_gets_englands_figure_by_its_one_method(con):
    marts = england(con, "england_values")
    assert marts["paid_pct"] == (11.5, "published", None)  # the publisher's own
    assert marts["sleeping_count"] == (6.0, "summed", None)
    share, basis, status = marts["children_pct"]
    assert share == pytest.approx(100 * 300 / 1700) and (basis, status) == ("recomputed", None)
    assert marts["gap_pct"] == (None, "not_available", "not_available")
    # a population-weighted mean of an index: (1x1000 + 4x2000 + 1x1000) / 4000, an estimate
    assert marts["index_value"] == (pytest.approx(2.5), "population_weighted_mean", "estimated")
    # ASHE's job counts are survey estimates: never added up into an England figure
    assert marts["jobs_count"] == (None, "not_available", "not_available")


def test_england_values_repeats_the_england_rows_that_pages_and_the_index_read(con):
    pages = england(con, "area_values")
    marts = england(con, "england_values")
    assert set(pages) == set(marts)
    for indicator_id, (value, _, _) in marts.items():
        assert pages[indicator_id][0] == value, indicator_id
    assert pages["children_pct"][1] == "recomputed_share" and pages["index_value"][1] == "population_weighted_mean"
    used = dict(con.execute("SELECT indicator_id, authorities_used FROM marts.england_values").fetchall())
    assert (used["children_pct"], used["sleeping_count"], used["paid_pct"]) == (3, 3, None)
