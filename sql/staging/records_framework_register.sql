-- Framework register, typed: each organisation's commitments on each assessment date, with its year.
CREATE OR REPLACE TABLE staging.records_framework_register AS
SELECT CAST(organisation_id AS VARCHAR) AS organisation_id,
       CAST(assessment_date AS DATE) AS assessment_date,
       CAST(year(CAST(assessment_date AS DATE)) AS INTEGER) AS year,
       CAST(signed_up AS BOOLEAN) AS signed_up,
       CAST(written_inclusion_policy AS BOOLEAN) AS written_inclusion_policy,
       CAST(policy_co_designed AS BOOLEAN) AS policy_co_designed,
       CAST(coproduction_commitment AS BOOLEAN) AS coproduction_commitment,
       CAST(inclusion_in_commissioning AS BOOLEAN) AS inclusion_in_commissioning,
       CAST(inclusion_in_procurement AS BOOLEAN) AS inclusion_in_procurement,
       CAST(community_investment_gbp AS DOUBLE) AS community_investment_gbp
FROM landing.records_framework_register
