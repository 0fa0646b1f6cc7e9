-- Pseudonymous contributors active in each calendar year, placed in their organisation's local
-- authority. Private: never copied to marts row by row, only counted.
WITH
contributors AS (
    SELECT contributor_pseudonym, organisation_id, year(first_involved) AS first_year,
           coalesce(year(last_involved), year(first_involved)) AS last_year
    FROM staging.records_contributors
),
organisations AS (
    SELECT organisation_id, area_code
    FROM staging.records_organisations
    WHERE area_code IS NOT NULL
),
years AS (
    SELECT contributor_pseudonym, organisation_id,
           unnest(range(first_year, least(last_year, first_year + 49) + 1)) AS year
    FROM contributors
)
SELECT DISTINCT y.contributor_pseudonym, o.area_code, CAST(y.year AS INTEGER) AS year
FROM years AS y
JOIN organisations AS o USING (organisation_id)
