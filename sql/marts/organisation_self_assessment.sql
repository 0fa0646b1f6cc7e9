-- Inclusion Report, self-assessment point by point: each organisation's rating of each framework point
-- on each assessment date, with its previous rating (the same organisation's earlier assessment of the
-- same point) and the change: 'better', 'same', 'worse' or 'first' (no earlier rating). Evidence is
-- free text and never loaded.
WITH
assessments AS (
    SELECT organisation_id, assessment_date, year, framework_id, point_number, rating
    FROM staging.records_self_assessments
),
points AS (
    SELECT framework_id, point_number, label, framework_title FROM staging.records_framework_points
),
scale AS (
    -- The rating scale in order (model.RATINGS).
    SELECT * FROM (VALUES ('not_started', 0), ('planned', 1), ('in_progress', 2), ('partly_met', 3), ('met', 4))
        AS v(rating, rating_order)  -- noqa: AL05, LT01
),
status AS (
    SELECT coalesce(bool_or(CAST(example_data AS BOOLEAN)), false) AS example_data FROM landing.records_status
),
ordered AS (
    SELECT a.*, s.rating_order,
           lag(a.rating) OVER w AS previous_rating,
           lag(s.rating_order) OVER w AS previous_order,
           lag(a.assessment_date) OVER w AS previous_assessment_date
    FROM assessments AS a
    JOIN scale AS s USING (rating)
    WINDOW w AS (PARTITION BY a.organisation_id, a.framework_id, a.point_number ORDER BY a.assessment_date)
)
SELECT o.organisation_id, o.year, o.assessment_date, o.framework_id,
       coalesce(p.framework_title, o.framework_id) AS framework_title, o.point_number, p.label AS point_label,
       o.rating, o.rating_order, o.previous_rating, o.previous_assessment_date,
       CASE WHEN o.previous_order IS NULL THEN 'first'
            WHEN o.rating_order > o.previous_order THEN 'better'
            WHEN o.rating_order < o.previous_order THEN 'worse'
            ELSE 'same' END AS change,
       s.example_data
FROM ordered AS o
LEFT JOIN points AS p USING (framework_id, point_number)
CROSS JOIN status AS s
ORDER BY o.organisation_id, o.framework_id, o.point_number, o.assessment_date
