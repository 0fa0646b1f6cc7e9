-- Each programme, for each local authority it serves and each calendar year it runs (to this year
-- when it has no end date: $as_of_year, bound by the asset and recorded; at most 50 years). A planned
-- end date after this year counts to this year only: a year that has not come has no activity, and
-- a page must not show "programmes running" in it.
WITH
programmes AS (
    SELECT programme_id, year(start_date) AS first_year,
           least(coalesce(year(end_date), CAST($as_of_year AS INTEGER)), CAST($as_of_year AS INTEGER)) AS last_year
    FROM staging.records_programmes
),
areas AS (
    SELECT programme_id, area_code FROM staging.records_programme_areas
),
years AS (
    SELECT p.programme_id, unnest(range(p.first_year, least(p.last_year, p.first_year + 49) + 1)) AS year
    FROM programmes AS p
    WHERE p.last_year >= p.first_year
)
SELECT y.programme_id, a.area_code, CAST(y.year AS INTEGER) AS year
FROM years AS y
JOIN areas AS a USING (programme_id)
