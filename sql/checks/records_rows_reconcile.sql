-- Violations: records sheets whose landed rows differ from the rows counted as loaded (plus kept).
WITH
landed AS (
    SELECT source_file AS file, source_sheet AS sheet, count(*) AS landed FROM landing.records_organisations GROUP BY ALL
    UNION ALL SELECT source_file, source_sheet, count(*) FROM landing.records_programmes GROUP BY ALL
    UNION ALL SELECT source_file, source_sheet, count(*) FROM landing.records_activities GROUP BY ALL
    UNION ALL SELECT source_file, source_sheet, count(*) FROM landing.records_influence_log GROUP BY ALL
    UNION ALL SELECT source_file, source_sheet, count(*) FROM landing.records_contributors GROUP BY ALL
    UNION ALL SELECT source_file, source_sheet, count(*) FROM landing.records_framework_register GROUP BY ALL
    UNION ALL SELECT source_file, source_sheet, count(*) FROM landing.records_self_assessments GROUP BY ALL
    UNION ALL SELECT source_file, source_sheet, count(*) FROM landing.records_framework_points GROUP BY ALL
    UNION ALL SELECT source_file, source_sheet, count(*) FROM landing.records_participant_feedback GROUP BY ALL
    UNION ALL SELECT source_file, source_sheet, count(*) FROM landing.records_place_surveys GROUP BY ALL
),
expected AS (
    SELECT file, sheet, any_value(file_id) AS file_id, any_value(table_name) AS table_name,
           sum(loaded + kept_previous) AS expected, sum(read) AS read, sum(loaded + quarantined) AS accounted
    FROM landing.records_reconciliation WHERE sheet IS NOT NULL GROUP BY ALL
)
-- Evidence names files by their pseudonymous id and sheets by template table: never a file name.
SELECT e.file_id, e.table_name, e.read, e.accounted, e.expected, coalesce(l.landed, 0) AS landed
FROM expected AS e
FULL OUTER JOIN landed AS l ON l.file = e.file AND l.sheet = e.sheet
WHERE coalesce(l.landed, 0) <> coalesce(e.expected, 0) OR e.read <> e.accounted
