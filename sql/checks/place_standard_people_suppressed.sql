-- Violations: Place Standard results shown for fewer than $min_people respondents, or for a grouping
-- that holds a local authority whose results are suppressed that year.
WITH
published AS (
    SELECT * FROM marts.place_standard
),
hidden_lads AS (
    SELECT DISTINCT area_code, year FROM published WHERE area_type = 'lad' AND observation_status = 'suppressed'
)
SELECT area_code, area_type, year, theme, respondents, 'too few respondents' AS problem
FROM published
WHERE respondents < $min_people OR (respondents IS NULL AND score IS NOT NULL)
UNION ALL
SELECT p.area_code, p.area_type, p.year, p.theme, p.respondents, 'grouping holds a suppressed member'
FROM published AS p
JOIN marts.area_groupings AS g ON g.grouping_code = p.area_code
JOIN hidden_lads AS h ON h.area_code = g.lad_code AND h.year = p.year
WHERE p.respondents IS NOT NULL
