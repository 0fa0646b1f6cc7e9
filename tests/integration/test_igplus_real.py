"""IG+ on the real mirror after the session's full refresh (200 Monte Carlo draws): scores
recomputed independently from marts.indicator_values and the config, Monte Carlo intervals, and, at
the method's full size (2000 draws, 296 LADs), seed stability: a new seed moves the percentiles,
never a hot/cold label. Publisher values intact."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from assets.igplus import DEFAULT_CONFIG
from assets.montecarlo import write_rank_summary
from assets.warehouse import Warehouse
from tests.unit.igplus_reference import aligned_lad_values, competition_ranks, read_config, scores_from_table

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


@pytest.fixture
def home(refreshed_home):
    """The session's one refresh of the real mirror (tests/conftest.py): read only."""
    return refreshed_home


def frame(home, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def test_scores_recomputed_from_indicator_values_and_config(home):
    config = read_config(DEFAULT_CONFIG)
    scores = frame(home, "SELECT * FROM marts.igplus_scores")
    values = frame(home, "SELECT * FROM marts.indicator_values")
    values["period_start"] = pd.to_datetime(values["period_start"])
    values["period_end"] = pd.to_datetime(values["period_end"])
    # A county figure passed down to a district is not the district's own: it is never scored.
    values.loc[values["basis"] == "inherited", "value"] = np.nan
    expected = aligned_lad_values(values, config)
    got = scores[(scores.level == "indicator") & (scores.area_type == "lad") & (scores.pillar == "A")]
    merged = got.merge(expected, on=["area_code", "year", "component"], how="left", suffixes=("", "_ref"))
    assert np.allclose(merged["value"].astype(float), merged["value_ref"].astype(float), atol=1e-9, equal_nan=True)
    ref = scores_from_table(scores[scores.level == "indicator"], config)
    both = scores.merge(ref, on=["area_code", "year", "level", "component"], validate="1:1")
    assert len(both) == len(scores) > 100_000
    assert (both["score"].isna() == both["ref"].isna()).all()
    assert np.allclose(both["score"].dropna(), both["ref"].dropna().astype(float), atol=1e-9, rtol=0)
    lads = scores[
        (scores.area_type == "lad") & (scores.level == "pillar") & (scores.component == "A") & (scores.year == 2022)
    ]
    scored = lads[lads.score.notna()]
    assert len(lads) == 296 and len(scored) > 200
    assert lads.loc[lads.score.isna(), "rank"].isna().all()
    assert (scored["rank"].to_numpy() == competition_ranks(scored["score"]).to_numpy()).all()


def test_smc_indicator_ranks_pass_through(home):
    scores = frame(
        home,
        "SELECT * FROM marts.igplus_scores WHERE level = 'indicator' AND area_type = 'lad' "
        "AND component LIKE 'smc_%' AND year = 2022",
    )
    published = frame(
        home,
        "SELECT indicator_id, area_code, value, basis FROM marts.indicator_values "
        "WHERE indicator_id LIKE 'smc_%' AND period IN ('2018 to 2024', '2021 to 2024')",
    )
    merged = scores.merge(published, on=["indicator_id", "area_code"], suffixes=("", "_pub"))
    assert len(merged) == 4 * 296
    inherited = merged[merged["basis"] == "inherited"]
    assert len(inherited) > 0 and inherited["value"].isna().all() and inherited["rank"].isna().all()
    for _, group in merged[merged["basis"] != "inherited"].groupby("indicator_id"):
        assert (group["value"] == group["value_pub"]).all()
        assert (group["rank"].to_numpy() == competition_ranks(group["value_pub"]).to_numpy()).all()


def test_publisher_values_and_england_totals_intact(home):
    england = frame(
        home,
        "SELECT value, aggregation FROM marts.igplus_scores WHERE area_code = 'E92000001' "
        "AND component = 'low_pay' AND level = 'indicator' AND year = 2022",
    )
    assert england.values.tolist() == [[12.5, "as_published"]]
    rough = frame(
        home,
        "SELECT value FROM marts.aggregate_values WHERE indicator_id = 'rough_sleeping_count' "
        "AND area_code = 'E92000001' AND period = '2022'",
    )
    assert rough.value.tolist() == [3069]
    westminster = frame(
        home,
        "SELECT value FROM marts.igplus_scores WHERE area_code = 'E09000033' "
        "AND component = 'rough_sleeping' AND level = 'indicator' AND year = 2022",
    )
    published = frame(
        home,
        "SELECT value FROM marts.indicator_values WHERE area_code = 'E09000033' "
        "AND indicator_id = 'rough_sleeping_rate' AND period = '2022'",
    )
    assert westminster.value.tolist() == published.value.tolist()
    neighbours = frame(
        home,
        "SELECT area_type, count(DISTINCT area_code) AS n, max(neighbour_rank) AS k "
        "FROM marts.statistical_neighbours GROUP BY 1 ORDER BY 1",
    )
    assert neighbours.set_index("area_type").loc["lad"].tolist() == [296, 10]


def test_monte_carlo_intervals_agree_with_labels(home):
    mc = frame(home, "SELECT * FROM marts.igplus_uncertainty")
    assert (mc.rank_p05 <= mc.median_rank).all() and (mc.median_rank <= mc.rank_p95).all()
    assert set(mc.hot_cold) <= {"hot", "cold", "uncertain"}
    # Every label agrees with the interval printed beside it.
    hot, cold = mc[mc.hot_cold == "hot"], mc[mc.hot_cold == "cold"]
    assert (5 * hot.rank_p95 <= hot.n_ranked).all() and (5 * cold.rank_p05 > 4 * cold.n_ranked).all()
    assert (hot.share_best_fifth >= 0.975).all() and (cold.share_worst_fifth >= 0.975).all()


def test_monte_carlo_at_full_size_a_new_seed_moves_no_label(refreshed_copy):
    """The one test of the method at config/igplus.v1.yaml's size: 2000 draws x 296 LADs, 2022."""
    full = read_config(DEFAULT_CONFIG)["monte_carlo"]["draws"]
    assert full == 2000
    warehouse = Warehouse(
        refreshed_copy / "work" / "refresh.duckdb", refreshed_copy / "unused.duckdb", memory_limit="2GB"
    )
    runs = {}
    with warehouse.connect() as con:
        for name, seed_change in (("seed", 0), ("seed2", 1)):
            con.execute(
                "UPDATE landing.igplus_config_settings SET mc_seed = mc_seed + $change, "
                "mc_draws = $draws, mc_years = [2022] WHERE config_set = 'current'",
                {"change": seed_change, "draws": full},
            )
            write_rank_summary(con)
            Warehouse.run(con, "marts/igplus_uncertainty.sql")
            runs[name] = con.execute("SELECT * FROM marts.igplus_uncertainty").df()
    mc, other = runs["seed"], runs["seed2"]
    assert (mc.n_draws == full).all()
    lads = other[(other.area_type == "lad") & (other.component == "A")]
    scored = frame(
        refreshed_copy,
        "SELECT count(*) AS n FROM marts.igplus_scores WHERE area_type = 'lad' "
        "AND level = 'pillar' AND component = 'A' AND year = 2022 AND score IS NOT NULL",
    )
    assert len(lads) == scored.n.item() > 200
    keys = ["area_code", "year", "level", "component"]
    both = mc.merge(other, on=keys, suffixes=("", "_seed2"))
    assert len(both) == len(other) == len(mc)
    # The seed is live: the published percentiles move a little...
    moved = (
        both[["median_rank", "rank_p05", "rank_p95"]].to_numpy()
        != both[["median_rank_seed2", "rank_p05_seed2", "rank_p95_seed2"]].to_numpy()
    )
    assert moved.any()
    # ...but no label does, hot, cold or uncertain.
    labelled = both[both.hot_cold != "uncertain"]
    print(f"2022: {len(labelled)} hot/cold labels; percentiles moved on {moved.any(axis=1).sum()} of {len(both)} rows")
    assert len(labelled) > 20
    changed = both[both.hot_cold_seed2 != both.hot_cold]
    assert changed.empty, changed[keys + ["hot_cold", "hot_cold_seed2", "rank_p05", "rank_p95", "rank_p95_seed2"]]
