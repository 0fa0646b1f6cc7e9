-- England, region and other aggregate rows exactly as each publisher printed them.
SELECT indicator_id, area_code, period, period_start, period_end, value, unit, lower_ci, upper_ci,
       observation_status, source_id, release
FROM landing.aggregate_values
ORDER BY indicator_id, area_code, period
