-- Violations: a count whose sum over local authorities differs from the publisher's England row
-- (harmonisation must preserve totals). Only periods with every authority reported are compared.
WITH
lad_sums AS (
    SELECT indicator_id, period, sum(value) AS lad_sum, count(value) AS lads_with_value,
           count(*) AS lads
    FROM marts.indicator_values
    WHERE unit = 'count'
    GROUP BY indicator_id, period
),
england AS (
    SELECT indicator_id, period, value AS england_value
    FROM marts.aggregate_values
    WHERE area_code = 'E92000001' AND unit = 'count'
)
SELECT s.indicator_id, s.period, s.lad_sum, e.england_value, s.lad_sum - e.england_value AS difference
FROM lad_sums AS s
JOIN england AS e USING (indicator_id, period)
WHERE s.lads_with_value = s.lads
  AND list_contains($reconciled_indicators, s.indicator_id)
  AND abs(s.lad_sum - e.england_value) > 0.5
