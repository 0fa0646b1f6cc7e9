-- Pillar A (inclusive growth) for every local authority in 2023: score, rank, change since the
-- baseline year and how it compares with England, its region and its statistical neighbours.
SELECT area_code, area_name, score, rank, n_ranked, quintile, change_since_baseline,
       england_score, region_score, neighbours_score
FROM marts.igplus_scores
WHERE area_type = 'lad' AND level = 'pillar' AND component = 'A' AND year = 2023
ORDER BY rank
