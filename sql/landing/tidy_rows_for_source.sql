-- A source's rows in both landing tables of the tidy contract, for the Great Expectations suite.
SELECT
    'indicator_values' AS landing_table,
    *
FROM landing.indicator_values
WHERE source_id = $source_id
UNION ALL
SELECT
    'aggregate_values' AS landing_table,
    *
FROM landing.aggregate_values
WHERE source_id = $source_id
