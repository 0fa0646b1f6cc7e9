-- The groups each programme is for (its target_groups list), one row per programme and group.
SELECT DISTINCT CAST(programme_id AS VARCHAR) AS programme_id, CAST(value AS VARCHAR) AS target_group
FROM landing.records_programmes__target_groups
