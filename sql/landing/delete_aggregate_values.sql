DELETE FROM landing.aggregate_values WHERE source_id = $source_id
