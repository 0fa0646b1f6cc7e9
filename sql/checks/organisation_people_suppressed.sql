-- Violations: Inclusion Report figures about people shown below the suppression threshold, or for an
-- organisation-year with too few participants, or a rating split with either side below it.
SELECT organisation_id, year, measure, breakdown, value
FROM marts.organisation_measures
WHERE (counts_people AND value < $min_people)
   OR (value IS NULL AND observation_status IS DISTINCT FROM 'suppressed' AND counts_people)
   OR (too_few_participants AND value IS NOT NULL AND section = 'feedback')
   OR (too_few_participants AND value IS NOT NULL AND counts_people)
