-- After refreshing with an edited config (INCLUSION_IGPLUS_CONFIG): the areas whose pillar A rank
-- moved most against the default config/igplus.v1.yaml.
SELECT area_name, area_type, year, rank_default, rank_current, rank_change, score_default, score_current
FROM marts.igplus_sensitivity
WHERE level = 'pillar' AND component = 'A' AND rank_change <> 0
ORDER BY abs(rank_change) DESC, area_name
LIMIT 20
