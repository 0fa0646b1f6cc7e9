-- The Inclusive Growth + index under the current config, per area, year and level (indicator,
-- domain, pillar, igplus), with rank among areas of the same type (1 = best), change since the
-- baseline year (only when the same parts have a score in both years), the same score for
-- England, the area's region and the mean of its statistical neighbours (when at least half of
-- them have a score), and quintile (1 = best fifth; none when fewer than five areas are ranked).
-- See docs/methodology.md.
WITH
scores AS (
    SELECT * FROM intermediate.igplus_scores_all WHERE config_set = 'current'
),
settings AS (
    SELECT * FROM landing.igplus_config_settings WHERE config_set = 'current'
),
areas AS (
    SELECT area_code, area_name, area_type, region_code FROM marts.areas
),
lad_regions AS (
    SELECT lad_code AS area_code, grouping_code AS region_code
    FROM marts.area_groupings WHERE grouping_type = 'region'
),
neighbours AS (
    SELECT area_code, neighbour_code FROM marts.statistical_neighbours
),
records_status AS (
    SELECT coalesce(bool_or(CAST(example_data AS BOOLEAN)), false) AS example_data FROM landing.records_status
),
key_scores AS (
    SELECT area_code, year, level, component, score FROM scores
),
scored_parts AS (
    -- What each score is made of: the parts (domains of a pillar, indicators of a domain, pillars of
    -- IG+) that have a score. A change since the baseline is like for like only when these match:
    -- a 2023 pillar A with low pay against a 2019 one without it is a change of method, not of place.
    SELECT area_code, year,
           CASE level WHEN 'indicator' THEN 'domain' WHEN 'domain' THEN 'pillar' ELSE 'igplus' END AS level,
           CASE level WHEN 'indicator' THEN domain WHEN 'domain' THEN pillar ELSE 'igplus' END AS component,
           string_agg(component, ',' ORDER BY component) AS parts
    FROM scores
    WHERE score IS NOT NULL AND level IN ('indicator', 'domain', 'pillar')
    GROUP BY ALL
),
baseline AS (
    SELECT s.area_code, s.level, s.component, s.score, p.parts
    FROM scores AS s JOIN settings AS c ON s.year = c.baseline_year
    LEFT JOIN scored_parts AS p ON p.area_code = s.area_code AND p.year = s.year AND p.level = s.level
        AND p.component = s.component
),
neighbour_counts AS (
    SELECT area_code, count(*) AS n_neighbours FROM neighbours GROUP BY area_code
),
neighbour_means AS (
    -- Only when at least half of the area's neighbours have a score: the mean of one or two of
    -- ten is not "similar areas" (the site's tiles apply the same rule, dashboards/tiles.py).
    SELECT n.area_code, k.year, k.level, k.component, avg(k.score) AS score
    FROM neighbours AS n
    JOIN key_scores AS k ON k.area_code = n.neighbour_code
    JOIN neighbour_counts AS nc ON nc.area_code = n.area_code
    GROUP BY ALL
    HAVING count(k.score) >= 0.5 * any_value(nc.n_neighbours)
)
SELECT s.area_code, a.area_name, s.area_type, s.year, s.level, s.component, s.pillar, s.domain,
       s.indicator_id, s.period, s.value, s.fallback_used, s.aggregation, s.weight, s.coverage,
       s.score, CAST(s.rank AS INTEGER) AS rank, CAST(s.n_ranked AS INTEGER) AS n_ranked,
       CASE WHEN coalesce(sp.parts, '') = coalesce(b.parts, '') THEN s.score - b.score END AS change_since_baseline,
       c.baseline_year,
       e.score AS england_score,
       r.score AS region_score,
       nm.score AS neighbours_score,
       CASE WHEN s.n_ranked >= 5 THEN CAST(ceil(5.0 * s.rank / s.n_ranked) AS INTEGER) END AS quintile,
       s.status,
       (s.pillar IN (SELECT pillar FROM landing.igplus_config_pillars
                     WHERE config_set = 'current' AND source = 'records') OR s.level = 'igplus')
           AND rs.example_data AS example_data,
       c.version AS config_version
FROM scores AS s
CROSS JOIN settings AS c
CROSS JOIN records_status AS rs
LEFT JOIN areas AS a USING (area_code)
LEFT JOIN baseline AS b USING (area_code, level, component)
LEFT JOIN scored_parts AS sp ON sp.area_code = s.area_code AND sp.year = s.year AND sp.level = s.level
    AND sp.component = s.component
LEFT JOIN key_scores AS e ON e.area_code = 'E92000001' AND e.year = s.year AND e.level = s.level
    AND e.component = s.component
LEFT JOIN lad_regions AS lr ON lr.area_code = s.area_code AND s.area_type = 'lad'
LEFT JOIN key_scores AS r ON r.area_code = coalesce(lr.region_code, CASE WHEN s.area_type = 'combined_authority'
                                                                         THEN a.region_code END)
    AND r.year = s.year AND r.level = s.level AND r.component = s.component
LEFT JOIN neighbour_means AS nm ON nm.area_code = s.area_code AND nm.year = s.year AND nm.level = s.level
    AND nm.component = s.component
ORDER BY s.area_type, s.area_code, s.year, s.level, s.component
