-- All fourteen Place Standard themes per area and year (local authorities, their groupings and
-- England): the respondent-weighted average score of each theme (1 = a lot of room to improve,
-- 7 = very little), with respondents, surveys and the last survey date. Respondents are people: an
-- area-year with fewer than $min_people is suppressed (scores and respondents NULL, 'suppressed'),
-- and so is any grouping holding a local authority that is suppressed that year, so the grouping
-- minus its other members cannot give the hidden one back.
WITH
surveys AS (
    SELECT * FROM staging.records_place_surveys
),
area_map AS (
    SELECT lad_code, area_code, area_type FROM intermediate.lad_rollup
),
status AS (
    SELECT coalesce(bool_or(CAST(example_data AS BOOLEAN)), false) AS example_data FROM landing.records_status
),
themes AS (
    SELECT s.area_code AS lad_code, s.year, s.survey_date, s.respondents, t.theme, t.theme_order, t.score
    FROM surveys AS s
    CROSS JOIN LATERAL (VALUES
        ('moving_around', 1, s.moving_around), ('public_transport', 2, s.public_transport),
        ('traffic_and_parking', 3, s.traffic_and_parking), ('streets_and_spaces', 4, s.streets_and_spaces),
        ('natural_space', 5, s.natural_space), ('play_and_recreation', 6, s.play_and_recreation),
        ('facilities_and_services', 7, s.facilities_and_services),
        ('work_and_local_economy', 8, s.work_and_local_economy),
        ('housing_and_community', 9, s.housing_and_community), ('social_contact', 10, s.social_contact),
        ('identity_and_belonging', 11, s.identity_and_belonging), ('feeling_safe', 12, s.feeling_safe),
        ('care_and_maintenance', 13, s.care_and_maintenance),
        ('influence_and_sense_of_control', 14, s.influence_and_sense_of_control)) AS t(theme, theme_order, score)  -- noqa: LT01
),
lad_respondents AS (
    SELECT area_code AS lad_code, year, sum(respondents) AS respondents FROM surveys GROUP BY ALL
),
pooled AS (
    SELECT m.area_code, m.area_type, t.year, t.theme, t.theme_order,
           sum(t.respondents * t.score) / nullif(sum(t.respondents), 0) AS score,
           sum(t.respondents) AS respondents, count(*) AS surveys, max(t.survey_date) AS last_survey_date
    FROM themes AS t
    JOIN area_map AS m USING (lad_code)
    GROUP BY ALL
),
hidden_members AS (
    SELECT DISTINCT m.area_code, r.year
    FROM lad_respondents AS r
    JOIN area_map AS m USING (lad_code)
    WHERE r.respondents < $min_people AND m.area_type <> 'lad'
),
flagged AS (
    SELECT p.*, p.respondents < $min_people OR h.area_code IS NOT NULL AS hidden
    FROM pooled AS p
    LEFT JOIN hidden_members AS h USING (area_code, year)
)
SELECT f.area_code, f.area_type, CAST(f.year AS INTEGER) AS year, f.theme, f.theme_order,
       CASE WHEN f.hidden THEN NULL ELSE round(f.score, 2) END AS score,
       CASE WHEN f.hidden THEN NULL ELSE CAST(f.respondents AS BIGINT) END AS respondents,
       true AS counts_people, f.surveys, f.last_survey_date,
       CASE WHEN f.hidden THEN 'suppressed' END AS observation_status, s.example_data
FROM flagged AS f
CROSS JOIN status AS s
ORDER BY f.area_type, f.area_code, f.year, f.theme_order
