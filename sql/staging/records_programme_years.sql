-- Each programme, for each local authority it serves and each calendar year it runs (to this year
-- when it has no end date; at most 50 years).
CREATE OR REPLACE TABLE staging.records_programme_years AS
WITH
programmes AS (
    SELECT CAST(programme_id AS VARCHAR) AS programme_id,
           CAST(year(CAST(start_date AS DATE)) AS INTEGER) AS first_year,
           CAST(coalesce(year(CAST(end_date AS DATE)), year(current_date)) AS INTEGER) AS last_year
    FROM landing.records_programmes
),
areas AS (
    SELECT DISTINCT CAST(programme_id AS VARCHAR) AS programme_id, CAST(value AS VARCHAR) AS area_code
    FROM landing.records_programmes__local_authority_codes
),
years AS (
    SELECT p.programme_id, unnest(range(p.first_year, least(p.last_year, p.first_year + 49) + 1)) AS year
    FROM programmes AS p
    WHERE p.last_year >= p.first_year
)
SELECT y.programme_id, a.area_code, CAST(y.year AS INTEGER) AS year
FROM years AS y
JOIN areas AS a USING (programme_id)
