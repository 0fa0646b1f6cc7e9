-- Each area's statistical nearest neighbours among areas of the same type, on the pillar A
-- indicators of the current IG+ config in its neighbours year. Each indicator is standardised
-- across those areas (z-score); the distance is the weighted root mean square difference over the
-- indicators both areas have, each indicator weighted by its domain weight shared among the
-- domain's indicators (so every domain counts as the config says). Pairs sharing under half of
-- that weight are not neighbours. Distances equal to 9 decimals are ties, which go to the lower
-- area code (so the order of input rows cannot change the answer).
WITH
settings AS (
    SELECT * FROM landing.igplus_config_settings WHERE config_set = 'current'
),
domain_weights AS (
    SELECT domain, weight AS domain_weight FROM landing.igplus_config_domains WHERE config_set = 'current'
),
component_values AS (
    SELECT v.area_code, v.area_type, v.component, v.domain, v.component_weight, v.value
    FROM intermediate.igplus_values AS v
    JOIN settings AS s ON v.config_set = s.config_set AND v.year = s.neighbours_year
    WHERE v.pillar_source = 'public' AND v.area_type <> 'country'
),
component_weights AS (
    SELECT c.component,
           d.domain_weight * c.component_weight / nullif(sum(c.component_weight) OVER (PARTITION BY c.domain), 0)
               AS w
    FROM (SELECT DISTINCT component, domain, component_weight FROM component_values) AS c
    JOIN domain_weights AS d USING (domain)
),
standardised AS (
    SELECT v.area_code, v.area_type, v.component, w.w,
           (v.value - avg(v.value) OVER t) / nullif(stddev_pop(v.value) OVER t, 0) AS z
    FROM component_values AS v
    JOIN component_weights AS w USING (component)
    WHERE v.value IS NOT NULL AND w.w > 0
    WINDOW t AS (PARTITION BY v.area_type, v.component)
),
totals AS (
    SELECT area_type, sum(w) AS total_weight
    FROM (SELECT DISTINCT area_type, component, w FROM standardised) AS weights
    GROUP BY ALL
),
pairs AS (
    SELECT a.area_code, a.area_type, b.area_code AS neighbour_code,
           sqrt(sum(a.w * (a.z - b.z) ^ 2) / sum(a.w)) AS distance,
           sum(a.w) AS shared_weight,
           count(*) AS n_indicators
    FROM standardised AS a
    JOIN standardised AS b
        ON a.area_type = b.area_type AND a.component = b.component AND a.area_code <> b.area_code
    WHERE a.z IS NOT NULL AND b.z IS NOT NULL
    GROUP BY ALL
)
SELECT p.area_code, p.area_type, p.neighbour_code,
       CAST(row_number() OVER (PARTITION BY p.area_code ORDER BY round(p.distance, 9), p.neighbour_code)
                AS INTEGER)
           AS neighbour_rank,
       p.distance, p.n_indicators, s.neighbours_year AS year
FROM pairs AS p
JOIN totals AS t USING (area_type)
CROSS JOIN settings AS s
WHERE p.shared_weight >= 0.5 * t.total_weight
QUALIFY neighbour_rank <= s.neighbours_count
ORDER BY p.area_type, p.area_code, neighbour_rank
