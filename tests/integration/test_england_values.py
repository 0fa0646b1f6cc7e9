"""marts.england_values on the session's refreshed warehouse (the real mirror): one England row per
indicator and period, published where the publisher printed one, else summed or recomputed from the
same release's authorities, else a population-weighted mean, else stated as not available; the
recompute rule checked against the one total DWP does print (the United Kingdom); and every England
figure on the pages is the mart's."""

from __future__ import annotations

import html
import re

import pytest

from dashboards import text, words
from tests.integration.refresh_helpers import query

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

UK_SHARE_FROM_AUTHORITIES = """
WITH authorities AS (
    SELECT indicator_id, area_code, period, value FROM landing.indicator_values WHERE source_id = 'in_work_poverty'
    UNION ALL
    SELECT indicator_id, area_code, period, value FROM landing.in_work_poverty__other_uk_local_authorities
)
SELECT p.period, 100 * sum(c.value) / sum(c.value * 100 / p.value), count(*)
FROM authorities AS p
JOIN authorities AS c ON c.area_code = p.area_code AND c.period = p.period
    AND c.indicator_id = 'children_low_income_relative_count'
WHERE p.indicator_id = 'children_low_income_relative_pct' AND p.value > 0
GROUP BY p.period ORDER BY p.period
"""


def england(home, indicator_id: str) -> dict[str, tuple]:
    rows = query(
        home / "warehouse.duckdb",
        "SELECT period, value, basis, authorities_used, authorities, observation_status FROM marts.england_values "
        "WHERE indicator_id = $i",
        {"i": indicator_id},
    )
    return {r[0]: r[1:] for r in rows}


def test_one_england_row_for_every_indicator_and_period_the_authorities_have(refreshed_home):
    missing = query(
        refreshed_home / "warehouse.duckdb",
        "SELECT DISTINCT v.indicator_id, v.period FROM marts.indicator_values AS v "
        "ANTI JOIN marts.england_values AS e USING (indicator_id, period) WHERE v.basis = 'own'",
    )
    assert missing == []
    assert (
        query(
            refreshed_home / "warehouse.duckdb",
            "SELECT indicator_id, period FROM marts.england_values GROUP BY ALL HAVING count(*) > 1",
        )
        == []
    )
    bases = dict(
        query(
            refreshed_home / "warehouse.duckdb",
            "SELECT indicator_id, string_agg(DISTINCT basis, ',') FROM marts.england_values GROUP BY ALL",
        )
    )
    assert bases["rough_sleeping_count"] == "published" and bases["population_all_ages"] == "published"
    assert bases["jobs_below_living_wage_pct"] == "published"  # ONS prints England; survey counts never summed
    assert bases["children_low_income_relative_count"] == "summed"
    assert bases["children_low_income_relative_pct"] == "recomputed"
    # an index the publisher gives no England figure for: an estimate, said to be one
    assert bases["smc_conditions_of_childhood"] == "population_weighted_mean"
    smc = england(refreshed_home, "smc_conditions_of_childhood")
    assert all(v[0] is not None and v[4] == "estimated" for v in smc.values())


def test_summed_and_recomputed_england_from_every_english_authority(refreshed_home):
    count = england(refreshed_home, "children_low_income_relative_count")
    ((total, authorities),) = query(
        refreshed_home / "work" / "refresh.duckdb",
        "SELECT sum(value), count(*) FROM landing.indicator_values WHERE indicator_id = "
        "'children_low_income_relative_count' AND period = '2020/21' AND area_code LIKE 'E0%'",
    )
    # the same children, on the 2025 authorities the marts use (296, some made from several of the 309)
    assert count["2020/21"][:4] == (total, "summed", 296, 296) and authorities == 309
    share = england(refreshed_home, "children_low_income_relative_pct")
    assert sorted(share) == ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19", "2019/20", "2020/21"]
    value, basis, used, listed, _ = share["2020/21"]
    assert basis == "recomputed" and used == listed == 296
    assert value == pytest.approx(18.47, abs=0.01)
    # the children the shares imply: England's under-16s at mid-2020 (about 10.8 million)
    assert 10.5e6 < count["2020/21"][0] / (value / 100) < 11.2e6


def test_the_recompute_rule_reproduces_the_publishers_uk_percentages(refreshed_home):
    """DWP prints a United Kingdom row but no England one: the rule that makes England's percentage,
    applied to all 374 UK authorities, gives DWP's UK figure to its one decimal place."""
    work = refreshed_home / "work" / "refresh.duckdb"
    recomputed = query(work, UK_SHARE_FROM_AUTHORITIES)
    published = dict(
        query(
            work,
            "SELECT period, value FROM landing.aggregate_values WHERE area_code = 'K02000001' "
            "AND indicator_id = 'children_low_income_relative_pct'",
        )
    )
    assert len(recomputed) == 7
    for period, share, authorities in recomputed:
        assert authorities == 374
        assert share == pytest.approx(published[period], abs=0.05), period


def england_cells(page: str) -> dict[tuple[str, str], str]:
    """(indicator, period) -> the England column's text in an area page's figures tables."""
    cells = {}
    for iid, head, body in re.findall(
        r'<table id="table-([\w-]+)"[^>]*>.*?<thead>(.*?)</thead><tbody>(.*?)</tbody>', page, flags=re.S
    ):
        headers = [html.unescape(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", head, flags=re.S)]
        if "England" not in headers:
            continue
        for tr in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
            row = [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.S)]
            cells[(iid, row[0])] = row[headers.index("England")]
    return cells


def test_every_england_figure_on_the_pages_is_the_marts(refreshed_home):
    """A region's page lists every period of every indicator beside England's: each England cell is
    marts.england_values' figure, and each tile says how England's latest figure was got."""
    marts = query(
        refreshed_home / "warehouse.duckdb",
        "SELECT e.indicator_id, e.period, e.value, e.unit, e.basis FROM marts.england_values AS e "
        "JOIN marts.indicators AS i USING (indicator_id) WHERE i.available",
    )
    page = (refreshed_home / "site" / "areas" / "E12000001.html").read_text(encoding="utf-8")
    indicators = {i for (i,) in query(refreshed_home / "warehouse.duckdb", "SELECT indicator_id FROM marts.indicators")}
    shown = {key: cell for key, cell in england_cells(page).items() if key[0] in indicators}  # not IG+ tables
    assert {(i, p) for i, p, *_ in marts} == set(shown)
    for indicator_id, period, value, unit, _ in marts:
        assert shown[(indicator_id, period)] == text.number(value, unit), (indicator_id, period)
    bases = {b for *_, b in marts}
    assert {"published", "summed", "recomputed", "population_weighted_mean"} <= bases
    assert words.ENGLAND_METHOD["recomputed_share"] in html.unescape(page)
    assert words.ENGLAND_METHOD["published"] in html.unescape(page)
