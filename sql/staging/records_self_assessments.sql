-- Self-assessments, typed: each organisation's rating of each framework point on each date (no evidence).
SELECT CAST(organisation_id AS VARCHAR) AS organisation_id,
       CAST(assessment_date AS DATE) AS assessment_date,
       CAST(year(CAST(assessment_date AS DATE)) AS INTEGER) AS year,
       CAST(framework_id AS VARCHAR) AS framework_id,
       CAST(point_number AS INTEGER) AS point_number,
       CAST(rating AS VARCHAR) AS rating
FROM landing.records_self_assessments
