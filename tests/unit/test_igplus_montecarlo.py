"""The IG+ Monte Carlo engine (assets/montecarlo.py) on the small synthetic warehouse of
test_igplus_index: equal to the plain all-draws-at-once reference in benchmarks/, independent of
the block size, bounded by the block, reproducible with the seed, labels' run blind to the seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assets import montecarlo
from assets.warehouse import Warehouse
from benchmarks.igplus_mc_reference import simulate

from .test_igplus_index import default_build

DRAWS = 400


@pytest.fixture(scope="module")
def inputs():
    with default_build().connect() as con:
        settings, values, cells = (Warehouse.frame(con, p) for p in montecarlo.SQL_INPUTS)
    settings = settings.iloc[0].to_dict()
    settings["mc_draws"] = DRAWS
    return settings, values, cells


def test_equals_the_reference_implementation(inputs):
    settings, values, cells = inputs
    assert (values["sd"] > 0).any() and settings["mc_weight_jitter"] > 0  # every kind of draw is exercised
    engine = montecarlo.rank_summary(values, cells, settings)
    reference = simulate(values, cells, settings)[engine.columns]
    assert len(engine) > 100 and set(engine.run) == {"seeded", "reference"}
    pd.testing.assert_frame_equal(engine, reference, check_dtype=False)
    # Not a degenerate simulation: some intervals are wide, and the fifths are counted.
    assert (engine.rank_p95 > engine.rank_p05).any() and (engine.draws_best_fifth == DRAWS).any()


def test_each_normalisation_alone_equals_the_reference(inputs):
    settings, values, cells = inputs
    for method in montecarlo.METHODS:
        alone = {**settings, "mc_draws": 60, **{f"p_{m}": float(m == method) for m in montecarlo.METHODS}}
        engine = montecarlo.rank_summary(values, cells, alone)
        pd.testing.assert_frame_equal(engine, simulate(values, cells, alone)[engine.columns], check_dtype=False)


def test_years_without_any_igplus_score(inputs):
    settings, values, cells = inputs
    pillars_only = cells[cells.level == "pillar"]
    engine = montecarlo.rank_summary(values, pillars_only, {**settings, "mc_draws": 50})
    assert set(engine.level) == {"pillar"}
    pd.testing.assert_frame_equal(
        engine, simulate(values, pillars_only, {**settings, "mc_draws": 50})[engine.columns], check_dtype=False
    )


def test_block_size_changes_nothing_and_bounds_each_block(inputs, monkeypatch):
    settings, values, cells = inputs
    whole = montecarlo.rank_summary(values, cells, settings, block_cells=10**9)
    seen = []
    original = montecarlo._block_ranks

    def spy(plan, draws, *args):
        seen.append(len(draws) * plan.n_values)
        return original(plan, draws, *args)

    monkeypatch.setattr(montecarlo, "_block_ranks", spy)
    n_values = montecarlo.Plan(values, cells, settings).n_values
    small = montecarlo.rank_summary(values, cells, settings, block_cells=7 * n_values)
    pd.testing.assert_frame_equal(whole, small)
    assert max(seen) <= 7 * n_values and len(seen) >= DRAWS * 2 // 7


def test_same_seed_same_numbers_new_seed_moves_only_the_seeded_run(inputs):
    settings, values, cells = inputs
    first = montecarlo.rank_summary(values, cells, settings)
    pd.testing.assert_frame_equal(
        first, montecarlo.rank_summary(values, cells.sample(frac=1, random_state=1), settings)
    )
    other = montecarlo.rank_summary(values, cells, {**settings, "mc_seed": settings["mc_seed"] + 1})
    ref, ref2 = first[first.run == "reference"], other[other.run == "reference"]
    pd.testing.assert_frame_equal(ref, ref2)
    seeded, seeded2 = first[first.run == "seeded"], other[other.run == "seeded"]
    counts = ["median_rank", "rank_p05", "rank_p95", "draws_best_fifth", "draws_worst_fifth"]
    assert (seeded[counts].to_numpy() != seeded2[counts].to_numpy()).any()


def test_random_numbers_depend_only_on_stream_draw_and_item():
    items = np.array([montecarlo.key64(f"E0700000{i}|2022|low_pay") for i in range(5)], dtype=np.uint64)
    draws = np.arange(1, 2001)
    u = montecarlo.uniforms(montecarlo.key64("7|u1"), draws, items)
    assert u.shape == (2000, 5) and (u > 0).all() and (u < 1).all()
    assert abs(u.mean() - 0.5) < 0.01 and abs(np.corrcoef(u[:, 0], u[:, 1])[0, 1]) < 0.1
    # The same number whatever else is computed with it.
    assert montecarlo.uniforms(montecarlo.key64("7|u1"), draws[[41]], items[[3]])[0, 0] == u[41, 3]
    assert not np.array_equal(u, montecarlo.uniforms(montecarlo.key64("8|u1"), draws, items))


def test_group_ranks_are_competition_ranks_within_groups():
    x = np.array([[3.0, 1.0, 3.0, 2.0, 9.0, 9.0, 5.0]])
    assert montecarlo.group_ranks(x, np.array([0, 4])).tolist() == [[3, 1, 3, 2, 2, 2, 1]]


def test_the_benchmarks_records_everywhere_gives_every_area_pillar_b(tmp_path):
    """bench_igplus's 'with records for every area' case (make bench): every records value filled and
    the scores recomputed from them, on a copy; the warehouse it copies is untouched."""
    import duckdb

    from benchmarks import bench_igplus

    source = default_build().work_path
    target = tmp_path / "everywhere.duckdb"
    bench_igplus.prepare(source, target, records_everywhere=True)
    query = "SELECT count(*) FILTER (WHERE value IS NULL), count(*) FROM intermediate.igplus_values WHERE pillar_source = 'records'"
    with duckdb.connect(str(target), read_only=True) as con:
        missing, filled = con.execute(query).fetchone()
        assert missing == 0 and filled > 0
    with duckdb.connect(str(source), read_only=True) as con:
        assert con.execute(query).fetchone()[0] > 0  # the copy was changed, not the source
