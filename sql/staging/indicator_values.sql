-- Local-authority values harmonised to the target LAD vintage.
-- Counts are summed over merged authorities; rates with a known numerator and denominator are
-- recomputed from them; other non-additive values are population-weighted means. Every row says
-- how it was harmonised (see docs/methodology.md). A merged authority whose former parts are not
-- all in the release gets no value: a partial sum or mean would pass for the whole area.
WITH RECURSIVE
source_values AS (
    SELECT * FROM landing.indicator_values
),
code_map AS (
    SELECT source_code, target_code FROM staging.code_map
),
population AS (
    -- published populations, plus those of areas abolished since (superseded editions; weights only)
    SELECT area_code, try_cast(left(period, 4) AS INTEGER) AS year, value AS population
    FROM (SELECT indicator_id, area_code, period, value FROM landing.indicator_values
          UNION ALL
          SELECT indicator_id, area_code, period, value FROM landing.population__former_area_values)
         AS published_and_former
    WHERE indicator_id = 'population_all_ages' AND value IS NOT NULL
),
rate_definitions (rate_id, numerator_id, denominator_id, per) AS (
    VALUES ('rough_sleeping_rate', 'rough_sleeping_count', 'population_all_ages', 100000.0)
),
status_rank (observation_status, severity) AS (
    VALUES ('suppressed', 6), ('not_available', 5), ('not_applicable', 4), ('unreliable', 3),
           ('estimated', 2), ('provisional', 1)
),
mapped_all AS (
    SELECT v.*,
           coalesce(m.target_code, v.area_code) AS target_code,
           -- weight: the source area's population in the nearest year published for that code
           (SELECT arg_min(p.population, abs(p.year - try_cast(left(v.period, 4) AS INTEGER)))
            FROM population AS p WHERE p.area_code = v.area_code) AS weight,
           coalesce(s.severity, 0) AS severity
    FROM source_values AS v
    LEFT JOIN code_map AS m ON m.source_code = v.area_code
    LEFT JOIN status_rank AS s ON s.observation_status = v.observation_status
),
release_on_target AS (
    -- Where two releases cover the same target area and period (e.g. a workbook already on new
    -- boundaries and an API extract on old ones), keep only one, preferring the release that
    -- already publishes the target code, so merged areas are never counted twice.
    SELECT *,
           bool_or(area_code = target_code) OVER (
               PARTITION BY indicator_id, target_code, period, release) AS release_on_target
    FROM mapped_all
),
mapped AS (
    SELECT * FROM release_on_target
    QUALIFY dense_rank() OVER (
        PARTITION BY indicator_id, target_code, period
        ORDER BY release_on_target DESC, release DESC) = 1
),
change_edges AS (
    SELECT DISTINCT old_code, new_code FROM landing.geography__area_changes
),
predecessor_paths AS (
    -- every path back from a target code through the codes it replaced, to a code that replaced none
    SELECT target_code, target_code AS code, [target_code] AS path
    FROM (SELECT DISTINCT target_code FROM code_map WHERE source_code <> target_code) AS changed
    UNION ALL
    SELECT p.target_code, e.old_code AS code, list_append(p.path, e.old_code) AS path
    FROM predecessor_paths AS p
    JOIN change_edges AS e ON e.new_code = p.code
    WHERE NOT list_contains(p.path, e.old_code)
),
whole_area_paths AS (
    SELECT target_code, path[2:] AS former_codes
    FROM predecessor_paths AS p
    WHERE len(path) > 1 AND NOT EXISTS (SELECT 1 FROM change_edges AS e WHERE e.new_code = p.code)
),
parts_present AS (
    SELECT indicator_id, target_code, period, source_id, list(DISTINCT area_code) AS present
    FROM mapped
    GROUP BY indicator_id, target_code, period, source_id
),
missing_part AS (
    -- a line of former codes of which the release has none: part of the target area is not covered
    SELECT DISTINCT pp.indicator_id, pp.target_code, pp.period, pp.source_id
    FROM parts_present AS pp
    JOIN whole_area_paths AS w ON w.target_code = pp.target_code
    WHERE NOT list_contains(pp.present, pp.target_code) AND NOT list_has_any(w.former_codes, pp.present)
),
combined AS (
    SELECT
        indicator_id,
        target_code AS area_code,
        period,
        min(period_start) AS period_start,
        max(period_end) AS period_end,
        any_value(unit) AS unit,
        source_id,
        max(release) AS release,
        count(*) AS source_rows,
        count(value) AS source_values,
        bool_or(area_code <> target_code) AS recoded,
        count(weight) = count(*) AS fully_weighted,
        sum(value) AS value_sum,
        sum(value * weight) / nullif(sum(CASE WHEN value IS NOT NULL THEN weight END), 0) AS value_weighted,
        sqrt(sum(power(value - lower_ci, 2))) AS lower_spread,
        sqrt(sum(power(upper_ci - value, 2))) AS upper_spread,
        any_value(lower_ci) AS single_lower,
        any_value(upper_ci) AS single_upper,
        arg_max(observation_status, severity) AS worst_status,
        string_agg(DISTINCT area_code, ',' ORDER BY area_code) AS source_area_codes
    FROM mapped
    GROUP BY indicator_id, target_code, period, source_id
),
combined_checked AS (
    SELECT c.*, m.target_code IS NOT NULL AS part_missing
    FROM combined AS c
    LEFT JOIN missing_part AS m
        ON m.indicator_id = c.indicator_id AND m.target_code = c.area_code
        AND m.period = c.period AND m.source_id = c.source_id
),
harmonised AS (
    SELECT
        indicator_id, area_code, period, period_start, period_end, unit, source_id, release,
        source_area_codes,
        CASE
            WHEN part_missing THEN NULL
            WHEN source_rows = 1 THEN value_sum
            WHEN source_values < source_rows THEN NULL
            WHEN unit = 'count' THEN value_sum
            WHEN fully_weighted THEN value_weighted
        END AS value,
        CASE
            WHEN part_missing THEN NULL
            WHEN source_rows = 1 THEN single_lower
            WHEN source_values < source_rows THEN NULL
            WHEN unit = 'count' THEN value_sum - lower_spread
        END AS lower_ci,
        CASE
            WHEN part_missing THEN NULL
            WHEN source_rows = 1 THEN single_upper
            WHEN source_values < source_rows THEN NULL
            WHEN unit = 'count' THEN value_sum + upper_spread
        END AS upper_ci,
        CASE
            WHEN part_missing THEN 'not_available'
            WHEN source_rows > 1 AND source_values < source_rows THEN coalesce(worst_status, 'not_available')
            WHEN source_rows > 1 AND unit <> 'count' AND NOT fully_weighted THEN 'not_available'
            ELSE worst_status
        END AS observation_status,
        CASE
            WHEN part_missing THEN 'not_harmonisable'
            WHEN source_rows = 1 AND NOT recoded THEN 'as_published'
            WHEN source_rows = 1 THEN 'recoded'
            WHEN unit = 'count' THEN 'summed'
            WHEN fully_weighted THEN 'population_weighted'
            ELSE 'not_harmonisable'
        END AS harmonisation
    FROM combined_checked
),
recomputed_rates AS (
    SELECT
        d.rate_id AS indicator_id, n.area_code, n.period, n.period_start, n.period_end,
        n.source_id, n.release,
        n.value / nullif(p.value, 0) * d.per AS value,
        n.source_area_codes
    FROM rate_definitions AS d
    JOIN harmonised AS n ON n.indicator_id = d.numerator_id
    JOIN harmonised AS p ON p.indicator_id = d.denominator_id
        AND p.area_code = n.area_code AND p.period = n.period
    WHERE n.value IS NOT NULL AND p.value IS NOT NULL
),
final AS (
    -- Published rates are kept where the authority did not change; elsewhere they are recomputed.
    SELECT h.* FROM harmonised AS h
    WHERE NOT (h.indicator_id IN (SELECT rate_id FROM rate_definitions)
               AND h.harmonisation NOT IN ('as_published', 'recoded')
               AND EXISTS (SELECT 1 FROM recomputed_rates AS r
                           WHERE r.indicator_id = h.indicator_id AND r.area_code = h.area_code
                             AND r.period = h.period))
    UNION ALL BY NAME
    SELECT r.indicator_id, r.area_code, r.period, r.period_start, r.period_end,
           'rate_per_100k' AS unit, r.source_id, r.release, r.source_area_codes, r.value,
           NULL::DOUBLE AS lower_ci, NULL::DOUBLE AS upper_ci, NULL AS observation_status,
           'recomputed_from_population' AS harmonisation
    FROM recomputed_rates AS r
    WHERE NOT EXISTS (SELECT 1 FROM harmonised AS h
                      WHERE h.indicator_id = r.indicator_id AND h.area_code = r.area_code
                        AND h.period = r.period AND h.harmonisation IN ('as_published', 'recoded'))
)
SELECT * FROM final
