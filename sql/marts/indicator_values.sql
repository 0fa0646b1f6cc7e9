-- Local-authority values on the target vintage, in the ONS tidy style: one row per indicator,
-- area and period. Aggregates (England, regions) are in marts.aggregate_values.
-- basis says whose figure each value is, in the words the pages use (docs/methodology.md):
--   own        published for this authority (possibly under an older code)
--   summed     counts of the former authorities it was made from, added up
--   recomputed worked out again from its former authorities (a rate from summed counts and our
--              population, or a population-weighted mean; NULL where that cannot be done)
--   inherited  the county's (or publisher-combined area's) figure, not published for the district;
--              basis_area_code/basis_area_name name that area. Never ranked against own values.
WITH
harmonised AS (
    SELECT * FROM staging.indicator_values
),
inherited AS (
    SELECT * FROM staging.inherited_values
),
target_lads AS (
    SELECT area_code, area_name FROM landing.geography__areas WHERE area_type = 'lad'
),
own_values AS (
    SELECT h.*, h.area_code AS basis_area_code, t.area_name AS basis_area_name
    FROM harmonised AS h JOIN target_lads AS t USING (area_code)
),
inherited_where_missing AS (
    SELECT i.* FROM inherited AS i
    JOIN target_lads USING (area_code)
    ANTI JOIN own_values USING (indicator_id, area_code, period)
),
combined AS (
    SELECT * FROM own_values
    UNION ALL BY NAME
    SELECT * FROM inherited_where_missing
)
SELECT
    indicator_id, area_code, period, period_start, period_end, value, unit, lower_ci, upper_ci,
    observation_status, source_id, release, harmonisation, source_area_codes,
    CASE harmonisation
        WHEN 'as_published' THEN 'own'
        WHEN 'recoded' THEN 'own'
        WHEN 'summed' THEN 'summed'
        WHEN 'inherited_upper_tier' THEN 'inherited'
        ELSE 'recomputed'
    END AS basis,
    basis_area_code, basis_area_name
FROM combined
ORDER BY indicator_id, area_code, period
