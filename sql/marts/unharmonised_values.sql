-- Values whose area code could not be placed on the target vintage: kept visible, never dropped.
CREATE OR REPLACE TABLE marts.unharmonised_values AS
WITH
harmonised AS (
    SELECT * FROM staging.indicator_values
),
known_areas AS (
    SELECT area_code FROM landing.geography__areas
)
SELECT h.*
FROM harmonised AS h
WHERE h.area_code NOT IN (SELECT area_code FROM known_areas)
ORDER BY h.indicator_id, h.area_code, h.period
