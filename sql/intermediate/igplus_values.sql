-- IG+ component values per config set (current, default), area and index year: the series chosen
-- (first candidate with any value; fallback_used when not the first), the period aligned to the
-- year, the value on its natural scale with its standard error, and how a grouping's value was made.
-- Every value, a grouping's included, is read from marts.area_values: the one place a region,
-- combined authority, LEP or England value is made, so the index rests on the figure the pages show.
-- A county's value inherited by a district (marts.indicator_values.basis = 'inherited') is not that
-- district's own figure: the district's component is left empty (status 'inherited'), so it is never
-- scored or ranked against districts' own values nor used to pick statistical neighbours; it still
-- counts, weighted by the district's population, in the pooled value of a grouping containing it.
WITH
settings AS (
    SELECT * FROM landing.igplus_config_settings
),
components AS (
    SELECT c.*, p.source AS pillar_source
    FROM landing.igplus_config_components AS c
    JOIN landing.igplus_config_pillars AS p USING (config_set, pillar)
),
area_values AS (
    SELECT indicator_id, area_code, period, period_start, period_end, value, standard_error,
           observation_status, aggregation_method, coverage_population_share,
           coalesce(basis = 'inherited', false) AS inherited
    FROM marts.area_values
),
lad_values AS (
    SELECT * FROM area_values WHERE aggregation_method = 'local_authority'
),
records_values AS (
    SELECT area_code, year, indicator_id, value, observation_status FROM intermediate.igplus_records_values
),
areas AS (
    SELECT area_code, area_type FROM marts.areas
    WHERE area_type IN ('lad', 'region', 'combined_authority', 'lep', 'country')
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
public_values AS (
    SELECT a.config_set, a.year, a.component, a.period, v.area_code,
           CASE WHEN NOT v.inherited THEN v.value END AS value,
           CASE WHEN NOT v.inherited THEN v.standard_error END AS sd,
           CASE WHEN v.aggregation_method <> 'local_authority' THEN v.coverage_population_share
                WHEN v.value IS NOT NULL AND NOT v.inherited THEN 1.0 ELSE 0.0 END AS coverage,
           CASE v.aggregation_method WHEN 'local_authority' THEN 'lad' WHEN 'published' THEN 'as_published'
                WHEN 'population_weighted_mean' THEN 'population_weighted' ELSE v.aggregation_method END AS aggregation,
           CASE WHEN v.inherited THEN 'inherited'
                WHEN v.value IS NOT NULL THEN 'ok'
                WHEN v.aggregation_method = 'local_authority' THEN coalesce(v.observation_status, 'missing')
                ELSE 'insufficient_data' END AS status
    FROM aligned AS a
    JOIN chosen AS ch USING (config_set, component)
    JOIN area_values AS v ON v.indicator_id = ch.indicator_id AND v.period = a.period
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
