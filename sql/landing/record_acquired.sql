-- Note a successful acquisition; an 'ok' source stays ok (parsing decides), a stale one awaits parsing.
INSERT INTO landing.source_status AS s (source_id, status, mode, raw_fingerprint, attempted_at)
VALUES ($source_id, 'acquired', $mode, $raw_fingerprint, $attempted_at)
ON CONFLICT (source_id) DO UPDATE SET
    status = CASE WHEN s.status = 'ok' THEN 'ok' ELSE 'acquired' END,
    mode = excluded.mode,
    raw_fingerprint = excluded.raw_fingerprint,
    attempted_at = excluded.attempted_at
