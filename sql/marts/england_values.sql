-- England for every indicator and period the local authorities have, one row each, saying how it was
-- got (basis):
--   published      the publisher's own England figure (with its interval and status);
--   summed         a count that is the sum of the same release's English local authorities, only
--                  when every one of them has a value (survey estimates are not additive: never);
--   recomputed     a percentage re-derived from the same release's counts and the denominators they
--                  imply (count / share): 100 x sum of counts / sum of denominators, only when every
--                  authority has both and a share above zero;
--   not_available  no honest England figure: value NULL (a median, a rate or an index cannot be
--                  re-added from authorities, and the publisher printed none).
WITH
la_values AS (
    -- English local authorities as the chosen release published them (one release per period).
    SELECT indicator_id, area_code, CAST(period AS VARCHAR) AS period, CAST(period_start AS DATE) AS period_start,
           CAST(period_end AS DATE) AS period_end, CAST(value AS DOUBLE) AS value, unit, source_id, release
    FROM landing.indicator_values
    WHERE regexp_matches(area_code, '^E0[6-9][0-9]{6}$')
),
published AS (
    SELECT indicator_id, CAST(period AS VARCHAR) AS period, CAST(period_start AS DATE) AS period_start,
           CAST(period_end AS DATE) AS period_end, CAST(value AS DOUBLE) AS value, unit,
           CAST(lower_ci AS DOUBLE) AS lower_ci, CAST(upper_ci AS DOUBLE) AS upper_ci, observation_status,
           source_id, release
    FROM landing.aggregate_values
    WHERE area_code = 'E92000001'
    QUALIFY row_number() OVER (PARTITION BY indicator_id, period ORDER BY release DESC NULLS LAST) = 1
),
periods AS (
    SELECT indicator_id, period, min(period_start) AS period_start, max(period_end) AS period_end,
           any_value(unit) AS unit, any_value(source_id) AS source_id, max(release) AS release,
           count(*) AS areas, count(value) AS areas_with_value, sum(value) AS total
    FROM la_values
    GROUP BY indicator_id, period
),
shares AS (
    -- a percentage beside the count of the same release, authority and period (x_pct and x_count)
    SELECT p.indicator_id, p.period,
           count(*) FILTER (WHERE c.value IS NOT NULL AND p.value > 0) AS areas_with_value,
           100 * sum(c.value) FILTER (WHERE c.value IS NOT NULL AND p.value > 0)
               / sum(c.value * 100 / p.value) FILTER (WHERE c.value IS NOT NULL AND p.value > 0) AS share
    FROM la_values AS p
    JOIN la_values AS c
        ON c.indicator_id = regexp_replace(p.indicator_id, '_pct$', '_count')
        AND c.area_code = p.area_code AND c.period = p.period AND c.release = p.release
    WHERE p.unit = 'percent' AND p.indicator_id LIKE '%_pct'
    GROUP BY p.indicator_id, p.period
),
worked_out AS (
    SELECT pe.indicator_id, pe.period, pe.period_start, pe.period_end, pe.unit, pe.source_id, pe.release,
           pe.areas,
           CASE WHEN pe.unit = 'count' AND pe.source_id <> 'living_wage_ashe' AND pe.areas_with_value = pe.areas
                     THEN 'summed'
                WHEN s.share IS NOT NULL AND s.areas_with_value = pe.areas THEN 'recomputed'
                ELSE 'not_available' END AS basis,
           pe.total, s.share,
           CASE WHEN s.share IS NOT NULL THEN s.areas_with_value ELSE pe.areas_with_value END AS areas_with_value
    FROM periods AS pe
    LEFT JOIN shares AS s USING (indicator_id, period)
)
SELECT coalesce(p.indicator_id, w.indicator_id) AS indicator_id, 'E92000001' AS area_code,
       coalesce(p.period, w.period) AS period,
       coalesce(p.period_start, w.period_start) AS period_start, coalesce(p.period_end, w.period_end) AS period_end,
       CASE WHEN p.indicator_id IS NOT NULL THEN p.value
            WHEN w.basis = 'summed' THEN w.total
            WHEN w.basis = 'recomputed' THEN w.share END AS value,
       coalesce(p.unit, w.unit) AS unit, p.lower_ci, p.upper_ci,
       CASE WHEN p.indicator_id IS NOT NULL THEN p.observation_status
            WHEN w.basis = 'not_available' THEN 'not_available' END AS observation_status,
       CASE WHEN p.indicator_id IS NOT NULL THEN 'published' ELSE w.basis END AS basis,
       CASE WHEN p.indicator_id IS NULL AND w.basis <> 'not_available' THEN w.areas_with_value END
           AS authorities_used,
       w.areas AS authorities,
       coalesce(p.source_id, w.source_id) AS source_id, coalesce(p.release, w.release) AS release
FROM published AS p
FULL JOIN worked_out AS w ON w.indicator_id = p.indicator_id AND w.period = p.period
ORDER BY indicator_id, period_end, period
