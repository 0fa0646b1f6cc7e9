-- Violations: published counts of people below the suppression threshold.
SELECT area_code, year, measure, value
FROM marts.record_measures
WHERE counts_people AND (value < $min_people OR (value IS NULL AND observation_status IS DISTINCT FROM 'suppressed'))
