-- Each source's refresh outcome, for the steps that publish freshness.
SELECT source_id, status, coalesce(reason, '') AS reason
FROM landing.source_status
ORDER BY source_id
