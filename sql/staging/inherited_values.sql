-- County values passed down to each district in the county, flagged 'inherited_upper_tier' (basis
-- 'inherited', with the county as basis_area_code/basis_area_name). A district's own value, where
-- published, always wins (see marts/indicator_values.sql).
WITH
upper_values AS (
    SELECT * FROM staging.indicator_values
),
upper_tier_map AS (
    SELECT upper_code, upper_name, lad_code, only_source_id FROM staging.upper_tier_map
)
SELECT v.indicator_id, u.lad_code AS area_code, v.period, v.period_start, v.period_end, v.unit,
       v.source_id, v.release, v.area_code AS source_area_codes, v.value, v.lower_ci, v.upper_ci,
       v.observation_status, 'inherited_upper_tier' AS harmonisation,
       u.upper_code AS basis_area_code, u.upper_name AS basis_area_name
FROM upper_values AS v
JOIN upper_tier_map AS u
    ON u.upper_code = v.area_code AND (u.only_source_id IS NULL OR u.only_source_id = v.source_id)
