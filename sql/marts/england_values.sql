-- England for every indicator and period, one row each: the England rows of marts.area_values, the
-- one place England is worked out, so the pages, the IG+ index and this table give the same figure.
-- basis says how it was got:
--   published                 the publisher's own England figure (with its interval and status);
--   summed                    a count added up over every English local authority (only when every one
--                             has a value; never a survey estimate's count, which is not additive);
--   recomputed                a percentage that has a count beside it (x_pct, x_count): 100 x the summed
--                             counts / the summed denominators they imply (count / share), only when every
--                             authority has both and a share above zero;
--   population_weighted_mean  anything else (rates, indexes): the authorities' mean weighted by population,
--                             given only when authorities holding enough of England's population have a
--                             value (an estimate: observation_status 'estimated');
--   not_available             none of these could be made: value NULL.
WITH
england AS (
    SELECT * FROM marts.area_values WHERE area_code = 'E92000001'
)
SELECT indicator_id, area_code, period, period_start, period_end, value, unit, lower_ci, upper_ci,
       CASE WHEN value IS NULL THEN 'not_available' ELSE observation_status END AS observation_status,
       CASE WHEN value IS NULL THEN 'not_available'
            WHEN aggregation_method = 'sum' THEN 'summed'
            WHEN aggregation_method = 'recomputed_share' THEN 'recomputed'
            ELSE aggregation_method END AS basis,
       CASE WHEN value IS NOT NULL AND aggregation_method <> 'published' THEN coverage_areas END AS authorities_used,
       total_areas AS authorities, source_id, release
FROM england
ORDER BY indicator_id, period_end, period
