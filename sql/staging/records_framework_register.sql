-- Framework register, typed: each organisation's sign-up and commitments per framework and date, with
-- its year. An empty framework_id is the East Midlands framework (model.DEFAULT_FRAMEWORK; workbooks
-- made before the column existed); if such a row repeats an explicit one, the explicit one is kept.
WITH
typed AS (
    SELECT CAST(organisation_id AS VARCHAR) AS organisation_id,
           CAST(assessment_date AS DATE) AS assessment_date,
           coalesce(CAST(framework_id AS VARCHAR), 'east_midlands_checklist') AS framework_id,
           framework_id IS NULL AS framework_defaulted,
           CAST(signed_up AS BOOLEAN) AS signed_up,
           CAST(written_inclusion_policy AS BOOLEAN) AS written_inclusion_policy,
           CAST(policy_co_designed AS BOOLEAN) AS policy_co_designed,
           CAST(coproduction_commitment AS BOOLEAN) AS coproduction_commitment,
           CAST(inclusion_in_commissioning AS BOOLEAN) AS inclusion_in_commissioning,
           CAST(inclusion_in_procurement AS BOOLEAN) AS inclusion_in_procurement,
           CAST(community_investment_gbp AS DOUBLE) AS community_investment_gbp
    FROM landing.records_framework_register
)
SELECT organisation_id, assessment_date, CAST(year(assessment_date) AS INTEGER) AS year, framework_id,
       signed_up, written_inclusion_policy, policy_co_designed, coproduction_commitment,
       inclusion_in_commissioning, inclusion_in_procurement, community_investment_gbp
FROM typed
QUALIFY row_number() OVER (PARTITION BY organisation_id, assessment_date, framework_id
                           ORDER BY framework_defaulted) = 1
