-- Inclusion Report, frameworks and policies: each organisation's answers per framework and date
-- (signed up, written and co-designed policy, commitments, community investment). No people here.
WITH
register AS (
    SELECT * FROM staging.records_framework_register
),
titles AS (
    SELECT DISTINCT framework_id, framework_title FROM staging.records_framework_points
),
status AS (
    SELECT coalesce(bool_or(CAST(example_data AS BOOLEAN)), false) AS example_data FROM landing.records_status
)
SELECT r.organisation_id, r.year, r.assessment_date, r.framework_id,
       coalesce(t.framework_title, r.framework_id) AS framework_title, r.signed_up, r.written_inclusion_policy,
       r.policy_co_designed, r.coproduction_commitment, r.inclusion_in_commissioning, r.inclusion_in_procurement,
       r.community_investment_gbp, s.example_data
FROM register AS r
LEFT JOIN titles AS t USING (framework_id)
CROSS JOIN status AS s
ORDER BY r.organisation_id, r.assessment_date, r.framework_id
