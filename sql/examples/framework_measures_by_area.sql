-- East Midlands Inclusion Framework impact measures for the East Midlands region over time.
SELECT year, measure, framework_id, value, unit, example_data
FROM marts.framework_measures
WHERE entity_type = 'area' AND area_code = 'E12000004'
ORDER BY year, measure, framework_id
