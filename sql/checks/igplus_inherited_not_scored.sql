-- Violations: a local authority scored or ranked on a value inherited from its county (basis 'inherited').
WITH
inherited AS (
    SELECT indicator_id, area_code, period FROM marts.indicator_values WHERE basis = 'inherited'
)
SELECT s.area_code, s.year, s.component, s.indicator_id, s.period, s.score, s.rank
FROM marts.igplus_scores AS s
JOIN inherited USING (indicator_id, area_code, period)
WHERE s.level = 'indicator' AND s.area_type = 'lad' AND (s.score IS NOT NULL OR s.rank IS NOT NULL)
