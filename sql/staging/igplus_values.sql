-- IG+ component values per config set (current, default), area and index year: the series chosen
-- (first candidate with any value; fallback_used when not the first), the period aligned to the
-- year, the value on its natural scale with its standard error, and how a grouping's value was made.
-- England and regions use the publisher's own aggregate where one exists for that period; other
-- groupings (and England/regions otherwise) the population-weighted mean of their LADs.
-- A county's value inherited by a district (marts.indicator_values.basis = 'inherited') is not that
-- district's own figure: the district's component is left empty (status 'inherited'), so it is never
-- scored or ranked against districts' own values nor used to pick statistical neighbours; it still
-- counts, weighted by the district's population, in the pooled value of a grouping containing it.
CREATE OR REPLACE TABLE staging.igplus_values AS
WITH
settings AS (
    SELECT * FROM landing.igplus_config_settings
),
components AS (
    SELECT c.*, p.source AS pillar_source
    FROM landing.igplus_config_components AS c
    JOIN landing.igplus_config_pillars AS p USING (config_set, pillar)
),
lad_values AS (
    SELECT indicator_id, area_code, CAST(period AS VARCHAR) AS period, CAST(period_start AS DATE) AS period_start,
           CAST(period_end AS DATE) AS period_end, CAST(value AS DOUBLE) AS value,
           CAST(lower_ci AS DOUBLE) AS lower_ci, CAST(upper_ci AS DOUBLE) AS upper_ci,
           CAST(observation_status AS VARCHAR) AS observation_status,
           coalesce(basis = 'inherited', false) AS inherited
    FROM marts.indicator_values
),
published_aggregates AS (
    SELECT indicator_id, area_code, CAST(period AS VARCHAR) AS period, CAST(value AS DOUBLE) AS value,
           CAST(lower_ci AS DOUBLE) AS lower_ci, CAST(upper_ci AS DOUBLE) AS upper_ci
    FROM marts.aggregate_values
    WHERE value IS NOT NULL
),
records_values AS (
    SELECT area_code, year, indicator_id, value, observation_status FROM staging.igplus_records_values
),
areas AS (
    SELECT area_code, area_type FROM marts.areas
    WHERE area_type IN ('lad', 'region', 'combined_authority', 'lep', 'country')
),
memberships AS (
    SELECT lad_code, grouping_code AS area_code, share_of_lad_area FROM marts.area_groupings
    UNION ALL
    SELECT area_code, 'E92000001', 1.0 FROM areas WHERE area_type = 'lad'
),
population AS (
    SELECT area_code AS lad_code, CAST(period AS INTEGER) AS year, CAST(value AS DOUBLE) AS population
    FROM marts.indicator_values
    WHERE indicator_id = 'population_all_ages' AND value IS NOT NULL
),
population_years AS (
    SELECT min(year) AS first_year, max(year) AS last_year FROM population
),
years AS (
    SELECT config_set, CAST(unnest(range(first_year, last_year + 1)) AS INTEGER) AS year FROM settings
),
series_with_values AS (
    SELECT DISTINCT indicator_id FROM lad_values WHERE value IS NOT NULL
    UNION SELECT DISTINCT indicator_id FROM records_values WHERE value IS NOT NULL
),
chosen AS (
    -- First candidate with any value; when none has, the first (its rows show as missing).
    SELECT c.*, c.candidate_order > 1 AS fallback_used
    FROM components AS c
    LEFT JOIN series_with_values AS s USING (indicator_id)
    QUALIFY row_number() OVER (PARTITION BY c.config_set, c.component
                               ORDER BY (s.indicator_id IS NOT NULL) DESC, c.candidate_order) = 1
),
periods AS (
    SELECT DISTINCT indicator_id, period, year(period_start) AS start_year, year(period_end) AS end_year
    FROM lad_values
),
aligned AS (
    -- The latest period started by the year and ended no more than max_lag_years before it.
    SELECT y.config_set, y.year, ch.component, p.period
    FROM years AS y
    JOIN settings AS s USING (config_set)
    JOIN chosen AS ch USING (config_set)
    JOIN periods AS p ON p.indicator_id = ch.indicator_id
        AND p.start_year <= y.year AND p.end_year >= y.year - s.max_lag_years
    WHERE ch.pillar_source = 'public'
    QUALIFY row_number() OVER (PARTITION BY y.config_set, y.year, ch.component
                               ORDER BY p.start_year DESC, p.end_year DESC, p.period DESC) = 1
),
lad_component_values AS (
    SELECT a.config_set, a.year, a.component, a.period, v.area_code AS lad_code, v.value,
           (v.upper_ci - v.lower_ci) / 3.92 AS sd, v.observation_status, v.inherited
    FROM aligned AS a
    JOIN chosen AS ch USING (config_set, component)
    JOIN lad_values AS v ON v.indicator_id = ch.indicator_id AND v.period = a.period
),
weighted AS (
    SELECT l.*, m.area_code, m.share_of_lad_area * p.population AS w
    FROM lad_component_values AS l
    JOIN memberships AS m USING (lad_code)
    CROSS JOIN population_years AS py
    JOIN population AS p ON p.lad_code = l.lad_code
        AND p.year = least(greatest(l.year, py.first_year), py.last_year)
),
grouped AS (
    SELECT config_set, year, component, period, area_code,
           sum(w * value) FILTER (WHERE value IS NOT NULL) / sum(w) FILTER (WHERE value IS NOT NULL) AS value,
           -- Independent errors; NULL when no member LAD has a confidence interval.
           CASE WHEN count(sd) FILTER (WHERE value IS NOT NULL) > 0
                THEN sqrt(sum(w * w * coalesce(sd, 0) ^ 2) FILTER (WHERE value IS NOT NULL))
                     / sum(w) FILTER (WHERE value IS NOT NULL) END AS sd,
           coalesce(sum(w) FILTER (WHERE value IS NOT NULL), 0) / sum(w) AS coverage
    FROM weighted
    GROUP BY ALL
),
public_values AS (
    SELECT config_set, year, component, period, lad_code AS area_code,
           CASE WHEN NOT inherited THEN value END AS value,
           CASE WHEN NOT inherited THEN sd END AS sd,
           CASE WHEN value IS NOT NULL AND NOT inherited THEN 1.0 ELSE 0.0 END AS coverage,
           'lad' AS aggregation,
           CASE WHEN inherited THEN 'inherited'
                WHEN value IS NULL THEN coalesce(observation_status, 'missing') ELSE 'ok' END AS status
    FROM lad_component_values
    UNION ALL
    SELECT g.config_set, g.year, g.component, g.period, g.area_code,
           CASE WHEN pa.value IS NOT NULL THEN pa.value
                WHEN g.coverage >= s.grouping_min_population_coverage THEN g.value END,
           CASE WHEN pa.value IS NOT NULL THEN (pa.upper_ci - pa.lower_ci) / 3.92
                WHEN g.coverage >= s.grouping_min_population_coverage THEN g.sd END,
           CASE WHEN pa.value IS NOT NULL THEN 1.0 ELSE g.coverage END,
           CASE WHEN pa.value IS NOT NULL THEN 'as_published' ELSE 'population_weighted' END,
           CASE WHEN pa.value IS NOT NULL OR g.coverage >= s.grouping_min_population_coverage THEN 'ok'
                ELSE 'insufficient_data' END
    FROM grouped AS g
    JOIN settings AS s USING (config_set)
    JOIN chosen AS ch USING (config_set, component)
    LEFT JOIN published_aggregates AS pa
        ON pa.indicator_id = ch.indicator_id AND pa.area_code = g.area_code AND pa.period = g.period
),
records_presence AS (
    SELECT DISTINCT area_code, year FROM records_values
),
skeleton AS (
    SELECT y.config_set, y.year, ch.component, a.area_code, a.area_type
    FROM years AS y
    JOIN chosen AS ch USING (config_set)
    CROSS JOIN areas AS a
)
SELECT k.config_set, k.area_code, k.area_type, k.year, k.component, ch.domain, ch.pillar,
       ch.pillar_source, ch.indicator_id, ch.fallback_used, ch.polarity, ch.goalpost_min, ch.goalpost_max,
       ch.weight AS component_weight,
       CASE WHEN ch.pillar_source = 'public' THEN pv.period ELSE CAST(k.year AS VARCHAR) END AS period,
       CASE WHEN ch.pillar_source = 'public' THEN pv.value ELSE rv.value END AS value,
       CASE WHEN ch.pillar_source = 'public' THEN pv.sd END AS sd,
       CASE WHEN ch.pillar_source = 'public' THEN pv.coverage END AS population_coverage,
       CASE WHEN ch.pillar_source = 'public' THEN pv.aggregation
            WHEN k.area_type = 'lad' THEN 'records' ELSE 'records_pooled' END AS aggregation,
       rp.area_code IS NOT NULL AS has_records,
       CASE WHEN ch.pillar_source = 'public' THEN coalesce(pv.status, 'missing')
            WHEN rp.area_code IS NULL THEN 'no_records'
            WHEN rv.value IS NOT NULL THEN 'ok'
            ELSE coalesce(rv.observation_status, 'missing') END AS status
FROM skeleton AS k
JOIN chosen AS ch USING (config_set, component)
LEFT JOIN public_values AS pv USING (config_set, year, component, area_code)
LEFT JOIN records_values AS rv ON rv.area_code = k.area_code AND rv.year = k.year
    AND rv.indicator_id = ch.indicator_id
LEFT JOIN records_presence AS rp ON rp.area_code = k.area_code AND rp.year = k.year
ORDER BY k.config_set, k.area_type, k.area_code, k.year, k.component
