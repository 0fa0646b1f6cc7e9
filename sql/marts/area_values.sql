-- Every indicator for every area the pages and the IG+ index show: each local authority as in
-- marts.indicator_values, and each grouping (region, combined authority, LEP, ITL2, LSIP, England)
-- by one rule, which both the index and the area pages read from here (and marts.england_values):
--   published                 the publisher's own figure for the grouping and period, when there is one;
--   sum                       else a count is the sum of its member authorities' counts, only when every
--                             member has one (so a total is never quietly short); for England never a
--                             survey estimate's count (ASHE), which is not additive;
--   recomputed_share          else, for England, a percentage that has a count beside it (x_pct, x_count):
--                             100 x the summed counts / the summed denominators they imply (count / share),
--                             only when every authority has both and a share above zero;
--   population_weighted_mean  else the mean of the members' values weighted by their population in the
--                             period's first year (nearest year published) times the share of the
--                             authority lying in the grouping, when the members with a value hold at
--                             least grouping_min_population_coverage of the grouping's population.
-- coverage_areas of total_areas member authorities had a value, holding coverage_population_share of
-- its population. standard_error is for the index's uncertainty: from the confidence interval where
-- one is published, else pooled assuming independent errors; pooled values carry no interval.
WITH
settings AS (
    SELECT grouping_min_population_coverage AS min_coverage
    FROM landing.igplus_config_settings
    WHERE config_set = 'current'
),
lad_values AS (
    -- One release per indicator, area and period: the newest.
    SELECT *, (CAST(upper_ci AS DOUBLE) - CAST(lower_ci AS DOUBLE)) / 3.92 AS standard_error
    FROM marts.indicator_values
    QUALIFY row_number() OVER (PARTITION BY indicator_id, area_code, period ORDER BY release DESC NULLS LAST) = 1
),
published AS (
    SELECT *, (CAST(upper_ci AS DOUBLE) - CAST(lower_ci AS DOUBLE)) / 3.92 AS standard_error
    FROM marts.aggregate_values
    WHERE value IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY indicator_id, area_code, period ORDER BY release DESC NULLS LAST) = 1
),
lads AS (
    SELECT area_code FROM marts.areas WHERE area_type = 'lad'
),
memberships AS (
    SELECT lad_code, grouping_code AS area_code, grouping_type AS area_type, share_of_lad_area AS share
    FROM marts.area_groupings
    UNION ALL
    SELECT area_code, 'E92000001', 'country', 1.0 FROM lads
),
groupings AS (
    SELECT area_code, any_value(area_type) AS area_type, count(*) AS total_areas
    FROM memberships
    GROUP BY area_code
),
population AS (
    SELECT area_code AS lad_code, CAST(period AS INTEGER) AS year, CAST(value AS DOUBLE) AS population
    FROM lad_values
    WHERE indicator_id = 'population_all_ages' AND value IS NOT NULL
),
population_years AS (
    SELECT min(year) AS first_year, max(year) AS last_year FROM population
),
grouping_population AS (
    SELECT m.area_code, p.year, sum(m.share * p.population) AS population
    FROM memberships AS m
    JOIN population AS p USING (lad_code)
    GROUP BY ALL
),
member_values AS (
    SELECT m.area_code, v.indicator_id, CAST(v.period AS VARCHAR) AS period,
           CAST(v.period_start AS DATE) AS period_start, CAST(v.period_end AS DATE) AS period_end,
           v.unit, v.source_id, v.release, CAST(v.value AS DOUBLE) AS value, v.standard_error,
           least(greatest(year(CAST(v.period_start AS DATE)), py.first_year), py.last_year) AS weight_year,
           m.share * p.population AS weight
    FROM memberships AS m
    JOIN lad_values AS v ON v.area_code = m.lad_code
    CROSS JOIN population_years AS py
    LEFT JOIN population AS p ON p.lad_code = m.lad_code
        AND p.year = least(greatest(year(CAST(v.period_start AS DATE)), py.first_year), py.last_year)
),
pooled AS (
    SELECT area_code, indicator_id, period, min(period_start) AS period_start, max(period_end) AS period_end,
           any_value(unit) AS unit, any_value(source_id) AS source_id, max(release) AS release,
           min(weight_year) AS weight_year,
           count(value) AS coverage_areas,
           sum(value) AS total,
           sum(weight * value) FILTER (WHERE value IS NOT NULL AND weight IS NOT NULL)
               / sum(weight) FILTER (WHERE value IS NOT NULL AND weight IS NOT NULL) AS mean,
           CASE WHEN count(standard_error) FILTER (WHERE value IS NOT NULL AND weight IS NOT NULL) > 0
                THEN sqrt(sum(weight * weight * coalesce(standard_error, 0) ^ 2)
                              FILTER (WHERE value IS NOT NULL AND weight IS NOT NULL))
                     / sum(weight) FILTER (WHERE value IS NOT NULL AND weight IS NOT NULL) END AS mean_error,
           coalesce(sum(weight) FILTER (WHERE value IS NOT NULL), 0) AS covered_population
    FROM member_values
    GROUP BY area_code, indicator_id, period
),
england_shares AS (
    -- England's share from its authorities' counts: x_pct beside x_count, same release and period.
    SELECT p.indicator_id, CAST(p.period AS VARCHAR) AS period,
           count(*) FILTER (WHERE c.value IS NOT NULL AND p.value > 0) AS areas_with_both,
           100 * sum(CAST(c.value AS DOUBLE)) FILTER (WHERE c.value IS NOT NULL AND p.value > 0)
               / sum(CAST(c.value AS DOUBLE) * 100 / CAST(p.value AS DOUBLE))
                   FILTER (WHERE c.value IS NOT NULL AND p.value > 0) AS share
    FROM lad_values AS p
    JOIN lad_values AS c
        ON c.indicator_id = regexp_replace(p.indicator_id, '_pct$', '_count')
        AND c.area_code = p.area_code AND c.period = p.period AND c.release = p.release
    WHERE p.unit = 'percent' AND p.indicator_id LIKE '%_pct' AND p.area_code IN (SELECT area_code FROM lads)
    GROUP BY ALL
),
grouping_rows AS (
    SELECT coalesce(pl.area_code, pb.area_code) AS area_code, coalesce(pl.indicator_id, pb.indicator_id) AS indicator_id,
           coalesce(pl.period, CAST(pb.period AS VARCHAR)) AS period,
           coalesce(CAST(pb.period_start AS DATE), pl.period_start) AS period_start,
           coalesce(CAST(pb.period_end AS DATE), pl.period_end) AS period_end,
           coalesce(pb.unit, pl.unit) AS unit, coalesce(pb.source_id, pl.source_id) AS source_id,
           coalesce(pb.release, pl.release) AS release,
           pb.value AS published_value, pb.lower_ci, pb.upper_ci, pb.observation_status AS published_status,
           pb.standard_error AS published_error,
           pl.total, pl.mean, pl.mean_error, coalesce(pl.coverage_areas, 0) AS coverage_areas,
           pl.covered_population / gp.population AS coverage_population_share
    FROM pooled AS pl
    FULL JOIN published AS pb
        ON pb.area_code = pl.area_code AND pb.indicator_id = pl.indicator_id AND CAST(pb.period AS VARCHAR) = pl.period
    LEFT JOIN grouping_population AS gp ON gp.area_code = pl.area_code AND gp.year = pl.weight_year
    WHERE coalesce(pl.area_code, pb.area_code) IN (SELECT area_code FROM groupings)
),
grouping_values AS (
    SELECT r.*, g.area_type, g.total_areas, es.share, es.areas_with_both,
           CASE WHEN r.published_value IS NOT NULL THEN 'published'
                WHEN r.unit = 'count' AND r.area_code = 'E92000001' AND r.source_id = 'living_wage_ashe'
                    THEN 'not_available'
                WHEN r.unit = 'count' THEN 'sum'
                WHEN es.indicator_id IS NOT NULL THEN 'recomputed_share'
                ELSE 'population_weighted_mean' END AS aggregation_method
    FROM grouping_rows AS r
    JOIN groupings AS g USING (area_code)
    LEFT JOIN england_shares AS es
        ON r.area_code = 'E92000001' AND es.indicator_id = r.indicator_id AND es.period = r.period
)
SELECT area_code, 'lad' AS area_type, indicator_id, CAST(period AS VARCHAR) AS period,
       CAST(period_start AS DATE) AS period_start, CAST(period_end AS DATE) AS period_end,
       CAST(value AS DOUBLE) AS value, CAST(unit AS VARCHAR) AS unit, CAST(lower_ci AS DOUBLE) AS lower_ci,
       CAST(upper_ci AS DOUBLE) AS upper_ci, standard_error, CAST(observation_status AS VARCHAR) AS observation_status,
       CAST(source_id AS VARCHAR) AS source_id, CAST(release AS VARCHAR) AS release,
       'local_authority' AS aggregation_method, CAST(coalesce(basis, 'own') AS VARCHAR) AS basis,
       CAST(coalesce(basis_area_code, area_code) AS VARCHAR) AS basis_area_code,
       CAST(basis_area_name AS VARCHAR) AS basis_area_name,
       CASE WHEN value IS NULL THEN 0 ELSE 1 END AS coverage_areas, 1 AS total_areas,
       CASE WHEN value IS NULL THEN 0.0 ELSE 1.0 END AS coverage_population_share
FROM lad_values
UNION ALL
SELECT v.area_code, v.area_type, v.indicator_id, v.period, v.period_start, v.period_end,
       CASE aggregation_method
            WHEN 'published' THEN v.published_value
            WHEN 'sum' THEN CASE WHEN v.coverage_areas = v.total_areas THEN v.total END
            WHEN 'recomputed_share' THEN CASE WHEN v.areas_with_both = v.total_areas THEN v.share END
            WHEN 'population_weighted_mean' THEN
                CASE WHEN v.coverage_population_share >= s.min_coverage THEN v.mean END END AS value,
       v.unit,
       CASE WHEN aggregation_method = 'published' THEN CAST(v.lower_ci AS DOUBLE) END AS lower_ci,
       CASE WHEN aggregation_method = 'published' THEN CAST(v.upper_ci AS DOUBLE) END AS upper_ci,
       CASE aggregation_method
            WHEN 'published' THEN v.published_error
            WHEN 'population_weighted_mean' THEN
                CASE WHEN v.coverage_population_share >= s.min_coverage THEN v.mean_error END END AS standard_error,
       CASE WHEN aggregation_method = 'published' THEN CAST(v.published_status AS VARCHAR)
            WHEN aggregation_method = 'sum' AND v.coverage_areas < v.total_areas THEN 'not_available'
            WHEN aggregation_method = 'recomputed_share' AND coalesce(v.areas_with_both, 0) < v.total_areas
                THEN 'not_available'
            WHEN aggregation_method = 'not_available' THEN 'not_available'
            WHEN aggregation_method = 'population_weighted_mean'
                 AND coalesce(v.coverage_population_share, 0) < s.min_coverage THEN 'not_available'
            WHEN aggregation_method = 'population_weighted_mean' THEN 'estimated' END AS observation_status,
       v.source_id, v.release, v.aggregation_method, v.aggregation_method AS basis,
       v.area_code AS basis_area_code, NULL AS basis_area_name,
       CASE aggregation_method WHEN 'published' THEN v.total_areas WHEN 'recomputed_share' THEN v.areas_with_both
            WHEN 'not_available' THEN 0 ELSE v.coverage_areas END AS coverage_areas,
       v.total_areas,
       CASE WHEN aggregation_method = 'published' THEN 1.0 ELSE v.coverage_population_share END
           AS coverage_population_share
FROM grouping_values AS v
CROSS JOIN settings AS s
ORDER BY area_type, area_code, indicator_id, period_end, period
