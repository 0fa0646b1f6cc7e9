-- The pillar and IG+ scores the Monte Carlo ranks (assets/montecarlo.py), with how many areas of
-- the same type each is ranked among.
SELECT area_code, year, level, component, n_ranked
FROM intermediate.igplus_scores_all
WHERE config_set = 'current' AND score IS NOT NULL AND level IN ('pillar', 'igplus')
ORDER BY area_code, year, level, component
