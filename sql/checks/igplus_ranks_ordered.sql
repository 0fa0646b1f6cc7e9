-- Violations: Monte Carlo rank intervals out of order, or a hot/cold label its interval does not support.
SELECT area_code, area_type, year, component, rank_p05, median_rank, rank_p95, n_ranked, hot_cold
FROM marts.igplus_uncertainty
WHERE NOT (rank_p05 <= median_rank AND median_rank <= rank_p95)
   OR rank_p05 < 1 OR rank_p95 > n_ranked
   OR (hot_cold <> 'uncertain' AND n_ranked < 5)
   OR (hot_cold = 'hot' AND ceil(5.0 * rank_p95 / n_ranked) <> 1)
   OR (hot_cold = 'cold' AND ceil(5.0 * rank_p05 / n_ranked) <> 5)
   OR hot_cold NOT IN ('hot', 'cold', 'uncertain')
