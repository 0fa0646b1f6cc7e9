-- Inclusion Reports: one row per organisation and calendar year it has any record in (as lead or
-- partner of a programme running, up to the latest year with any records; an involvement activity,
-- a framework answer, a self-assessment or feedback), with its public name, sector, home local authority, the local authorities its programmes
-- serve, whether it has agreed what inclusion means (and when), and whether it had enough participants
-- ($min_people) for figures about people to be shown. The figures are in marts.organisation_measures,
-- organisation_programmes, organisation_frameworks and organisation_self_assessment.
WITH
organisations AS (
    SELECT organisation_id, sector, area_code, inclusion_defined, inclusion_defined_date
    FROM staging.records_organisations
),
names AS (
    SELECT id AS organisation_id, name AS organisation_name FROM staging.records_public_names WHERE kind = 'organisation'
),
programme_roles AS (
    SELECT programme_id, lead_organisation_id AS organisation_id FROM staging.records_programmes
    UNION
    SELECT programme_id, organisation_id FROM staging.records_programme_partners
),
served AS (
    SELECT r.organisation_id, y.year, y.area_code
    FROM programme_roles AS r
    JOIN staging.records_programme_years AS y USING (programme_id)
),
activity_people AS (
    SELECT p.lead_organisation_id AS organisation_id, a.year, sum(a.participants) AS participants,
           count(*) AS activities
    FROM staging.records_activities AS a
    JOIN staging.records_programmes AS p USING (programme_id)
    GROUP BY ALL
),
recorded AS (
    SELECT organisation_id, year FROM activity_people
    UNION SELECT organisation_id, year FROM staging.records_framework_register
    UNION SELECT organisation_id, year FROM staging.records_self_assessments
    UNION SELECT organisation_id, year FROM staging.records_participant_feedback
),
records_through AS (
    -- Years a programme merely runs count up to the latest year anyone recorded anything in, so a
    -- programme planned to 2027 gives no empty 2027 report.
    SELECT max(year) AS year FROM recorded
),
org_years AS (
    SELECT s.organisation_id, s.year FROM served AS s, records_through AS t WHERE s.year <= t.year
    UNION SELECT organisation_id, year FROM activity_people
    UNION SELECT organisation_id, year FROM staging.records_framework_register
    UNION SELECT organisation_id, year FROM staging.records_self_assessments
    UNION SELECT organisation_id, year FROM staging.records_participant_feedback
),
areas AS (
    SELECT organisation_id, year, string_agg(DISTINCT area_code, ';' ORDER BY area_code) AS areas_served
    FROM served GROUP BY ALL
),
status AS (
    SELECT coalesce(bool_or(CAST(example_data AS BOOLEAN)), false) AS example_data FROM landing.records_status
)
SELECT y.organisation_id, n.organisation_name, o.sector, o.area_code AS home_area_code,
       CAST(y.year AS INTEGER) AS year, a.areas_served,
       coalesce(p.activities, 0) AS involvement_activities,
       coalesce(p.participants, 0) < $min_people AS too_few_participants,
       o.inclusion_defined, o.inclusion_defined_date, s.example_data
FROM org_years AS y
JOIN organisations AS o USING (organisation_id)
LEFT JOIN names AS n USING (organisation_id)
LEFT JOIN areas AS a USING (organisation_id, year)
LEFT JOIN activity_people AS p USING (organisation_id, year)
CROSS JOIN status AS s
ORDER BY y.organisation_id, y.year
