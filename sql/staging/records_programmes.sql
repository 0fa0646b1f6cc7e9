-- Programmes, typed: lead organisation, budget and dates (names and ';' lists not carried).
SELECT CAST(programme_id AS VARCHAR) AS programme_id,
       CAST(lead_organisation_id AS VARCHAR) AS lead_organisation_id,
       CAST(budget_gbp AS DOUBLE) AS budget_gbp,
       CAST(start_date AS DATE) AS start_date,
       CAST(end_date AS DATE) AS end_date
FROM landing.records_programmes
