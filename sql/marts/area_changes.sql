-- Local authority code changes since 2011 (mergers and recodes), used for harmonisation.
SELECT * FROM landing.geography__area_changes
ORDER BY change_date, old_code
