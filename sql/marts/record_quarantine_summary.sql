-- How many problems each records file had, by template table, template column and kind of problem.
-- Counts only, and nothing anyone typed: files by their keyed pseudonymous id, sheets by the template
-- table they hold, columns only when they are template columns (an unknown header is NULL), kinds
-- from a fixed list. No cell values, file names, sheet titles or messages reach the marts.
WITH
problems AS (
    SELECT file_id, table_name, template_column AS column_name, kind FROM landing.records_problems
),
reconciliation AS (
    SELECT file_id, table_name, sum(read) AS rows_read, sum(loaded) AS rows_loaded,
           sum(quarantined) AS rows_quarantined
    FROM landing.records_reconciliation WHERE file_id IS NOT NULL GROUP BY ALL
),
status AS (
    SELECT coalesce(bool_or(example_data), false) AS example_data FROM landing.records_status
),
counted AS (
    SELECT file_id, table_name, column_name, kind, count(*) AS problems FROM problems GROUP BY ALL
)
SELECT c.file_id, c.table_name, c.column_name, c.kind, c.problems,
       r.rows_read, r.rows_loaded, r.rows_quarantined, s.example_data
FROM counted AS c
LEFT JOIN reconciliation AS r ON r.file_id = c.file_id AND r.table_name IS NOT DISTINCT FROM c.table_name
CROSS JOIN status AS s
ORDER BY c.file_id, c.table_name, c.column_name, c.kind
