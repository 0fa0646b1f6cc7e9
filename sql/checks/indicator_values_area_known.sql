-- Violations: values for an area that is not a local authority of the target vintage.
SELECT v.indicator_id, v.area_code, v.period
FROM marts.indicator_values AS v
LEFT JOIN marts.areas AS a ON a.area_code = v.area_code AND a.area_type = 'lad'
WHERE a.area_code IS NULL
