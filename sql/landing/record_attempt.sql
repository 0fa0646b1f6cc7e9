-- Upsert the outcome of a refresh attempt; last_success_at and parsed_fingerprint only move on success.
INSERT INTO landing.source_status AS s
    (source_id, status, reason, mode, releases, raw_fingerprint, parsed_fingerprint, attempted_at, last_success_at)
VALUES ($source_id, $status, $reason, $mode, $releases, $raw_fingerprint, $parsed_fingerprint,
        $attempted_at, CASE WHEN $status = 'ok' THEN $attempted_at END)
ON CONFLICT (source_id) DO UPDATE SET
    status = excluded.status,
    reason = excluded.reason,
    mode = coalesce(excluded.mode, s.mode),
    releases = coalesce(excluded.releases, s.releases),
    raw_fingerprint = coalesce(excluded.raw_fingerprint, s.raw_fingerprint),
    parsed_fingerprint = coalesce(excluded.parsed_fingerprint, s.parsed_fingerprint),
    attempted_at = excluded.attempted_at,
    last_success_at = coalesce(excluded.last_success_at, s.last_success_at)
