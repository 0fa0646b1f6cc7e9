-- The raw files behind each source's landed rows: put back when a newer release is refused.
CREATE TABLE IF NOT EXISTS landing.raw_files_landed AS SELECT * FROM landing.raw_files WHERE false
