SELECT * FROM landing.raw_files WHERE source_id = $source_id ORDER BY original_name, sha256
