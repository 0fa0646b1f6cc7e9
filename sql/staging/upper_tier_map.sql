-- Upper-tier areas (two-tier counties, and areas a publisher combines) and the target-vintage
-- districts inside them, so values published only for the wider area (e.g. the SMC indices) can
-- be inherited by its districts.
WITH
counties AS (
    SELECT county_code AS upper_code, county_name AS upper_name, lad_code
    FROM landing.population__lad_county
),
former_counties (upper_code, upper_name, lad_code) AS (
    -- Cumbria county was abolished in April 2023, before the population edition in use, so its
    -- districts are listed here (../shared/data/geography/SOURCE.md, "Later changes").
    VALUES ('E10000006', 'Cumbria', 'E07000026'), ('E10000006', 'Cumbria', 'E07000027'),
           ('E10000006', 'Cumbria', 'E07000028'), ('E10000006', 'Cumbria', 'E07000029'),
           ('E10000006', 'Cumbria', 'E07000030'), ('E10000006', 'Cumbria', 'E07000031')
),
publisher_combined_areas (upper_code, upper_name, lad_code, only_source_id) AS (
    -- The Social Mobility Commission publishes these pairs as one area under the larger
    -- authority's code (sources/social_mobility); the smaller one takes the shared value.
    VALUES ('E09000007', 'Camden and City of London', 'E09000001', 'social_mobility'),
           ('E06000052', 'Cornwall and Isles of Scilly', 'E06000053', 'social_mobility')
),
members AS (
    SELECT *, NULL AS only_source_id FROM counties
    UNION ALL
    SELECT *, NULL FROM former_counties WHERE upper_code NOT IN (SELECT upper_code FROM counties)
    UNION ALL
    SELECT * FROM publisher_combined_areas
)
SELECT DISTINCT m.upper_code, m.upper_name, coalesce(c.target_code, m.lad_code) AS lad_code,
       m.only_source_id
FROM members AS m
LEFT JOIN staging.code_map AS c ON c.source_code = m.lad_code
ORDER BY m.upper_code, lad_code
