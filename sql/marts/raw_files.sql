-- Provenance: every raw file behind the published values, by sha256, with the licence it is under.
WITH
raw_files AS (
    SELECT source_id, original_name, sha256, origin, retrieved_at, release, size_bytes
    FROM landing.raw_files
),
licences AS (
    SELECT source_id, licence FROM landing.source_catalogue
)
SELECT r.source_id, r.original_name, r.sha256, r.origin, r.retrieved_at, r.release, r.size_bytes, l.licence
FROM raw_files AS r
LEFT JOIN licences AS l ON l.source_id = r.source_id
ORDER BY r.source_id, r.original_name
