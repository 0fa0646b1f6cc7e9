-- Provenance of the edition choice: for each source, edition group and release read, the periods
-- it supplies and those a newer edition supplies instead (one edition per indicator and period).
WITH
editions AS (
    SELECT * FROM landing.source_editions
)
SELECT source_id, edition_group, release, release_date, used, periods_used, periods_superseded,
       rows_used, rows_superseded
FROM editions
ORDER BY source_id, edition_group NULLS LAST, release_date NULLS FIRST, release
