-- Violations: an indicator and period missing rows for some districts of the target vintage
-- (a warning: a publisher may not cover every district, but a row with a status is expected).
WITH
lads AS (
    SELECT count(*) AS expected FROM marts.areas WHERE area_type = 'lad'
),
present AS (
    SELECT indicator_id, period, count(DISTINCT area_code) AS districts
    FROM marts.indicator_values
    GROUP BY indicator_id, period
)
SELECT p.indicator_id, p.period, p.districts, l.expected
FROM present AS p, lads AS l
WHERE p.districts < l.expected
ORDER BY p.indicator_id, p.period
