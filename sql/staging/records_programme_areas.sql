-- The local authorities each programme serves (its local_authority_codes list), one row per pair.
SELECT DISTINCT CAST(programme_id AS VARCHAR) AS programme_id, CAST(value AS VARCHAR) AS area_code
FROM landing.records_programmes__local_authority_codes
