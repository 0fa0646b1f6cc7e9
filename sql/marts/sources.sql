-- Data freshness per source: the latest attempt, the last success and why a source is stale.
CREATE OR REPLACE TABLE marts.sources AS
WITH
catalogue AS (
    SELECT source_id, title, publisher, licence FROM landing.source_catalogue
),
status AS (
    SELECT * FROM landing.source_status
),
files AS (
    SELECT source_id, max(retrieved_at) AS retrieved_at, count(*) AS raw_files
    FROM landing.raw_files GROUP BY source_id
)
SELECT c.source_id, c.title, c.publisher, c.licence, s.releases, f.retrieved_at, s.mode,
       coalesce(s.status, 'never_run') AS status,
       CASE WHEN s.status = 'ok' THEN NULL ELSE s.reason END AS stale_reason,
       s.last_success_at, s.attempted_at, f.raw_files
FROM catalogue AS c
LEFT JOIN status AS s USING (source_id)
LEFT JOIN files AS f USING (source_id)
ORDER BY c.source_id
