-- Violations: more than one row for an indicator, area and period.
SELECT indicator_id, area_code, period, count(*) AS rows_found
FROM marts.indicator_values
GROUP BY indicator_id, area_code, period
HAVING count(*) > 1
