-- East Midlands Inclusion Framework impact measures (its section 9) per organisation and per area
-- (LAD, region, combined authority, LEP, England) and year, from the co-production records:
-- sign-ups, written and co-designed inclusion policies, co-production commitments, inclusion goals
-- in commissioning and procurement, investment in community groups, programmes that measure social
-- mobility, and the self-assessment profile (points per rating). Counts and sums only; a count of
-- people below $min_people is suppressed (today none of these measures counts people). An organisation's
-- state in a year is its latest register answer or self-assessment in or before that year.
WITH
register AS (
    -- One answer per organisation and date: signed up means signed up to this (East Midlands)
    -- framework; the policies are the organisation's whichever framework row recorded them.
    -- An unanswered "policy co-designed" counts as no.
    SELECT organisation_id, assessment_date,
           coalesce(bool_or(signed_up) FILTER (WHERE framework_id = 'east_midlands_checklist'), false) AS signed_up,
           bool_or(written_inclusion_policy) AS written_inclusion_policy,
           bool_or(coalesce(policy_co_designed, false)) AS policy_co_designed,
           bool_or(coproduction_commitment) AS coproduction_commitment,
           bool_or(inclusion_in_commissioning) AS inclusion_in_commissioning,
           bool_or(inclusion_in_procurement) AS inclusion_in_procurement,
           max(community_investment_gbp) AS community_investment_gbp
    FROM staging.records_framework_register
    GROUP BY organisation_id, assessment_date
),
assessments AS (
    SELECT organisation_id, assessment_date, framework_id, point_number, rating
    FROM staging.records_self_assessments
),
organisations AS (
    SELECT organisation_id, area_code AS lad_code FROM staging.records_organisations
),
programmes AS (
    SELECT programme_id, lead_organisation_id AS organisation_id FROM staging.records_programmes
),
programme_years AS (
    SELECT DISTINCT programme_id, year FROM staging.records_programme_years
),
status AS (
    SELECT coalesce(bool_or(CAST(example_data AS BOOLEAN)), false) AS example_data FROM landing.records_status
),
area_map AS (
    -- Every LAD stands for itself, its groupings and England.
    SELECT lad_code, area_code, area_type FROM intermediate.lad_rollup
),
years AS (
    SELECT CAST(unnest(range(min(y), max(y) + 1)) AS INTEGER) AS year
    FROM (SELECT year(assessment_date) AS y FROM register UNION ALL SELECT year(assessment_date) FROM assessments) AS dated
),
register_state AS (
    -- Each organisation's latest register answers in or before each year.
    SELECT y.year, r.organisation_id, arg_max(r, r.assessment_date) AS latest
    FROM years AS y
    JOIN register AS r ON year(r.assessment_date) <= y.year
    GROUP BY ALL
),
assessment_state AS (
    SELECT y.year, a.organisation_id, a.framework_id, a.point_number, arg_max(a.rating, a.assessment_date) AS rating
    FROM years AS y
    JOIN assessments AS a ON year(a.assessment_date) <= y.year
    GROUP BY ALL
),
social_mobility_leads AS (
    -- Proxy: a programme measures social mobility when its lead organisation rates East Midlands
    -- checklist point 11 ("measure impact: community involvement and social mobility") as met.
    SELECT year, organisation_id FROM assessment_state
    WHERE framework_id = 'east_midlands_checklist' AND point_number = 11 AND rating = 'met'
),
programme_state AS (
    SELECT py.year, p.organisation_id, p.programme_id,
           (m.organisation_id IS NOT NULL) AS measures_social_mobility
    FROM programme_years AS py
    JOIN programmes AS p USING (programme_id)
    LEFT JOIN social_mobility_leads AS m ON m.organisation_id = p.organisation_id AND m.year = py.year
    WHERE py.year IN (SELECT year FROM years)
),
-- latest is a struct column, which sqlfluff's RF03 misreads as a table reference
organisation_measures AS (
    SELECT organisation_id, year, 'signed_up' AS measure, CAST(CAST(latest.signed_up AS INTEGER) AS DOUBLE) AS value,  -- noqa: RF03
           'yes_no' AS unit, NULL AS framework_id FROM register_state
    UNION ALL SELECT organisation_id, year, 'written_inclusion_policy', CAST(latest.written_inclusion_policy AS INTEGER),
           'yes_no', NULL FROM register_state
    UNION ALL SELECT organisation_id, year, 'policy_co_designed', CAST(latest.policy_co_designed AS INTEGER),
           'yes_no', NULL FROM register_state
    UNION ALL SELECT organisation_id, year, 'coproduction_commitment', CAST(latest.coproduction_commitment AS INTEGER),
           'yes_no', NULL FROM register_state
    UNION ALL SELECT organisation_id, year, 'inclusion_in_commissioning',
           CAST(latest.inclusion_in_commissioning AS INTEGER), 'yes_no', NULL FROM register_state
    UNION ALL SELECT organisation_id, year, 'inclusion_in_procurement',
           CAST(latest.inclusion_in_procurement AS INTEGER), 'yes_no', NULL FROM register_state
    UNION ALL SELECT organisation_id, year, 'community_investment_gbp', latest.community_investment_gbp, 'gbp', NULL
    FROM register_state WHERE year(latest.assessment_date) = year
    UNION ALL SELECT organisation_id, year, 'programmes_led', count(*), 'count', NULL FROM programme_state GROUP BY ALL
    UNION ALL SELECT organisation_id, year, 'programmes_measuring_social_mobility',
           count(*) FILTER (WHERE measures_social_mobility), 'count', NULL FROM programme_state GROUP BY ALL
    UNION ALL SELECT organisation_id, year, 'checklist_points_' || rating, count(*), 'count', framework_id
    FROM assessment_state GROUP BY ALL
),
area_measures AS (
    SELECT m.area_code, m.area_type, o.year,
           CASE WHEN o.unit = 'yes_no' THEN 'organisations_' || o.measure ELSE o.measure END AS measure,
           sum(o.value) AS value,
           CASE WHEN o.unit = 'yes_no' THEN 'count' ELSE o.unit END AS unit,
           o.framework_id
    FROM organisation_measures AS o
    JOIN organisations AS org USING (organisation_id)
    JOIN area_map AS m ON m.lad_code = org.lad_code
    GROUP BY ALL
    UNION ALL
    SELECT m.area_code, m.area_type, r.year, 'organisations_in_register', count(DISTINCT r.organisation_id), 'count', NULL
    FROM register_state AS r
    JOIN organisations AS org USING (organisation_id)
    JOIN area_map AS m ON m.lad_code = org.lad_code
    GROUP BY ALL
),
measures AS (
    SELECT 'organisation' AS entity_type, o.organisation_id AS entity_code, org.lad_code AS area_code,
           'lad' AS area_type, o.year, o.measure, o.framework_id, o.value, o.unit
    FROM organisation_measures AS o
    LEFT JOIN organisations AS org USING (organisation_id)
    UNION ALL
    SELECT 'area', area_code, area_code, area_type, year, measure, framework_id, value, unit FROM area_measures
),
with_shares AS (
    SELECT * FROM measures
    UNION ALL
    SELECT entity_type, entity_code, area_code, area_type, year, 'programmes_measuring_social_mobility_pct',
           NULL, 100.0 * sum(value) FILTER (WHERE measure = 'programmes_measuring_social_mobility')
               / nullif(sum(value) FILTER (WHERE measure = 'programmes_led'), 0), 'percent'
    FROM measures
    WHERE measure IN ('programmes_led', 'programmes_measuring_social_mobility')
    GROUP BY ALL
)
SELECT w.entity_type, w.entity_code, w.area_code, w.area_type, CAST(w.year AS INTEGER) AS year, w.measure,
       w.framework_id,
       CASE WHEN w.counts_people AND w.value < $min_people THEN NULL ELSE CAST(w.value AS DOUBLE) END AS value,
       w.unit, w.counts_people,
       CASE WHEN w.counts_people AND w.value < $min_people THEN 'suppressed'
            WHEN w.value IS NULL THEN 'missing' END AS observation_status,
       s.example_data
FROM (SELECT *, false AS counts_people FROM with_shares) AS w  -- organisations and money, not people
CROSS JOIN status AS s
ORDER BY w.entity_type, w.area_type, w.entity_code, w.year, w.measure, w.framework_id
