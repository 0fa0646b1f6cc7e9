-- Violations: values for an indicator missing from the catalogue.
SELECT DISTINCT v.indicator_id
FROM marts.indicator_values AS v
LEFT JOIN marts.indicators AS i USING (indicator_id)
WHERE i.indicator_id IS NULL
