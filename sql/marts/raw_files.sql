-- Provenance: every raw file behind the published values, by sha256.
SELECT source_id, original_name, sha256, origin, retrieved_at, release, size_bytes
FROM landing.raw_files
ORDER BY source_id, original_name
