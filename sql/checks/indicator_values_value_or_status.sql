-- Violations: a missing value with no status saying why (after harmonisation, which can leave a value out). Ranges of counts and percentages are the tidy contract's, checked once on landing (gx_tidy_contract); sums and population-weighted means of in-range values stay in range.
SELECT
    indicator_id,
    area_code,
    period,
    value,
    unit,
    observation_status
FROM marts.indicator_values
WHERE value IS NULL AND observation_status IS NULL
