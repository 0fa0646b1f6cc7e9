"""The hot/cold rule of marts/igplus_uncertainty.sql on hand-made Monte Carlo summaries: the
reference run decides, the published (seeded) interval must agree, small groups stay uncertain."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from assets.warehouse import Warehouse

N_RANKED, DRAWS = 20, 2000  # best fifth: ranks 1-4; worst fifth: ranks 17-20

# area: (reference draws in best fifth, in worst fifth, seeded p05, median, p95, expected label)
CASES = {
    "E07000001": (1990, 0, 1, 2, 4, "hot"),  # 99.5% best, interval 1-4
    "E07000002": (1950, 0, 1, 2, 3, "hot"),  # exactly 97.5% meets label_share
    "E07000003": (1940, 0, 1, 3, 4, "uncertain"),  # 97.0%: below label_share
    "E07000004": (2000, 0, 1, 3, 5, "uncertain"),  # reference sure, printed interval leaves the fifth
    "E07000005": (0, 1999, 17, 19, 20, "cold"),
    "E07000006": (0, 1999, 16, 19, 20, "uncertain"),  # printed interval leaves the worst fifth
    "E07000007": (0, 1900, 17, 18, 20, "uncertain"),  # 95% in the worst fifth: not enough
}


def build(label_share: float = 0.975, n_ranked: int = N_RANKED, con=None) -> pd.DataFrame:
    con = con or duckdb.connect()
    for schema in ("landing", "staging", "intermediate", "marts"):
        con.execute(f"CREATE SCHEMA {schema}")
    con.execute(
        "CREATE TABLE landing.igplus_config_settings AS SELECT 'current' AS config_set, "
        "'igplus.test' AS version, 11 AS mc_seed, $share AS mc_label_share",
        {"share": label_share},
    )
    scores, summary = [], []
    for code, (best, worst, p05, median, p95, _) in CASES.items():
        scores.append(
            {
                "config_set": "current",
                "area_code": code,
                "year": 2022,
                "level": "pillar",
                "component": "A",
                "score": 50.0,
                "rank": median,
                "n_ranked": n_ranked,
            }
        )
        for run in ("seeded", "reference"):
            summary.append(
                {
                    "run": run,
                    "area_code": code,
                    "area_type": "lad",
                    "year": 2022,
                    "level": "pillar",
                    "component": "A",
                    "n_draws": DRAWS,
                    "median_rank": median,
                    "rank_p05": p05,
                    "rank_p95": p95,
                    "draws_best_fifth": best if run == "reference" else 0,
                    "draws_worst_fifth": worst if run == "reference" else 0,
                }
            )
    Warehouse.replace_table(con, "intermediate", "igplus_scores_all", pd.DataFrame(scores))
    Warehouse.replace_table(con, "intermediate", "igplus_rank_summary", pd.DataFrame(summary))
    Warehouse.run(con, "marts/igplus_uncertainty.sql")
    return con.execute("SELECT * FROM marts.igplus_uncertainty").df().set_index("area_code")


def test_labels_follow_the_reference_run_and_the_printed_interval():
    out = build()
    expected = pd.Series({code: case[-1] for code, case in CASES.items()}, name="hot_cold")
    pd.testing.assert_series_equal(out.hot_cold.sort_index(), expected.sort_index(), check_names=False)
    # The seeded run's counts are never read: only the reference run's shares are published.
    assert out.loc["E07000001", "share_best_fifth"] == pytest.approx(0.995)
    assert out.loc["E07000005", "share_worst_fifth"] == pytest.approx(0.9995)
    assert (out.seed == 11).all() and (out.config_version == "igplus.test").all()


def test_a_stricter_label_share_labels_fewer():
    out = build(label_share=0.99)
    assert sorted(out.index[out.hot_cold != "uncertain"]) == ["E07000001", "E07000005"]


def test_fewer_than_five_ranked_areas_are_never_labelled():
    assert (build(n_ranked=4).hot_cold == "uncertain").all()


def test_the_check_finds_a_label_its_evidence_does_not_support():
    con = duckdb.connect()
    build(con=con)
    assert Warehouse.frame(con, "checks/igplus_ranks_ordered.sql").empty
    con.execute("UPDATE marts.igplus_uncertainty SET hot_cold = 'hot' WHERE area_code = 'E07000003'")  # 97.0%
    con.execute("UPDATE marts.igplus_uncertainty SET hot_cold = 'cold' WHERE area_code = 'E07000006'")  # p05 16
    assert sorted(Warehouse.frame(con, "checks/igplus_ranks_ordered.sql").area_code) == ["E07000003", "E07000006"]
