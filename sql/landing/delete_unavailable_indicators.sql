DELETE FROM landing.unavailable_indicators WHERE source_id = $source_id
