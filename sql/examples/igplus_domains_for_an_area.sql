-- Why an area scores as it does: each indicator's value on its own scale and its 0-100 score,
-- with the period used, whether a fallback series stood in, and the domain scores.
SELECT year, level, pillar, domain, component, indicator_id, period, value, score, fallback_used,
       status, example_data
FROM marts.igplus_scores
WHERE area_code = 'E06000018' AND year = 2023 AND level IN ('indicator', 'domain')
ORDER BY pillar ASC, domain ASC, level DESC, component ASC
