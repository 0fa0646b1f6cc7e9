-- Remember the raw files a source's rows were just landed from.
INSERT INTO landing.raw_files_landed BY NAME SELECT * FROM landing.raw_files WHERE source_id = $source_id
