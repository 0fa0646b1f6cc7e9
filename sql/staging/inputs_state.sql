-- What the derived tables depend on: the raw files (and parser) behind each source's landed rows.
SELECT source_id, coalesce(parsed_fingerprint, '') AS parsed_fingerprint
FROM landing.source_status
ORDER BY source_id
