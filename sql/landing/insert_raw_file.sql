-- One archived file of a source, its values bound (a source has a few files: no DataFrame needed).
INSERT INTO landing.raw_files (
    source_id, sha256, path, original_name, origin, retrieved_at, release, size_bytes
)
VALUES ($source_id, $sha256, $path, $original_name, $origin, $retrieved_at, $release, $size_bytes)
