-- Values for areas that are not local authorities of the target vintage (counties, Wales,
-- Scotland, Northern Ireland): kept visible, never dropped. inherited_by_districts says whether a
-- county's value was passed down to its districts in marts.indicator_values.
WITH
harmonised AS (
    SELECT * FROM staging.indicator_values
),
target_lads AS (
    SELECT area_code FROM landing.geography__areas WHERE area_type = 'lad'
),
upper_tier AS (
    SELECT DISTINCT upper_code FROM staging.upper_tier_map WHERE only_source_id IS NULL
)
SELECT h.*, h.area_code IN (SELECT upper_code FROM upper_tier) AS inherited_by_districts
FROM harmonised AS h
WHERE h.area_code NOT IN (SELECT area_code FROM target_lads)
ORDER BY h.indicator_id, h.area_code, h.period
