-- Local-authority values on the target vintage, in the ONS tidy style: one row per indicator,
-- area and period. Aggregates (England, regions) are in marts.aggregate_values.
CREATE OR REPLACE TABLE marts.indicator_values AS
WITH
harmonised AS (
    SELECT * FROM staging.indicator_values
),
inherited AS (
    SELECT * FROM staging.inherited_values
),
target_lads AS (
    SELECT area_code FROM landing.geography__areas WHERE area_type = 'lad'
),
own_values AS (
    SELECT h.* FROM harmonised AS h JOIN target_lads USING (area_code)
),
inherited_where_missing AS (
    SELECT i.* FROM inherited AS i
    JOIN target_lads USING (area_code)
    ANTI JOIN own_values AS o USING (indicator_id, area_code, period)
),
combined AS (
    SELECT * FROM own_values
    UNION ALL BY NAME
    SELECT * FROM inherited_where_missing
)
SELECT
    indicator_id, area_code, period, period_start, period_end, value, unit, lower_ci, upper_ci,
    observation_status, source_id, release, harmonisation, source_area_codes
FROM combined
ORDER BY indicator_id, area_code, period
