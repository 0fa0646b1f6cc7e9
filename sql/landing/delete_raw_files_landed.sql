DELETE FROM landing.raw_files_landed WHERE source_id = $source_id
