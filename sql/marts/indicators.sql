-- The indicator catalogue: what each indicator_id means.
CREATE OR REPLACE TABLE marts.indicators AS
SELECT indicator_id, title, source_id, unit, polarity, description, domain
FROM landing.indicator_catalogue
ORDER BY indicator_id
