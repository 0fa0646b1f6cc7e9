-- Violations: Monte Carlo rank intervals out of order, or a hot/cold label its interval or reference share does not support.
SELECT u.area_code, u.area_type, u.year, u.component, u.rank_p05, u.median_rank, u.rank_p95, u.n_ranked,
       u.hot_cold, u.share_best_fifth, u.share_worst_fifth
FROM marts.igplus_uncertainty AS u
CROSS JOIN (SELECT mc_label_share FROM landing.igplus_config_settings WHERE config_set = 'current') AS s
WHERE NOT (u.rank_p05 <= u.median_rank AND u.median_rank <= u.rank_p95)
   OR u.rank_p05 < 1 OR u.rank_p95 > u.n_ranked
   OR NOT (u.share_best_fifth BETWEEN 0 AND 1 AND u.share_worst_fifth BETWEEN 0 AND 1)
   OR (u.hot_cold <> 'uncertain' AND u.n_ranked < 5)
   OR (u.hot_cold = 'hot' AND (ceil(5.0 * u.rank_p95 / u.n_ranked) <> 1 OR u.share_best_fifth < s.mc_label_share))
   OR (u.hot_cold = 'cold' AND (ceil(5.0 * u.rank_p05 / u.n_ranked) <> 5 OR u.share_worst_fifth < s.mc_label_share))
   OR u.hot_cold NOT IN ('hot', 'cold', 'uncertain')
