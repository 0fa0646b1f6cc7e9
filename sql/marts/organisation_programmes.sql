-- Inclusion Report, programmes: each organisation's programmes (as lead or partner) per year they run,
-- with the local authorities served and the groups each is for. No people in this table.
WITH
programmes AS (
    SELECT programme_id, lead_organisation_id, budget_gbp, start_date, end_date FROM staging.records_programmes
),
partners AS (
    SELECT programme_id, organisation_id FROM staging.records_programme_partners
),
programme_years AS (
    SELECT DISTINCT programme_id, year FROM staging.records_programme_years
),
areas AS (
    SELECT programme_id, string_agg(area_code, ';' ORDER BY area_code) AS areas_served
    FROM staging.records_programme_areas GROUP BY programme_id
),
groups AS (
    SELECT programme_id, string_agg(target_group, ';' ORDER BY target_group) AS target_groups
    FROM staging.records_programme_target_groups GROUP BY programme_id
),
names AS (
    SELECT id AS programme_id, name AS programme_name FROM staging.records_public_names WHERE kind = 'programme'
),
status AS (
    SELECT coalesce(bool_or(CAST(example_data AS BOOLEAN)), false) AS example_data FROM landing.records_status
),
roles AS (
    SELECT programme_id, lead_organisation_id AS organisation_id, 'lead' AS role FROM programmes
    UNION
    SELECT programme_id, organisation_id, 'partner' FROM partners
)
SELECT r.organisation_id, y.year, r.programme_id, n.programme_name, r.role, p.start_date, p.end_date,
       a.areas_served, g.target_groups, p.budget_gbp, s.example_data
FROM roles AS r
JOIN programmes AS p USING (programme_id)
JOIN programme_years AS y USING (programme_id)
LEFT JOIN areas AS a USING (programme_id)
LEFT JOIN groups AS g USING (programme_id)
LEFT JOIN names AS n USING (programme_id)
CROSS JOIN status AS s
ORDER BY r.organisation_id, y.year, r.role, r.programme_id
