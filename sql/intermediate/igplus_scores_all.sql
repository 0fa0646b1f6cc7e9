-- IG+ scores for every config set, area, year and level (indicator, domain, pillar, igplus), with
-- ranks among areas of the same type. Indicators: 0-100 between fixed goalposts (capped). Domains:
-- weighted arithmetic mean of their indicators. Pillars and IG+: weighted geometric means (scores
-- below geometric_floor count as the floor). No score below the availability thresholds; a
-- records-based part with no records is 'no_records', and then IG+ is NULL too (never zero).
WITH
settings AS (
    SELECT * FROM landing.igplus_config_settings
),
domain_weights AS (
    SELECT config_set, domain, weight FROM landing.igplus_config_domains
),
pillar_config AS (
    SELECT config_set, pillar, source, weight FROM landing.igplus_config_pillars
),
component_values AS (
    SELECT * FROM intermediate.igplus_values
),
indicators AS (
    SELECT v.*,
           CASE WHEN v.value IS NULL THEN NULL
                WHEN v.polarity = 'higher_is_better'
                    THEN 100 * least(greatest((v.value - v.goalpost_min) / (v.goalpost_max - v.goalpost_min), 0), 1)
                ELSE 100 * least(greatest((v.goalpost_max - v.value) / (v.goalpost_max - v.goalpost_min), 0), 1)
           END AS score
    FROM component_values AS v
),
domain_means AS (
    SELECT i.config_set, i.area_code, i.area_type, i.year, i.pillar, i.domain,
           weighted_coverage(i.score, i.component_weight) AS coverage,
           sum(i.component_weight * i.score) FILTER (WHERE i.score IS NOT NULL)
               / nullif(sum(i.component_weight) FILTER (WHERE i.score IS NOT NULL), 0) AS mean_score,
           bool_and(i.status = 'no_records') AS no_records
    FROM indicators AS i
    GROUP BY ALL
),
domains AS (
    SELECT d.*, w.weight,
           CASE WHEN d.coverage >= s.domain_min_coverage THEN d.mean_score END AS score
    FROM domain_means AS d
    JOIN settings AS s USING (config_set)
    JOIN domain_weights AS w USING (config_set, domain)
),
pillar_means AS (
    SELECT d.config_set, d.area_code, d.area_type, d.year, d.pillar,
           weighted_coverage(d.score, d.weight) AS coverage,
           weighted_geometric_mean(d.score, d.weight, s.geometric_floor) AS mean_score,
           bool_and(d.no_records) AS no_records
    FROM domains AS d
    JOIN settings AS s USING (config_set)
    GROUP BY ALL
),
pillars AS (
    SELECT p.*, c.weight, c.source,
           CASE WHEN p.coverage >= s.pillar_min_coverage AND NOT p.no_records THEN p.mean_score END AS score
    FROM pillar_means AS p
    JOIN settings AS s USING (config_set)
    JOIN pillar_config AS c USING (config_set, pillar)
),
igplus_means AS (
    SELECT p.config_set, p.area_code, p.area_type, p.year,
           weighted_coverage(p.score, p.weight) AS coverage,
           weighted_geometric_mean(p.score, p.weight, s.geometric_floor) AS mean_score,
           bool_or(p.no_records) AS no_records
    FROM pillars AS p
    JOIN settings AS s USING (config_set)
    GROUP BY ALL
),
igplus AS (
    SELECT m.*,
           CASE WHEN m.coverage >= s.igplus_min_coverage AND NOT m.no_records THEN m.mean_score END AS score
    FROM igplus_means AS m
    JOIN settings AS s USING (config_set)
),
levels AS (
    SELECT config_set, area_code, area_type, year, 'indicator' AS level, component, pillar, domain,
           indicator_id, period, value, fallback_used, aggregation, component_weight AS weight, score,
           CASE WHEN score IS NOT NULL THEN 1.0 ELSE 0.0 END AS coverage, status
    FROM indicators
    UNION ALL
    SELECT config_set, area_code, area_type, year, 'domain', domain, pillar, domain,
           NULL, NULL, NULL, NULL, NULL, weight, score, coverage,
           CASE WHEN score IS NOT NULL THEN 'ok' WHEN no_records THEN 'no_records' ELSE 'insufficient_data' END
    FROM domains
    UNION ALL
    SELECT config_set, area_code, area_type, year, 'pillar', pillar, pillar, NULL,
           NULL, NULL, NULL, NULL, NULL, weight, score, coverage,
           CASE WHEN score IS NOT NULL THEN 'ok' WHEN no_records THEN 'no_records' ELSE 'insufficient_data' END
    FROM pillars
    UNION ALL
    SELECT config_set, area_code, area_type, year, 'igplus', 'igplus', NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, 1.0, score, coverage,
           CASE WHEN score IS NOT NULL THEN 'ok' WHEN no_records THEN 'no_records' ELSE 'insufficient_data' END
    FROM igplus
)
SELECT l.*,
       CASE WHEN l.score IS NOT NULL THEN rank() OVER (
           PARTITION BY l.config_set, l.area_type, l.year, l.level, l.component, l.score IS NULL
           ORDER BY round(l.score, 9) DESC) END AS rank,  -- equal to 9 decimals = tie, whatever the row order
       CASE WHEN l.score IS NOT NULL THEN count(l.score) OVER (
           PARTITION BY l.config_set, l.area_type, l.year, l.level, l.component) END AS n_ranked
FROM levels AS l
ORDER BY l.config_set, l.area_type, l.area_code, l.year, l.level, l.component
