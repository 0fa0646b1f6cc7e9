-- Every framework point with its label and the framework's title: the built-in frameworks
-- ($builtin_points, from sources/records/frameworks.py) and any an organisation added on its
-- framework_points sheet (titled by its id). A built-in point keeps its built-in label.
WITH
builtin AS (
    SELECT p.framework_id, p.point_number, p.label, p.framework_title FROM (SELECT unnest($builtin_points) AS p) AS points
),
added AS (
    SELECT DISTINCT CAST(framework_id AS VARCHAR) AS framework_id, CAST(point_number AS INTEGER) AS point_number,
           CAST(label AS VARCHAR) AS label, CAST(framework_id AS VARCHAR) AS framework_title
    FROM landing.records_framework_points
)
SELECT framework_id, CAST(point_number AS INTEGER) AS point_number, label, framework_title, true AS built_in
FROM builtin
UNION ALL
SELECT a.framework_id, a.point_number, any_value(a.label), any_value(a.framework_title), false
FROM added AS a
WHERE NOT EXISTS (SELECT 1 FROM builtin AS b WHERE b.framework_id = a.framework_id)
GROUP BY a.framework_id, a.point_number
