-- The extent of a source's landed (last good) values per indicator: rows, areas and periods with a value.
SELECT indicator_id, count(*) AS rows, count(DISTINCT area_code) AS areas, count(DISTINCT period) AS periods
FROM landing.indicator_values
WHERE source_id = $source_id AND value IS NOT NULL
GROUP BY indicator_id
ORDER BY indicator_id
