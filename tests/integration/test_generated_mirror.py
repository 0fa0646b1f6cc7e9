"""A full refresh of the generated mirror (tests/fixtures/mirror.py): the whole pipeline, every
source in its real file layout, without ../shared. The values are the fixture's, so every figure
checked here is known exactly: the publishers' England totals, the 2023 Cumbrian merger and the
2025 Barnsley recode on the 2025 vintage, and a page for every area."""

from __future__ import annotations

import pytest

from tests.fixtures.mirror import CUMBERLAND, LADS, RS_YEARS, number, rough_sleepers
from tests.integration.refresh_helpers import query

pytestmark = pytest.mark.slow

BARNSLEY_2025 = "E08000038"


def test_every_source_is_published_from_the_generated_files(generated_home):
    db = generated_home / "warehouse.duckdb"
    statuses = dict(query(db, "SELECT source_id, status FROM marts.sources"))
    assert statuses == dict.fromkeys(
        ["geography", "population", "living_wage_ashe", "in_work_poverty", "rough_sleeping", "social_mobility"], "ok"
    )
    per_source = dict(query(db, "SELECT source_id, count(*) FROM marts.indicator_values GROUP BY 1"))
    assert set(per_source) == set(statuses) - {"geography"} and min(per_source.values()) > 0
    # Eleven December 2022 authorities; on the 2025 vintage the three Cumbrian districts are one.
    lads = {code for (code,) in query(db, "SELECT area_code FROM marts.areas WHERE area_type = 'lad'")}
    expected = {c for c, *_ in LADS} - set(CUMBERLAND[2]) - {"E08000016", "E08000019"}
    assert lads == expected | {CUMBERLAND[0], BARNSLEY_2025, "E08000039"}
    assert query(db, "SELECT count(*) FROM marts.indicator_values v ANTI JOIN marts.areas a USING (area_code)") == [
        (0,)
    ]


@pytest.mark.parametrize("year", [RS_YEARS[0], RS_YEARS[-1]])
def test_rough_sleeping_counts_reconcile_with_the_publishers_england_row(generated_home, year):
    db = generated_home / "warehouse.duckdb"
    total = sum(rough_sleepers(code, year) for code, *_ in LADS)
    by_lad = query(
        db,
        "SELECT count(*), sum(value) FROM marts.indicator_values "
        "WHERE indicator_id = 'rough_sleeping_count' AND period = $period",
        {"period": str(year)},
    )
    assert by_lad == [(9, total)]
    england = query(
        db,
        "SELECT value FROM marts.aggregate_values WHERE indicator_id = 'rough_sleeping_count' "
        "AND area_code = 'E92000001' AND period = $period",
        {"period": str(year)},
    )
    assert england == [(total,)]


def test_merged_and_recoded_authorities_are_harmonised_with_their_method(generated_home):
    db = generated_home / "warehouse.duckdb"
    ((value, method, sources),) = query(
        db,
        "SELECT value, harmonisation, source_area_codes FROM marts.indicator_values "
        "WHERE indicator_id = 'rough_sleeping_count' AND area_code = $code AND period = '2022'",
        {"code": CUMBERLAND[0]},
    )
    assert method == "summed" and sorted(sources.split(",")) == sorted(CUMBERLAND[2])
    assert value == sum(rough_sleepers(code, 2022) for code in CUMBERLAND[2])
    assert query(
        db,
        "SELECT value, harmonisation FROM marts.indicator_values "
        "WHERE indicator_id = 'rough_sleeping_count' AND area_code = $code AND period = '2022'",
        {"code": BARNSLEY_2025},
    ) == [(rough_sleepers("E08000016", 2022), "recoded")]
    # A share is not summed across a merger: Cumberland's living-wage share is stated as not
    # harmonisable (with the districts it would need); an unchanged authority's is as published.
    assert query(
        db,
        "SELECT area_code, value, observation_status, harmonisation, source_area_codes FROM marts.indicator_values "
        "WHERE indicator_id = 'jobs_below_living_wage_pct' AND area_code IN ($merged, 'E06000014') ORDER BY 1",
        {"merged": CUMBERLAND[0]},
    ) == [
        ("E06000014", number("lwf pct", "E06000014", low=80, high=250) / 10, None, "as_published", "E06000014"),
        (CUMBERLAND[0], None, "not_available", "not_harmonisable", ",".join(CUMBERLAND[2])),
    ]


def test_the_site_has_a_page_for_every_area_and_the_index_scores_them(generated_home):
    """Every authority and grouping has its page (England's figures are on each page and the index)."""
    db = generated_home / "warehouse.duckdb"
    areas = {code for (code,) in query(db, "SELECT area_code FROM marts.areas WHERE area_type <> 'country'")}
    pages = {p.stem for p in (generated_home / "site" / "areas").glob("*.html")}
    assert areas <= pages, sorted(areas - pages)
    assert (generated_home / "site" / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    # Pillar A for 2022 scores every authority but Cumberland, whose shares are not harmonisable.
    scored = query(
        db,
        "SELECT area_code FROM marts.igplus_scores WHERE area_type = 'lad' AND level = 'pillar' "
        "AND component = 'A' AND year = 2022 AND score IS NOT NULL",
    )
    lads = {code for (code,) in query(db, "SELECT area_code FROM marts.areas WHERE area_type = 'lad'")}
    assert {code for (code,) in scored} == lads - {CUMBERLAND[0]}


def test_the_superseded_rough_sleeping_edition_is_recorded_as_such(generated_home):
    editions = query(
        generated_home / "warehouse.duckdb",
        "SELECT release, used, periods_superseded FROM marts.source_editions "
        "WHERE source_id = 'rough_sleeping' ORDER BY release",
    )
    assert editions == [
        ("autumn 2020", False, ", ".join(str(y) for y in range(2010, 2021))),
        ("autumn 2022", True, None),
    ]
