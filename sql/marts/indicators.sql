-- The indicator catalogue: what each indicator_id means, and whether this build could supply it.
CREATE OR REPLACE TABLE marts.indicators AS
WITH
catalogue AS (
    SELECT indicator_id, title, source_id, unit, polarity, description, domain
    FROM landing.indicator_catalogue
),
unavailable AS (
    SELECT indicator_id, string_agg(reason, '; ') AS reason
    FROM landing.unavailable_indicators
    GROUP BY indicator_id
),
published AS (
    SELECT DISTINCT indicator_id FROM staging.indicator_values
)
SELECT c.*,
       p.indicator_id IS NOT NULL AS available,
       CASE WHEN p.indicator_id IS NULL
            THEN coalesce(u.reason, 'the source files in use do not publish it') END AS unavailable_reason
FROM catalogue AS c
LEFT JOIN unavailable AS u USING (indicator_id)
LEFT JOIN published AS p USING (indicator_id)
ORDER BY c.indicator_id
