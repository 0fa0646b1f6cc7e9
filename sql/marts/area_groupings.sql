-- Which region, combined authority, LEP, ITL2 area and LSIP area each local authority belongs to.
-- LEPs overlap, so a district can sit in two; share_of_lad_area says how much of it lies in each.
-- ITL2 is the Social Mobility Commission's regional unit; LSIPs are DfE's successors to LEPs.
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
),
itl2_areas AS (
    SELECT DISTINCT lad_code, 'itl2', itl2_code, itl2_name, 1.0
    FROM landing.geography__lad_itl
),
lsips AS (
    SELECT lad_code, 'lsip', lsip_code, lsip_name, 1.0
    FROM landing.geography__lad_lsip
)
SELECT * FROM regions
UNION ALL SELECT * FROM combined_authorities
UNION ALL SELECT * FROM leps
UNION ALL SELECT * FROM itl2_areas
UNION ALL SELECT * FROM lsips
ORDER BY grouping_type, grouping_code, lad_code
