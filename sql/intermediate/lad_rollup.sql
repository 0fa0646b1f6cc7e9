-- Every LAD with each area it counts towards: itself, each grouping it belongs to (region,
-- combined authority, LEP, ...) and England. Joining LAD-level rows to it rolls them up.
WITH
lads AS (
    SELECT area_code FROM marts.areas WHERE area_type = 'lad'
)
SELECT area_code AS lad_code, area_code, 'lad' AS area_type FROM lads
UNION ALL
SELECT lad_code, grouping_code, grouping_type FROM marts.area_groupings
UNION ALL
SELECT area_code, 'E92000001', 'country' FROM lads
