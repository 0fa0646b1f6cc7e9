-- Contributors, typed: pseudonym, organisation and involvement dates. Private: never copied to marts.
SELECT CAST(contributor_pseudonym AS VARCHAR) AS contributor_pseudonym,
       CAST(organisation_id AS VARCHAR) AS organisation_id,
       CAST(first_involved AS DATE) AS first_involved,
       CAST(last_involved AS DATE) AS last_involved,
       CAST(training_hours AS DOUBLE) AS training_hours
FROM landing.records_contributors
