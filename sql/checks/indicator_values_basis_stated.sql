-- Violations: a value whose basis is missing or unknown, or inherited without naming the county it belongs to.
SELECT indicator_id, area_code, period, basis, basis_area_code, basis_area_name
FROM marts.indicator_values
WHERE basis IS NULL
   OR basis NOT IN ('own', 'summed', 'recomputed', 'inherited')
   OR basis_area_code IS NULL
   OR (basis = 'inherited' AND (basis_area_code = area_code OR basis_area_name IS NULL))
   OR (basis <> 'inherited' AND basis_area_code <> area_code)
