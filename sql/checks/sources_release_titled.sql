-- Violations: a source with loaded data (ok or stale) whose release title is missing.
SELECT source_id, status, release_title
FROM marts.sources
WHERE status IN ('ok', 'stale')
  AND (release_title IS NULL OR trim(release_title) = '')
