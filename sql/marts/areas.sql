-- Every area on the target vintage: local authority districts, regions, England, combined
-- authorities and LEPs (see docs/warehouse.md).
SELECT area_code, area_name, area_type, region_code, region_name, CAST(vintage AS VARCHAR) AS vintage
FROM landing.geography__areas
ORDER BY area_type, area_code
