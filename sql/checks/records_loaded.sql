-- Violations: the records were not (all) loaded this time: a missing or weak key, a missing folder, files rejected whole.
SELECT source_id, status, reason FROM landing.source_status WHERE source_id = 'records' AND status <> 'ok'
