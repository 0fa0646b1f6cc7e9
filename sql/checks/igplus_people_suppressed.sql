-- Violations: framework measures that count people below the suppression threshold.
SELECT entity_type, entity_code, year, measure, value
FROM marts.framework_measures
WHERE counts_people AND (value < $min_people OR (value IS NULL AND observation_status IS DISTINCT FROM 'suppressed'))
