SELECT * FROM landing.indicator_values WHERE source_id = $source_id
