-- Provenance of every raw file a source was read from (the bytes are in the archive by sha256).
CREATE TABLE IF NOT EXISTS landing.raw_files (
    source_id VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    original_name VARCHAR,
    origin VARCHAR,
    retrieved_at VARCHAR,
    release VARCHAR,
    size_bytes BIGINT
)
