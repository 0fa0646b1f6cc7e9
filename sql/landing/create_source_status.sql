-- One row per source: the outcome of its latest refresh attempt and its last success.
CREATE TABLE IF NOT EXISTS landing.source_status (
    source_id VARCHAR PRIMARY KEY,
    status VARCHAR NOT NULL,          -- ok | stale | unavailable
    reason VARCHAR,
    mode VARCHAR,                     -- mirror | live
    releases VARCHAR,
    raw_fingerprint VARCHAR,          -- of the raw files last acquired
    parsed_fingerprint VARCHAR,       -- of the raw files (and parser) behind the landing rows
    attempted_at VARCHAR,
    last_success_at VARCHAR
)
