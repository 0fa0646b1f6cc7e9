-- Provenance follows the rows kept: the raw files of the last good landing replace a refused release's.
INSERT INTO landing.raw_files BY NAME SELECT * FROM landing.raw_files_landed WHERE source_id = $source_id
