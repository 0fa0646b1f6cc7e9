-- Local-authority values on the target vintage, in the ONS tidy style: one row per indicator,
-- area and period. Aggregates (England, regions) are in marts.aggregate_values.
CREATE OR REPLACE TABLE marts.indicator_values AS
WITH
harmonised AS (
    SELECT * FROM staging.indicator_values
),
target_lads AS (
    SELECT area_code FROM landing.geography__areas WHERE area_type = 'lad'
)
SELECT
    h.indicator_id, h.area_code, h.period, h.period_start, h.period_end, h.value, h.unit,
    h.lower_ci, h.upper_ci, h.observation_status, h.source_id, h.release,
    h.harmonisation, h.source_area_codes
FROM harmonised AS h
JOIN target_lads USING (area_code)
ORDER BY h.indicator_id, h.area_code, h.period
