-- Local authority code changes since 2011 (mergers and recodes), used for harmonisation. The date
-- the change took effect is published as a DATE, as every date in the warehouse (docs/warehouse.md).
SELECT * REPLACE (CAST(change_date AS DATE) AS change_date)
FROM landing.geography__area_changes
ORDER BY change_date, old_code
