-- How many problems each records file and sheet had, by column and kind of problem. Counts only:
-- no cell values and no messages (which may quote cells) ever reach the marts.
CREATE OR REPLACE TABLE marts.record_quarantine_summary AS
WITH
problems AS (
    SELECT file, sheet, "column" AS column_name, kind FROM landing.records_problems
),
reconciliation AS (
    SELECT file, sheet, sum(read) AS rows_read, sum(loaded) AS rows_loaded, sum(quarantined) AS rows_quarantined
    FROM landing.records_reconciliation GROUP BY ALL
),
status AS (
    SELECT coalesce(bool_or(example_data), false) AS example_data FROM landing.records_status
),
counted AS (
    SELECT file, sheet, column_name, kind, count(*) AS problems FROM problems GROUP BY ALL
)
SELECT c.file, c.sheet, c.column_name, c.kind, c.problems,
       r.rows_read, r.rows_loaded, r.rows_quarantined, s.example_data
FROM counted AS c
LEFT JOIN reconciliation AS r ON r.file = c.file AND r.sheet IS NOT DISTINCT FROM c.sheet
CROSS JOIN status AS s
ORDER BY c.file, c.sheet, c.column_name, c.kind
