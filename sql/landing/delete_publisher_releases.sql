DELETE FROM landing.publisher_releases WHERE source_id = $source_id
