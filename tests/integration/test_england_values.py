"""marts.england_values on the session's refreshed warehouse (the real mirror): one England row per
indicator and period, published where the publisher printed one, else summed or recomputed from the
same release's authorities, else stated as not available; the recompute rule checked against the
one total DWP does print (the United Kingdom)."""

from __future__ import annotations

import pytest

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
    assert bases["smc_conditions_of_childhood"] == "not_available"  # a relative index has no England value
    smc = england(refreshed_home, "smc_conditions_of_childhood")
    assert all(v[0] is None and v[4] == "not_available" for v in smc.values())


def test_summed_and_recomputed_england_from_every_english_authority(refreshed_home):
    count = england(refreshed_home, "children_low_income_relative_count")
    ((total, authorities),) = query(
        refreshed_home / "work" / "refresh.duckdb",
        "SELECT sum(value), count(*) FROM landing.indicator_values WHERE indicator_id = "
        "'children_low_income_relative_count' AND period = '2020/21' AND area_code LIKE 'E0%'",
    )
    assert count["2020/21"][:4] == (total, "summed", 309, 309) and authorities == 309
    share = england(refreshed_home, "children_low_income_relative_pct")
    assert sorted(share) == ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19", "2019/20", "2020/21"]
    value, basis, used, listed, _ = share["2020/21"]
    assert basis == "recomputed" and used == listed == 309
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
