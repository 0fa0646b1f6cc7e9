-- Pseudonymous contributors active in each calendar year, placed in their organisation's local
-- authority. Private: never copied to marts row by row, only counted.
CREATE OR REPLACE TABLE staging.records_contributor_years AS
WITH
contributors AS (
    SELECT CAST(contributor_pseudonym AS VARCHAR) AS contributor_pseudonym,
           CAST(organisation_id AS VARCHAR) AS organisation_id,
           CAST(year(CAST(first_involved AS DATE)) AS INTEGER) AS first_year,
           CAST(coalesce(year(CAST(last_involved AS DATE)), year(CAST(first_involved AS DATE))) AS INTEGER)
               AS last_year
    FROM landing.records_contributors
),
organisations AS (
    SELECT CAST(organisation_id AS VARCHAR) AS organisation_id,
           CAST(local_authority_code AS VARCHAR) AS area_code
    FROM landing.records_organisations
    WHERE local_authority_code IS NOT NULL
),
years AS (
    SELECT contributor_pseudonym, organisation_id,
           unnest(range(first_year, least(last_year, first_year + 49) + 1)) AS year
    FROM contributors
)
SELECT DISTINCT y.contributor_pseudonym, o.area_code, CAST(y.year AS INTEGER) AS year
FROM years AS y
JOIN organisations AS o USING (organisation_id)
