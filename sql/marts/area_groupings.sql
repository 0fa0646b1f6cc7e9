-- Which region, combined authority and LEP each local authority belongs to. LEPs overlap, so a
-- district can sit in two; share_of_lad_area says how much of it lies in each.
CREATE OR REPLACE TABLE marts.area_groupings AS
WITH
regions AS (
    SELECT lad_code, 'region' AS grouping_type, region_code AS grouping_code,
           region_name AS grouping_name, 1.0 AS share_of_lad_area
    FROM landing.geography__lad_region
),
combined_authorities AS (
    SELECT lad_code, 'combined_authority', ca_code, ca_name, 1.0
    FROM landing.geography__lad_combined_authority
),
leps AS (
    SELECT lad_code, 'lep', lep_code, lep_name, share_of_lad_area
    FROM landing.geography__lad_lep
)
SELECT * FROM regions
UNION ALL SELECT * FROM combined_authorities
UNION ALL SELECT * FROM leps
ORDER BY grouping_type, grouping_code, lad_code
