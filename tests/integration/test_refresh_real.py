"""The whole pipeline on the real mirror: what a new user gets from the README's main command.
(Refreshing a copy of it again, with a bad workbook or an older vintage: test_refresh_real_again.py.)"""

from datetime import date

import pytest

from tests.integration.refresh_helpers import query

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


COUNT_SQL = (
    "SELECT count(*), sum(value) FROM marts.indicator_values "
    "WHERE indicator_id = 'rough_sleeping_count' AND period = $period"
)


@pytest.fixture
def refreshed(refreshed_home):
    """The session's one refresh of the real mirror (tests/conftest.py): read it, never write it."""
    return refreshed_home, None


def test_publishes_warehouse_and_site(refreshed):
    home, _ = refreshed
    assert (home / "warehouse.duckdb").exists()
    assert (home / "site" / "index.html").exists()
    schemas = query(home / "warehouse.duckdb", "SELECT DISTINCT table_schema FROM information_schema.tables ORDER BY 1")
    assert schemas == [("marts",)]


@pytest.mark.parametrize("period,total", [("2017", 4751), ("2020", 2688), ("2022", 3069)])
def test_rough_sleeping_england_sums_match_the_publisher(refreshed, period, total):
    home, _ = refreshed
    lads = query(home / "warehouse.duckdb", "SELECT count(*) FROM marts.areas WHERE area_type = 'lad'")[0][0]
    rows, value = query(home / "warehouse.duckdb", COUNT_SQL, {"period": period})[0]
    assert value == total
    assert rows == lads == 296  # every local authority of the 2025 vintage is present
    england = query(
        home / "warehouse.duckdb",
        "SELECT value FROM marts.aggregate_values WHERE indicator_id = 'rough_sleeping_count' "
        "AND area_code = 'E92000001' AND period = $period",
        {"period": period},
    )
    assert england == [(total,)]


def test_values_on_the_target_vintage_with_method(refreshed):
    home, _ = refreshed
    db = home / "warehouse.duckdb"
    orphans = query(
        db,
        "SELECT count(*) FROM marts.indicator_values v LEFT JOIN marts.areas a "
        "USING (area_code) WHERE a.area_code IS NULL",
    )
    assert orphans == [(0,)]
    # Westminster is unchanged and published as is: 250 in autumn 2022.
    assert query(
        db,
        "SELECT value, harmonisation FROM marts.indicator_values WHERE indicator_id = "
        "'rough_sleeping_count' AND area_code = 'E09000033' AND period = '2022'",
    ) == [(250.0, "as_published")]
    # North Yorkshire (2023) sums its seven former districts; Barnsley is recoded (2025).
    ((ny_method, ny_sources),) = query(
        db,
        "SELECT harmonisation, source_area_codes FROM marts.indicator_values "
        "WHERE indicator_id = 'rough_sleeping_count' AND area_code = 'E06000065' "
        "AND period = '2022'",
    )
    assert ny_method == "summed" and len(ny_sources.split(",")) == 7
    assert query(
        db,
        "SELECT harmonisation FROM marts.indicator_values WHERE indicator_id = "
        "'rough_sleeping_count' AND area_code = 'E08000038' AND period = '2022'",
    ) == [("recoded",)]
    # The publisher's rate for an unchanged authority passes through: Westminster 2022 = 121.8995.
    ((rate,),) = query(
        db,
        "SELECT value FROM marts.indicator_values WHERE indicator_id = 'rough_sleeping_rate' "
        "AND area_code = 'E09000033' AND period = '2022'",
    )
    assert rate == pytest.approx(121.8995, abs=1e-3)


def test_catalogue_and_freshness(refreshed):
    home, _ = refreshed
    db = home / "warehouse.duckdb"
    units = dict(query(db, "SELECT indicator_id, unit FROM marts.indicators"))
    assert units["rough_sleeping_count"] == "count" and units["rough_sleeping_rate"] == "rate_per_100k"
    statuses = dict(query(db, "SELECT source_id, status FROM marts.sources"))
    assert set(statuses.values()) == {"ok"}
    provenance = query(
        db, "SELECT count(*) FROM marts.raw_files WHERE source_id = 'rough_sleeping' AND length(sha256) = 64"
    )
    assert provenance == [(2,)]


def test_mirror_refresh_gives_each_release_and_says_currency_was_not_checked(refreshed):
    home, _ = refreshed
    db = home / "warehouse.duckdb"
    rows = {
        r[0]: r[1:]
        for r in query(
            db,
            "SELECT source_id, release_title, release_date, currency, "
            "releases_behind, newest_release_title, currency_checked_at "
            "FROM marts.sources",
        )
    }
    assert {r[2] for r in rows.values()} == {"not_checked"}
    assert all(r[3] is None and r[4] is None and r[5] is None for r in rows.values())
    # release dates read from the files themselves (cover sheet, 'Last Update', 'Published:')
    assert rows["rough_sleeping"][:2] == ("autumn 2022", date(2023, 2, 28))
    assert rows["population"][:2] == ("mid-2023 (2023 LA boundaries)", date(2024, 7, 15))
    assert rows["in_work_poverty"][1] == date(2022, 3, 31)
    assert rows["living_wage_ashe"] == (
        "2022 provisional; 2023 provisional",
        None,
        "not_checked",
        None,
        None,
        None,
    )  # no publication date in the files
    # the superseded autumn 2020 edition is recorded as such
    editions = query(
        db,
        "SELECT release, used, periods_superseded FROM marts.source_editions "
        "WHERE source_id = 'rough_sleeping' ORDER BY release",
    )
    assert editions == [
        ("autumn 2020", False, ", ".join(str(y) for y in range(2010, 2021))),
        ("autumn 2022", True, None),
    ]


def test_every_grouping_page_shows_the_value_the_index_uses(refreshed_home):
    """One aggregation: for every grouping and indicator, the figure on the area page (its CSV) is
    marts.area_values', and for the indicators the IG+ index scores it is the value the index used."""
    import pandas as pd

    home = refreshed_home
    mart = pd.DataFrame(
        query(
            home / "warehouse.duckdb",
            "SELECT area_code, area_type, indicator_id, period, value FROM marts.area_values "
            "WHERE area_type NOT IN ('lad', 'country')",
        ),
        columns=["area_code", "area_type", "indicator_id", "period", "value"],
    )
    index = pd.DataFrame(
        query(
            home / "work" / "refresh.duckdb",
            "SELECT area_code, area_type, indicator_id, period, value FROM intermediate.igplus_values "
            "WHERE config_set = 'current' AND pillar_source = 'public' AND value IS NOT NULL",
        ),
        columns=["area_code", "area_type", "indicator_id", "period", "value"],
    )
    pages = pd.concat(
        [pd.read_csv(f, dtype={"period": str}) for f in (home / "site" / "data" / "areas").glob("*-indicators.csv")],
        ignore_index=True,
    )
    shown = pages.set_index(["area_code", "indicator_id", "period"])["value"]
    england = pages.drop_duplicates(["indicator_id", "period"]).set_index(["indicator_id", "period"])["england_value"]
    on_page = mart.join(shown.rename("page"), on=["area_code", "indicator_id", "period"], how="inner")
    assert set(on_page["area_type"]) >= {"region", "combined_authority", "lep"}
    assert len(on_page) > 1000
    assert ((on_page["value"] - on_page["page"]).abs() < 1e-9).sum() + (
        on_page["value"].isna() & on_page["page"].isna()
    ).sum() == len(on_page)
    groupings = index[index["area_type"] != "lad"]
    assert set(groupings["area_type"]) >= {"region", "combined_authority", "lep", "country"}
    for row in groupings.itertuples():
        page = (
            england[(row.indicator_id, row.period)]
            if row.area_type == "country"
            else shown[(row.area_code, row.indicator_id, row.period)]
        )
        assert page == pytest.approx(row.value, rel=1e-12), row


def test_example_queries_in_the_docs_run(refreshed):
    """Every query in docs/warehouse.md and sql/examples/ runs on the published file and returns rows."""
    import re
    from pathlib import Path

    home, _ = refreshed
    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "warehouse.md").read_text()
    queries = re.findall(r"```sql\n(.*?)```", doc, re.S)
    examples = sorted((root / "sql" / "examples").glob("*.sql"))
    assert queries and examples
    for sql in queries:
        assert query(home / "warehouse.duckdb", sql), sql
    for path in examples:  # each runs; only the one made for an edited IG+ config may be empty
        rows = query(home / "warehouse.duckdb", path.read_text())
        assert rows or "edited config" in path.read_text(), path.name


def test_docs_describe_every_published_table_and_column_and_the_file_carries_them(refreshed):
    """docs/warehouse.md against the real schema, both ways, and COMMENT ON in the published file."""
    from assets.schema_docs import table_docs

    home, _ = refreshed
    db = home / "warehouse.duckdb"
    schema: dict[str, list[str]] = {}
    for table, column in query(
        db,
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE schema_name = 'marts' ORDER BY table_name, column_index",
    ):
        schema.setdefault(table, []).append(column)
    docs = table_docs()
    assert sorted(set(schema) - set(docs)) == [], "published tables not in docs/warehouse.md"
    assert sorted(set(docs) - set(schema)) == [], "documented tables not in the warehouse"
    undocumented = [f"{t}.{c}" for t, cols in schema.items() for c in cols if c not in docs[t].columns]
    assert undocumented == []
    phantom = [f"{t}.{c}" for t, d in docs.items() for c in d.columns if c not in schema[t]]
    assert phantom == []
    tables = dict(query(db, "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'marts'"))
    assert {t: bool(c) for t, c in tables.items()} == {t: True for t in schema}
    comments = {
        (t, c): comment
        for t, c, comment in query(
            db, "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = 'marts'"
        )
    }
    assert [k for k, v in comments.items() if not v] == []
    assert comments[("sources", "currency")].startswith("latest (no newer release listed")


def test_no_download_gives_a_rank_among_fewer_than_five_areas(refreshed):
    """The site's CSV files follow the pages' rule: no rank, quintile or rank range among < 5 areas."""
    import pandas as pd

    from dashboards.rules import RANK_COLUMNS

    home, _ = refreshed
    checked = 0
    for path in sorted((home / "site" / "data").rglob("*.csv")):
        frame = pd.read_csv(path, low_memory=False)
        if "n_ranked" not in frame.columns:
            continue
        checked += 1
        few = frame[frame["n_ranked"].isna() | (frame["n_ranked"] < 5)]
        for column in (c for c in RANK_COLUMNS if c in frame.columns):
            assert few[column].isna().all(), f"{path.name}: {column} given among fewer than 5 areas"
    assert checked > 0
