-- The indicator catalogue: what each indicator_id means, whether this build could supply it, and
-- which fallback stands in where one could not be (named wherever the figure is shown).
WITH
catalogue AS (
    SELECT indicator_id, title, source_id, unit, polarity, description, domain,
           fallback_for, fallback_caveat
    FROM landing.indicator_catalogue
),
unavailable AS (
    SELECT indicator_id, string_agg(reason, '; ') AS reason
    FROM landing.unavailable_indicators
    GROUP BY indicator_id
),
published AS (
    SELECT DISTINCT indicator_id FROM staging.indicator_values
),
status AS (
    SELECT c.*, p.indicator_id IS NOT NULL AS available,
           CASE WHEN p.indicator_id IS NULL
                THEN coalesce(u.reason, 'the source files in use do not publish it') END AS unavailable_reason
    FROM catalogue AS c
    LEFT JOIN unavailable AS u USING (indicator_id)
    LEFT JOIN published AS p USING (indicator_id)
),
stands_in AS (
    -- an available fallback and each unavailable indicator it replaces
    SELECT f.indicator_id AS fallback_id, f.title AS fallback_title, f.fallback_caveat,
           m.indicator_id AS missing_id, m.title AS missing_title, m.unavailable_reason
    FROM status AS f
    JOIN status AS m ON list_contains(string_split(f.fallback_for, ','), m.indicator_id)
    WHERE f.available AND NOT m.available
),
notes AS (
    SELECT fallback_id AS indicator_id,
           'Used in place of ' || string_agg(missing_title, ' and ' ORDER BY missing_id)
           || ' (not available: ' || any_value(unavailable_reason) || '): '
           || any_value(fallback_caveat) || '.' AS fallback_note
    FROM stands_in GROUP BY fallback_id
    UNION ALL
    SELECT missing_id, 'Not available in this build; ' || string_agg(fallback_title, ' and ')
           || ' is used in its place.'
    FROM stands_in GROUP BY missing_id
)
SELECT s.indicator_id, s.title, s.source_id, s.unit, s.polarity, s.description, s.domain,
       s.available, s.unavailable_reason, n.fallback_note
FROM status AS s
LEFT JOIN notes AS n USING (indicator_id)
ORDER BY s.indicator_id
