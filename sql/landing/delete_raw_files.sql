DELETE FROM landing.raw_files WHERE source_id = $source_id
