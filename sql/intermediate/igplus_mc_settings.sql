-- Settings of the IG+ Monte Carlo (assets/montecarlo.py), one row: the current config's draws,
-- seed, method version, weight jitter, value uncertainty, geometric floor, years simulated and the
-- chance of each normalisation.
SELECT s.version, s.mc_draws, s.mc_seed, s.mc_weight_jitter, s.mc_value_uncertainty, s.geometric_floor,
       s.mc_years,
       coalesce(sum(n.probability) FILTER (WHERE n.method = 'goalposts'), 0) AS p_goalposts,
       coalesce(sum(n.probability) FILTER (WHERE n.method = 'zscore'), 0) AS p_zscore,
       coalesce(sum(n.probability) FILTER (WHERE n.method = 'rank'), 0) AS p_rank
FROM landing.igplus_config_settings AS s
LEFT JOIN landing.igplus_config_normalisations AS n USING (config_set)
WHERE s.config_set = 'current'
GROUP BY ALL
