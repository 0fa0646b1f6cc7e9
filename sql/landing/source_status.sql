SELECT * FROM landing.source_status WHERE source_id = $source_id
