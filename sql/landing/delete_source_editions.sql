DELETE FROM landing.source_editions WHERE source_id = $source_id
