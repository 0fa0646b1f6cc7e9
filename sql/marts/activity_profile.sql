-- Involvement activities per area (local authorities, their groupings and England) and year, broken
-- down by programme stage, method and the programme's target groups: how many, how many reached
-- co-design or co-production (ladder steps 6-7) and that share. An activity counts once for each
-- target group of its programme. Counts of activities, not of people: nothing is suppressed.
WITH
activities AS (
    SELECT activity_id, programme_id, area_code AS lad_code, year, stage, method, ladder_step
    FROM staging.records_activities
),
groups AS (
    SELECT programme_id, target_group FROM staging.records_programme_target_groups
),
area_map AS (
    SELECT lad_code, area_code, area_type FROM intermediate.lad_rollup
),
status AS (
    SELECT coalesce(bool_or(CAST(example_data AS BOOLEAN)), false) AS example_data FROM landing.records_status
),
facets AS (
    SELECT lad_code, year, ladder_step, 'stage' AS dimension, stage AS category FROM activities
    UNION ALL
    SELECT lad_code, year, ladder_step, 'method', method FROM activities
    UNION ALL
    SELECT a.lad_code, a.year, a.ladder_step, 'target_group', coalesce(g.target_group, 'not_stated')
    FROM activities AS a LEFT JOIN groups AS g USING (programme_id)
)
SELECT m.area_code, m.area_type, CAST(f.year AS INTEGER) AS year, f.dimension, f.category,
       count(*) AS activities,
       count(*) FILTER (WHERE f.ladder_step >= 6) AS activities_codesign_or_above,
       round(100.0 * count(*) FILTER (WHERE f.ladder_step >= 6) / count(*), 1) AS codesign_or_above_pct,
       any_value(s.example_data) AS example_data
FROM facets AS f
JOIN area_map AS m USING (lad_code)
CROSS JOIN status AS s
GROUP BY m.area_code, m.area_type, f.year, f.dimension, f.category
ORDER BY m.area_type, m.area_code, year, f.dimension, f.category
