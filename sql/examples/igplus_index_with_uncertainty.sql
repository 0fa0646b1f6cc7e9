-- IG+ and pillar A ranks with their Monte Carlo interval; hot/cold only when the interval is clear.
SELECT s.area_name, s.area_type, s.year, s.component, s.score, s.status,
       u.rank, u.median_rank, u.rank_p05, u.rank_p95, u.n_ranked, u.hot_cold
FROM marts.igplus_scores AS s
LEFT JOIN marts.igplus_uncertainty AS u USING (area_code, year, level, component)
WHERE s.level IN ('pillar', 'igplus') AND s.year = 2023 AND s.area_type = 'lad'
ORDER BY s.component, u.median_rank NULLS LAST
