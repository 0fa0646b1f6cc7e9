-- Violations: Inclusion Report figures about people shown below the suppression threshold, or for an
-- organisation-year with too few participants, or a part whose published total gives back a small remainder.
WITH
published AS (
    SELECT * FROM marts.organisation_measures
),
parts AS (
    SELECT * FROM (VALUES ('participants', 'participants_lived_experience'),
                          ('contributors_active', 'contributors_trained'),
                          ('feedback_answers', 'feedback_agreeing'),
                          ('feedback_answers', 'feedback_not_agreeing')) AS v(total_measure, part_measure)  -- noqa: AL05, LT01
)
SELECT organisation_id, year, measure, breakdown, value, 'shown' AS problem
FROM published
WHERE (counts_people AND value < $min_people)
   OR (counts_people AND value IS NULL AND observation_status IS DISTINCT FROM 'suppressed')
   OR (too_few_participants AND value IS NOT NULL AND (counts_people OR section = 'feedback'))
UNION ALL
SELECT t.organisation_id, t.year, p.measure, p.breakdown, t.value - p.value, 'total minus part'
FROM published AS t
JOIN parts AS r ON r.total_measure = t.measure
JOIN published AS p
  ON p.organisation_id = t.organisation_id AND p.year = t.year AND p.measure = r.part_measure
 AND p.breakdown IS NOT DISTINCT FROM t.breakdown
WHERE t.value IS NOT NULL AND p.value IS NOT NULL AND t.value - p.value < $min_people
