-- Violations: a missing value with no status saying why, or a percentage outside 0-100.
SELECT indicator_id, area_code, period, value, unit, observation_status
FROM marts.indicator_values
WHERE (value IS NULL AND observation_status IS NULL)
   OR (unit = 'percent' AND (value < 0 OR value > 100))
   OR (unit = 'count' AND value < 0)
